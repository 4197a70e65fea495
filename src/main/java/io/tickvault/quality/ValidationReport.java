package io.tickvault.quality;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import java.util.List;

/** The result of {@code validate} for one source: its shape, the calendar, and one report per symbol. */
public record ValidationReport(SourceName source, SourceKind kind, SourceShape shape, String calendar,
    ValidateOptions options, List<SymbolReport> symbols) {

  public long rows() {
    return symbols.stream().mapToLong(SymbolReport::rows).sum();
  }

  public long errors() {
    return symbols.stream().mapToLong(SymbolReport::errors).sum();
  }

  public long warnings() {
    return symbols.stream().mapToLong(SymbolReport::warnings).sum();
  }

  /**
   * The summary {@code tickvault health} reports as the source's open findings: the count of every
   * check that found something, summed over the symbols.
   */
  public io.tickvault.store.ValidationRecord summary(java.time.Instant at) {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (SymbolReport s : symbols) {
      s.counts().forEach((c, n) -> {
        if (n > 0) {
          counts.merge(c.label(), n, Long::sum);
        }
      });
    }
    return new io.tickvault.store.ValidationRecord(source, at, calendar, options.from(), options.to(), rows(),
        errors(), warnings(), counts);
  }

  /** Errors fail; warnings too when {@code strict}. */
  public boolean failed(boolean strict) {
    return errors() > 0 || (strict && warnings() > 0);
  }
}
