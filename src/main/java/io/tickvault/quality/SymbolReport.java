package io.tickvault.quality;

import io.tickvault.domain.Symbol;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What {@code validate} found for one symbol. {@code sessions} is the number of trading sessions in
 * the checked days ({@code firstDay}..{@code lastDay}), {@code missingSessions} those without any bar;
 * {@code missingBars} counts the bars missing inside sessions that have some (minutes without a bar:
 * a count, not a finding); {@code outsideSession} the bars outside the session hours of a trading day
 * (extended hours). {@code counts} has every check's exact count; {@code findings} lists at most
 * {@code maxListed} per check.
 */
public record SymbolReport(Symbol symbol, long rows, Instant first, Instant last, LocalDate firstDay,
    LocalDate lastDay, long sessions, long missingSessions, long expectedBars, long missingBars, long outsideSession,
    Map<Check, Long> counts, List<Finding> findings) {

  public long errors() {
    return count(Check.Severity.ERROR);
  }

  public long warnings() {
    return count(Check.Severity.WARNING);
  }

  private long count(Check.Severity s) {
    long n = 0;
    for (var e : counts.entrySet()) {
      if (e.getKey().severity() == s) {
        n += e.getValue();
      }
    }
    return n;
  }
}
