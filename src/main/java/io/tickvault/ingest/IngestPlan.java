package io.tickvault.ingest;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a vendor ingest should do.
 *
 * @param symbols the symbols, at least one, without repeats (order kept)
 * @param from first New York calendar day, or null to continue each symbol from its last stored
 *     bar minus {@code trailing} (see {@link VendorIngestService})
 * @param to last New York calendar day (inclusive), or null for today
 * @param timeframe bar width, or null for the target source's width (1Day for a source without one)
 * @param into target source, or null for the vendor's own source ({@code polygon}, {@code alpaca})
 * @param trailing how far before the last stored bar an incremental run starts again, so vendor
 *     corrections replace old values; not negative
 *
 * <p>Immutable and thread-safe.
 */
public record IngestPlan(List<Symbol> symbols, LocalDate from, LocalDate to, Timeframe timeframe, SourceName into,
    Duration trailing) {

  /** Default trailing window: 2 days. */
  public static final Duration DEFAULT_TRAILING = Duration.ofDays(2);

  public IngestPlan {
    if (symbols == null || symbols.isEmpty()) {
      throw new InvalidInputException("no symbols given: use --symbols AAPL,MSFT");
    }
    symbols = List.copyOf(new LinkedHashSet<>(symbols));
    if (from != null && to != null && from.isAfter(to)) {
      throw new InvalidInputException("--from " + from + " is after --to " + to + ": both days are inclusive");
    }
    trailing = trailing == null ? DEFAULT_TRAILING : trailing;
    if (trailing.isNegative()) {
      throw new InvalidInputException("the trailing window " + trailing + " is negative");
    }
  }

  /** This plan with the given bar width. */
  public IngestPlan withTimeframe(Timeframe tf) {
    return new IngestPlan(symbols, from, to, tf, into, trailing);
  }

  /** Parses a comma-separated symbol list ({@code AAPL, msft,BRK.B}). */
  public static List<Symbol> parseSymbols(String csv) {
    List<Symbol> out = new ArrayList<>();
    if (csv != null) {
      for (String s : csv.split(",")) {
        if (!s.isBlank()) {
          out.add(Symbol.of(s));
        }
      }
    }
    if (out.isEmpty()) {
      throw new InvalidInputException("no symbols given: use --symbols AAPL,MSFT");
    }
    return out;
  }
}
