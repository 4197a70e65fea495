package io.tickvault.calendar;

import io.tickvault.domain.InvalidInputException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NYSE (XNYS) trading calendar from 1990 on: regular sessions 09:30-16:00 America/New_York,
 * Monday to Friday, less the full-day holidays, with 13:00 early closes (14:00 before 1993) and the
 * one-off closures known at release time; {@code extraClosed} adds closures announced later (a day
 * of mourning). The rule set and its sources are in the shared CALENDAR.md and docs/quality.md.
 *
 * <p>Known limits: 1999-12-31 is disputed between the reference calendars (a 13:00 close in
 * exchange_calendars, a full day in pandas_market_calendars) and is treated as a full day; late
 * opens (e.g. 2001-09-17 09:33) are not modelled. Immutable and thread-safe.
 */
public final class NyseCalendar implements TradingCalendar {
  /** America/New_York: the zone of every NYSE session time. */
  public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  /** The first year the rules cover. */
  public static final int FIRST_YEAR = 1990;

  private static final LocalTime OPEN = LocalTime.of(9, 30);
  private static final LocalTime CLOSE = LocalTime.of(16, 0);
  private static final LocalTime EARLY = LocalTime.of(13, 0);
  private static final LocalTime EARLY_BEFORE_1993 = LocalTime.of(14, 0);

  /** One-off full-day closures since 1990 (CALENDAR.md 2.4). */
  static final Map<LocalDate, String> AD_HOC_CLOSED = adHocClosed();
  /** One-off 13:00 closes (CALENDAR.md 2.3, E6). */
  private static final Map<LocalDate, String> AD_HOC_EARLY = Map.of(
      LocalDate.of(1997, 12, 26), "day after Christmas (early close)",
      LocalDate.of(2003, 12, 26), "day after Christmas (early close)");

  private final Map<LocalDate, String> extraClosed;
  private final Map<Integer, Map<LocalDate, String>> holidaysByYear = new ConcurrentHashMap<>();

  public NyseCalendar() {
    this(null);
  }

  public NyseCalendar(Collection<LocalDate> extraClosed) {
    Map<LocalDate, String> m = new HashMap<>();
    if (extraClosed != null) {
      for (LocalDate d : extraClosed) {
        m.put(d, "closure given with --closed");
      }
    }
    this.extraClosed = Collections.unmodifiableMap(m);
  }

  private static Map<LocalDate, String> adHocClosed() {
    Map<LocalDate, String> m = new TreeMap<>();
    m.put(LocalDate.of(1994, 4, 27), "national day of mourning (Richard Nixon)");
    for (int d = 11; d <= 14; d++) {
      m.put(LocalDate.of(2001, 9, d), "September 11 attacks");
    }
    m.put(LocalDate.of(2004, 6, 11), "national day of mourning (Ronald Reagan)");
    m.put(LocalDate.of(2007, 1, 2), "national day of mourning (Gerald Ford)");
    m.put(LocalDate.of(2012, 10, 29), "Hurricane Sandy");
    m.put(LocalDate.of(2012, 10, 30), "Hurricane Sandy");
    m.put(LocalDate.of(2018, 12, 5), "national day of mourning (George H. W. Bush)");
    m.put(LocalDate.of(2025, 1, 9), "national day of mourning (Jimmy Carter)");
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String name() {
    return US_EQUITIES;
  }

  @Override
  public ZoneId zone() {
    return NEW_YORK;
  }

  @Override
  public DayKind kind(LocalDate day) {
    DayOfWeek w = day.getDayOfWeek();
    if (w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY) {
      return DayKind.WEEKEND;
    }
    if (closedNote(day) != null) {
      return DayKind.HOLIDAY;
    }
    return earlyNote(day) != null ? DayKind.EARLY_CLOSE : DayKind.SESSION;
  }

  @Override
  public Optional<Session> session(LocalDate day) {
    DayKind k = kind(day);
    if (!k.isSession()) {
      return Optional.empty();
    }
    LocalTime close = k == DayKind.EARLY_CLOSE ? (day.getYear() < 1993 ? EARLY_BEFORE_1993 : EARLY) : CLOSE;
    return Optional.of(new Session(day, day.atTime(OPEN).atZone(NEW_YORK).toInstant(),
        day.atTime(close).atZone(NEW_YORK).toInstant(), k == DayKind.EARLY_CLOSE));
  }

  @Override
  public String note(LocalDate day) {
    DayOfWeek w = day.getDayOfWeek();
    if (w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY) {
      return null;
    }
    String c = closedNote(day);
    return c != null ? c : earlyNote(day);
  }

  private String closedNote(LocalDate day) {
    String n = holidays(day.getYear()).get(day);
    if (n == null) {
      n = AD_HOC_CLOSED.get(day);
    }
    if (n == null) {
      n = extraClosed.get(day);
    }
    return n;
  }

  /** The full-day holidays of one year (rules H1-H10 of CALENDAR.md 2.2). */
  Map<LocalDate, String> holidays(int year) {
    if (year < FIRST_YEAR) {
      throw new InvalidInputException("the us-equities calendar covers " + FIRST_YEAR + " and later; " + year
          + " is before it (use --from " + FIRST_YEAR + "-01-01, or --calendar 24x7)");
    }
    return holidaysByYear.computeIfAbsent(year, NyseCalendar::computeHolidays);
  }

  private static Map<LocalDate, String> computeHolidays(int y) {
    Map<LocalDate, String> h = new HashMap<>();
    LocalDate newYear = LocalDate.of(y, 1, 1);
    if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
      h.put(newYear.plusDays(1), "New Year's Day (observed)");
    } else if (newYear.getDayOfWeek() != DayOfWeek.SATURDAY) { // Rule 7.2: never moved to Dec 31
      h.put(newYear, "New Year's Day");
    }
    if (y >= 1998) {
      h.put(nthWeekday(y, Month.JANUARY, DayOfWeek.MONDAY, 3), "Martin Luther King Jr. Day");
    }
    h.put(nthWeekday(y, Month.FEBRUARY, DayOfWeek.MONDAY, 3), "Washington's Birthday");
    h.put(easter(y).minusDays(2), "Good Friday");
    h.put(LocalDate.of(y, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), "Memorial Day");
    if (y >= 2022) {
      putNearest(h, LocalDate.of(y, 6, 19), "Juneteenth");
    }
    putNearest(h, LocalDate.of(y, 7, 4), "Independence Day");
    h.put(nthWeekday(y, Month.SEPTEMBER, DayOfWeek.MONDAY, 1), "Labor Day");
    h.put(thanksgiving(y), "Thanksgiving Day");
    putNearest(h, LocalDate.of(y, 12, 25), "Christmas Day");
    return Collections.unmodifiableMap(h);
  }

  /** Saturday to the preceding Friday, Sunday to the following Monday. */
  private static void putNearest(Map<LocalDate, String> h, LocalDate d, String name) {
    switch (d.getDayOfWeek()) {
      case SATURDAY -> h.put(d.minusDays(1), name + " (observed)");
      case SUNDAY -> h.put(d.plusDays(1), name + " (observed)");
      default -> h.put(d, name);
    }
  }

  private String earlyNote(LocalDate d) {
    int y = d.getYear();
    DayOfWeek w = d.getDayOfWeek();
    String adHoc = AD_HOC_EARLY.get(d);
    if (adHoc != null) {
      return adHoc;
    }
    if (d.getMonth() == Month.JULY) {
      if (d.getDayOfMonth() == 3 && y >= 1995 && (w == DayOfWeek.MONDAY || w == DayOfWeek.TUESDAY
          || w == DayOfWeek.THURSDAY || (w == DayOfWeek.WEDNESDAY && y >= 2013))) {
        return "day before Independence Day (early close)";
      }
      if (d.getDayOfMonth() == 5 && w == DayOfWeek.FRIDAY && y >= 1995 && y <= 2012) {
        return "day after Independence Day (early close)";
      }
      return null;
    }
    if (d.getMonth() == Month.NOVEMBER && y >= 1992 && d.equals(thanksgiving(y).plusDays(1))) {
      return "day after Thanksgiving (early close)";
    }
    if (d.getMonth() == Month.DECEMBER && d.getDayOfMonth() == 24 && w != DayOfWeek.FRIDAY) {
      return "Christmas Eve (early close)";
    }
    return null;
  }

  private static LocalDate thanksgiving(int y) {
    return nthWeekday(y, Month.NOVEMBER, DayOfWeek.THURSDAY, 4);
  }

  private static LocalDate nthWeekday(int y, Month m, DayOfWeek w, int n) {
    return LocalDate.of(y, m, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, w));
  }

  /** Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm). */
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
}
