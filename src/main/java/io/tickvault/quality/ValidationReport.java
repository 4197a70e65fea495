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

  /** Errors fail; warnings too when {@code strict}. */
  public boolean failed(boolean strict) {
    return errors() > 0 || (strict && warnings() > 0);
  }
}
