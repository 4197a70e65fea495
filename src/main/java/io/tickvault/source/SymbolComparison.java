package io.tickvault.source;

import io.tickvault.domain.Symbol;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * How one symbol differs between two sources A and B. Price differences are over common bars
 * (same timestamp) and null when there are none. A symbol is identical when both sides have the
 * same timestamps and every compared column is equal ({@code differingBars == 0}).
 *
 * @param firstDifferences the first few common bars that differ, with the fields that differ
 * @param priceRatio when every price of A on the bars whose prices differ is the same multiple of
 *     B's (a split adjusted on one side only, or prices in other units); null otherwise
 */
public record SymbolComparison(Symbol symbol, long rowsA, long rowsB, long common, long onlyA, long onlyB,
    long differingBars, BigDecimal maxAbsPriceDiff, BigDecimal meanAbsPriceDiff,
    Instant firstA, Instant lastA, Instant firstB, Instant lastB, List<BarDifference> firstDifferences,
    PriceRatio priceRatio) {

  public boolean identical() {
    return onlyA == 0 && onlyB == 0 && differingBars == 0;
  }

  /** A common bar whose values differ. */
  public record BarDifference(Instant timestamp, List<FieldDifference> fields) {}

  /** One field of a bar: its value in A and in B (null when absent), as plain text. */
  public record FieldDifference(String field, String a, String b) {}

  /**
   * Prices of A are {@code ratio} times those of B on {@code bars} common bars (from {@code first}
   * to {@code last}); the ratio is snapped to a simple fraction (2, 0.5, 1.5, 100) when it is one.
   */
  public record PriceRatio(BigDecimal ratio, long bars, Instant first, Instant last) {}
}
