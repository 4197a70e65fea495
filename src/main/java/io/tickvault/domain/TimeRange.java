package io.tickvault.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A half-open UTC interval {@code [from, to)}. Either end may be null, meaning unbounded.
 */
public record TimeRange(Instant from, Instant to) {
  public static final TimeRange ALL = new TimeRange(null, null);

  public TimeRange {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidInputException("empty time range: from " + from + " is not before to " + to
          + "; the end is exclusive, so use a later --to");
    }
  }

  /** Whole UTC days {@code [fromDay 00:00, toDay+1 00:00)}; either may be null. */
  public static TimeRange ofDays(LocalDate fromDay, LocalDate toDayInclusive) {
    Instant f = fromDay == null ? null : fromDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant t = toDayInclusive == null ? null : toDayInclusive.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return new TimeRange(f, t);
  }

  public static TimeRange day(LocalDate day) {
    return ofDays(day, day);
  }

  public boolean contains(Instant t) {
    return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
  }
}
