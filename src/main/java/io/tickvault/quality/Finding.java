package io.tickvault.quality;

import io.tickvault.domain.Symbol;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One finding of {@code validate}: the check, the symbol, the bar it names ({@code bar}, its start;
 * null for a missing session), the trading day, and what was seen.
 */
public record Finding(Check check, Symbol symbol, Instant bar, LocalDate day, String detail) {
  public Check.Severity severity() {
    return check.severity();
  }
}
