package io.tickvault.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses the dates users type: {@code 2025-01-15} (a day in the zone given: the source's market
 * zone where a source is selected, else UTC) or an ISO-8601 date-time with zone
 * ({@code 2025-01-15T14:30:00Z}, {@code 2025-01-15T09:30:00-05:00}). A day is the source's day so
 * that {@code --from 2024-03-05} on a Hong Kong daily source selects the bar of 5 March in Hong
 * Kong (stored at 2024-03-04T16:00Z), and on a New York minute source the 5 March session with its
 * extended hours, not the evening before.
 */
public final class Dates {
  private Dates() {}

  /** The start of a range: a date means its first instant (00:00 UTC). */
  public static Instant start(String s, String option) {
    return start(s, option, ZoneOffset.UTC);
  }

  /** The start of a range: a date means its first instant in {@code zone} (null: UTC). */
  public static Instant start(String s, String option, ZoneId zone) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.length() == 10) {
      return date(t, option).atStartOfDay(zone == null ? ZoneOffset.UTC : zone).toInstant();
    }
    return dateTime(t, option);
  }

  /**
   * The exclusive end of a range: a date is inclusive (the whole day counts, so the end is the next
   * day's 00:00 UTC); a date-time is used as the exclusive end itself.
   */
  public static Instant endInclusiveDay(String s, String option) {
    return endInclusiveDay(s, option, ZoneOffset.UTC);
  }

  /** {@link #endInclusiveDay(String, String)} with days in {@code zone} (null: UTC). */
  public static Instant endInclusiveDay(String s, String option, ZoneId zone) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.length() == 10) {
      return date(t, option).plusDays(1).atStartOfDay(zone == null ? ZoneOffset.UTC : zone).toInstant();
    }
    return dateTime(t, option);
  }

  /** A range from two optional user strings ({@code --from}, {@code --to}), days in UTC. */
  public static TimeRange range(String from, String to) {
    return range(from, to, ZoneOffset.UTC);
  }

  /** A range from two optional user strings ({@code --from}, {@code --to}), days in {@code zone}. */
  public static TimeRange range(String from, String to, ZoneId zone) {
    return new TimeRange(start(from, "--from", zone), endInclusiveDay(to, "--to", zone));
  }

  /** Whether the user's text is a plain date (a day), not a date-time. */
  public static boolean isDay(String s) {
    return s != null && s.strip().length() == 10;
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
