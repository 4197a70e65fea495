package io.tickvault.ingest.stream;

import io.tickvault.ingest.MarketTime;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * When the NYSE regular session is open, for the collector's data watchdog: Monday to Friday
 * 09:30–16:00 New York time, closed on the exchange's full holidays (New Year's Day, Martin
 * Luther King Jr. Day, Washington's Birthday, Good Friday, Memorial Day, Juneteenth from 2022,
 * Independence Day, Labor Day, Thanksgiving, Christmas; a Saturday holiday is observed on the
 * Friday before, a Sunday holiday on the Monday after, except that New Year's Day on a Saturday is
 * not observed), closing at 13:00 on the day after Thanksgiving, on Christmas Eve and on July 3
 * when they are trading days. Unscheduled closures (national days of mourning, weather) are not
 * known: on such a day a watchdog may reconnect without need, which is harmless. Stateless and
 * thread-safe.
 */
public final class SessionCalendar {
  private static final LocalTime OPEN = LocalTime.of(9, 30);
  private static final LocalTime CLOSE = LocalTime.of(16, 0);
  private static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);

  private SessionCalendar() {}

  /** The regular session of the New York day of {@code t}, if that day trades. */
  public static Optional<Session> session(LocalDate day) {
    if (!tradingDay(day)) {
      return Optional.empty();
    }
    LocalTime close = earlyClose(day) ? EARLY_CLOSE : CLOSE;
    return Optional.of(new Session(day.atTime(OPEN).atZone(MarketTime.NEW_YORK).toInstant(),
        day.atTime(close).atZone(MarketTime.NEW_YORK).toInstant()));
  }

  /** Whether the regular session is open at {@code t}. */
  public static boolean isOpen(Instant t) {
    return session(MarketTime.dayOf(t)).map(s -> s.contains(t)).orElse(false);
  }

  /** Whether {@code day} is a weekday that is not a full exchange holiday. */
  public static boolean tradingDay(LocalDate day) {
    DayOfWeek d = day.getDayOfWeek();
    return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !holiday(day);
  }

  /** A regular session: {@code [open, close)}. */
  public record Session(Instant open, Instant close) {
    public boolean contains(Instant t) {
      return !t.isBefore(open) && t.isBefore(close);
    }
  }

  static boolean holiday(LocalDate day) {
    int y = day.getYear();
    LocalDate newYear = LocalDate.of(y, 1, 1);
    LocalDate nextNewYear = LocalDate.of(y + 1, 1, 1);
    if (day.equals(newYear) || (newYear.getDayOfWeek() == DayOfWeek.SUNDAY && day.equals(newYear.plusDays(1)))) {
      return true;
    }
    // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule 7.2)
    if (nextNewYear.getDayOfWeek() == DayOfWeek.SATURDAY && day.equals(nextNewYear.minusDays(1))) {
      return false;
    }
    return day.equals(nth(y, Month.JANUARY, DayOfWeek.MONDAY, 3))
        || day.equals(nth(y, Month.FEBRUARY, DayOfWeek.MONDAY, 3))
        || day.equals(easter(y).minusDays(2))
        || day.equals(LocalDate.of(y, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
        || (y >= 2022 && day.equals(observed(LocalDate.of(y, 6, 19))))
        || day.equals(observed(LocalDate.of(y, 7, 4)))
        || day.equals(nth(y, Month.SEPTEMBER, DayOfWeek.MONDAY, 1))
        || day.equals(thanksgiving(y))
        || day.equals(observed(LocalDate.of(y, 12, 25)));
  }

  private static boolean earlyClose(LocalDate day) {
    int y = day.getYear();
    return day.equals(thanksgiving(y).plusDays(1))
        || (day.getMonth() == Month.DECEMBER && day.getDayOfMonth() == 24)
        || (day.getMonth() == Month.JULY && day.getDayOfMonth() == 3);
  }

  private static LocalDate thanksgiving(int y) {
    return nth(y, Month.NOVEMBER, DayOfWeek.THURSDAY, 4);
  }

  private static LocalDate nth(int y, Month m, DayOfWeek d, int n) {
    return LocalDate.of(y, m, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, d));
  }

  private static LocalDate observed(LocalDate d) {
    return switch (d.getDayOfWeek()) {
      case SATURDAY -> d.minusDays(1);
      case SUNDAY -> d.plusDays(1);
      default -> d;
    };
  }

  /** Easter Sunday (anonymous Gregorian algorithm). */
  static LocalDate easter(int y) {
    int a = y % 19;
    int b = y / 100;
    int c = y % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return LocalDate.of(y, month, day);
  }

  /** For messages: the time in New York. */
  static String newYork(Instant t) {
    ZonedDateTime z = t.atZone(MarketTime.NEW_YORK);
    return z.toLocalDate() + " " + z.toLocalTime().withNano(0) + " New York";
  }
}
