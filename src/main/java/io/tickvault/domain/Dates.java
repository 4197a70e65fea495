package io.tickvault.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses the dates users type: {@code 2025-01-15} (a UTC day) or an ISO-8601 date-time with zone
 * ({@code 2025-01-15T14:30:00Z}, {@code 2025-01-15T09:30:00-05:00}).
 */
public final class Dates {
  private Dates() {}

  /** The start of a range: a date means its first instant (00:00 UTC). */
  public static Instant start(String s, String option) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.length() == 10) {
      return date(t, option).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return dateTime(t, option);
  }

  /**
   * The exclusive end of a range: a date is inclusive (the whole day counts, so the end is the next
   * day's 00:00 UTC); a date-time is used as the exclusive end itself.
   */
  public static Instant endInclusiveDay(String s, String option) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.length() == 10) {
      return date(t, option).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return dateTime(t, option);
  }

  /** A range from two optional user strings ({@code --from}, {@code --to}). */
  public static TimeRange range(String from, String to) {
    return new TimeRange(start(from, "--from"), endInclusiveDay(to, "--to"));
  }

  public static LocalDate date(String s, String option) {
    try {
      return LocalDate.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("invalid date for " + option + ": " + Text.quote(s)
          + "; use YYYY-MM-DD (e.g. 2025-01-15) or an ISO date-time such as 2025-01-15T14:30:00Z");
    }
  }

  private static Instant dateTime(String s, String option) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("invalid date for " + option + ": " + Text.quote(s)
          + "; use YYYY-MM-DD (e.g. 2025-01-15) or an ISO date-time with a zone such as 2025-01-15T14:30:00Z");
    }
  }
}
