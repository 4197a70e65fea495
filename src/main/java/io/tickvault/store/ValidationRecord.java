package io.tickvault.store;

import io.tickvault.domain.SourceName;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The summary of the last {@code tickvault validate} run over every symbol of a source, kept in
 * the store ({@code tickvault_validation}, one row per source; a later run replaces it): when it
 * ran, the calendar, the checked days ({@code from}/{@code to}, null when the run was not limited),
 * the rows checked, the errors and warnings, and the count of each check that found something
 * ({@code counts}, check label to count, e.g. {@code missing-session -> 2}). These are the source's
 * open findings until the next run.
 */
public record ValidationRecord(SourceName source, Instant validatedAt, String calendar, LocalDate from,
    LocalDate to, long rows, long errors, long warnings, Map<String, Long> counts) {

  public ValidationRecord {
    counts = Map.copyOf(counts);
  }
}
