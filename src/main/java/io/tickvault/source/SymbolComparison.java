package io.tickvault.source;

import io.tickvault.domain.Symbol;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * How one symbol differs between two sources A and B. Price differences are over common bars
 * (same timestamp) and null when there are none. A symbol is identical when both sides have the
 * same timestamps and every compared column is equal ({@code differingBars == 0}).
 */
public record SymbolComparison(Symbol symbol, long rowsA, long rowsB, long common, long onlyA, long onlyB,
    long differingBars, BigDecimal maxAbsPriceDiff, BigDecimal meanAbsPriceDiff,
    Instant firstA, Instant lastA, Instant firstB, Instant lastB) {

  public boolean identical() {
    return onlyA == 0 && onlyB == 0 && differingBars == 0;
  }
}
