package io.tickvault.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The NYSE calendar against the test vectors of the shared CALENDAR.md (section 2.7). */
class NyseCalendarTest {
  final NyseCalendar cal = new NyseCalendar();

  /** Weekday holidays and early closes per year, exactly as CALENDAR.md 2.7 lists them. */
  static final Map<Integer, String[]> VECTORS = Map.of(
      2001, new String[] {"01-01 01-15 02-19 04-13 05-28 07-04 09-03 09-11 09-12 09-13 09-14 11-22 12-25",
          "07-03 11-23 12-24"},
      2012, new String[] {"01-02 01-16 02-20 04-06 05-28 07-04 09-03 10-29 10-30 11-22 12-25", "07-03 11-23 12-24"},
      2018, new String[] {"01-01 01-15 02-19 03-30 05-28 07-04 09-03 11-22 12-05 12-25", "07-03 11-23 12-24"},
      2024, new String[] {"01-01 01-15 02-19 03-29 05-27 06-19 07-04 09-02 11-28 12-25", "07-03 11-29 12-24"},
      2025, new String[] {"01-01 01-09 01-20 02-17 04-18 05-26 06-19 07-04 09-01 11-27 12-25", "07-03 11-28 12-24"},
      2026, new String[] {"01-01 01-19 02-16 04-03 05-25 06-19 07-03 09-07 11-26 12-25", "11-27 12-24"},
      2027, new String[] {"01-01 01-18 02-15 03-26 05-31 06-18 07-05 09-06 11-25 12-24", "11-26"},
      2028, new String[] {"01-17 02-21 04-14 05-29 06-19 07-04 09-04 11-23 12-25", "07-03 11-24"});

  @Test
  void everyWeekdayOfTheVectorYearsHasTheListedKind() {
    for (var e : VECTORS.entrySet()) {
      int y = e.getKey();
      Set<LocalDate> holidays = days(y, e.getValue()[0]);
      Set<LocalDate> early = days(y, e.getValue()[1]);
      List<LocalDate> foundHolidays = new ArrayList<>();
      List<LocalDate> foundEarly = new ArrayList<>();
      for (LocalDate d = LocalDate.of(y, 1, 1); d.getYear() == y; d = d.plusDays(1)) {
        DayKind k = cal.kind(d);
        if (k == DayKind.HOLIDAY) foundHolidays.add(d);
        if (k == DayKind.EARLY_CLOSE) foundEarly.add(d);
      }
      assertEquals(holidays, Set.copyOf(foundHolidays), "holidays of " + y);
      assertEquals(early, Set.copyOf(foundEarly), "early closes of " + y);
    }
  }

  @Test
  void sessionsPerYearMatchTheReference() {
    int[] counts = {252, 248, 252, 252, 252, 252, 251, 251, 253, 252, 252, 252, 250, 252, 252, 252, 252, 251, 251,
        252, 253, 252, 251, 250, 252, 250, 251, 251, 251, 251, 251};
    for (int i = 0; i < counts.length; i++) {
      int y = 2000 + i;
      int n = 0;
      for (LocalDate d = LocalDate.of(y, 1, 1); d.getYear() == y; d = d.plusDays(1)) {
        if (cal.isSession(d)) n++;
      }
      assertEquals(counts[i], n, "sessions in " + y);
    }
  }

  @Test
  void edgeDates() {
    for (String open : List.of("2004-12-31", "2010-12-31", "2021-12-31", "2027-12-31", "2021-06-18")) {
      assertEquals(DayKind.SESSION, cal.kind(LocalDate.parse(open)), open + " is a regular session");
    }
    for (String full : List.of("2015-07-02", "2020-07-02", "2021-07-02", "2026-07-02", "2002-07-03", "2013-07-05",
        "2008-12-26", "2014-12-26", "2025-12-26")) {
      assertEquals(DayKind.SESSION, cal.kind(LocalDate.parse(full)), full + " is a full day");
    }
    for (String early : List.of("2002-07-05", "2013-07-03", "2003-12-26", "1997-12-26")) {
      assertEquals(DayKind.EARLY_CLOSE, cal.kind(LocalDate.parse(early)), early + " closes early");
    }
    for (String closed : List.of("2022-06-20", "2027-06-18", "2004-12-24", "2027-12-24", "2015-07-03", "2021-07-05",
        "2012-10-29", "1994-04-27", "2004-06-11", "2007-01-02")) {
      assertEquals(DayKind.HOLIDAY, cal.kind(LocalDate.parse(closed)), closed + " is closed");
    }
    assertEquals(DayKind.SESSION, cal.kind(LocalDate.parse("1997-01-20")), "no MLK day before 1998");
    assertEquals(DayKind.HOLIDAY, cal.kind(LocalDate.parse("1998-01-19")));
    assertEquals(DayKind.WEEKEND, cal.kind(LocalDate.parse("2025-01-11")));
    assertEquals("Hurricane Sandy", cal.note(LocalDate.parse("2012-10-29")));
    assertEquals("Good Friday", cal.note(LocalDate.parse("2024-03-29")));
  }

  @Test
  void sessionHoursFollowNewYorkTimeAcrossDaylightSaving() {
    // the week of the March 2024 change (Sunday 2024-03-10): EST on Friday, EDT on Monday
    Session fri = cal.session(LocalDate.parse("2024-03-08")).orElseThrow();
    assertEquals(Instant.parse("2024-03-08T14:30:00Z"), fri.open());
    assertEquals(Instant.parse("2024-03-08T21:00:00Z"), fri.close());
    Session mon = cal.session(LocalDate.parse("2024-03-11")).orElseThrow();
    assertEquals(Instant.parse("2024-03-11T13:30:00Z"), mon.open());
    assertEquals(Instant.parse("2024-03-11T20:00:00Z"), mon.close());
    // November 2024 (Sunday 2024-11-03): back to EST
    Session nov = cal.session(LocalDate.parse("2024-11-04")).orElseThrow();
    assertEquals(Instant.parse("2024-11-04T14:30:00Z"), nov.open());
    assertEquals(390, nov.expectedBars(Duration.ofMinutes(1)));
    assertEquals(78, nov.expectedBars(Duration.ofMinutes(5)));
    assertEquals(7, nov.expectedBars(Duration.ofHours(1)));
    Session early = cal.session(LocalDate.parse("2024-11-29")).orElseThrow();
    assertTrue(early.earlyClose());
    assertEquals(Instant.parse("2024-11-29T18:00:00Z"), early.close());
    assertEquals(210, early.expectedBars(Duration.ofMinutes(1)));
    assertFalse(cal.session(LocalDate.parse("2024-12-25")).isPresent());
    assertEquals(Instant.parse("1992-12-24T19:00:00Z"), cal.session(LocalDate.parse("1992-12-24")).orElseThrow().close(),
        "14:00 early closes before 1993");
  }

  @Test
  void easterMatchesKnownDates() {
    assertEquals(LocalDate.parse("2024-03-31"), NyseCalendar.easter(2024));
    assertEquals(LocalDate.parse("2025-04-20"), NyseCalendar.easter(2025));
    assertEquals(LocalDate.parse("2000-04-23"), NyseCalendar.easter(2000));
    assertEquals(LocalDate.parse("2038-04-25"), NyseCalendar.easter(2038));
  }

  @Test
  void extraClosuresAndRefusals() {
    TradingCalendar c = TradingCalendar.named("us-equities", List.of(LocalDate.parse("2026-03-04")));
    assertEquals(DayKind.HOLIDAY, c.kind(LocalDate.parse("2026-03-04")));
    assertEquals(DayKind.SESSION, cal.kind(LocalDate.parse("2026-03-04")));
    assertThrows(InvalidInputException.class, () -> cal.kind(LocalDate.parse("1989-05-03")));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TradingCalendar.named("lse", null));
    assertTrue(e.getMessage().contains("us-equities"), e.getMessage());
    TradingCalendar always = TradingCalendar.named("24x7", null);
    assertEquals(DayKind.SESSION, always.kind(LocalDate.parse("2025-12-25")));
    assertEquals(1440, always.session(LocalDate.parse("2025-12-25")).orElseThrow().expectedBars(Duration.ofMinutes(1)));
    assertEquals(LocalDate.parse("2025-12-26"), cal.nextSessionOnOrAfter(LocalDate.parse("2025-12-25")));
    assertEquals(DayOfWeek.MONDAY, cal.nextSessionOnOrAfter(LocalDate.parse("2025-12-27")).getDayOfWeek());
  }

  private static Set<LocalDate> days(int y, String list) {
    Set<LocalDate> s = new java.util.HashSet<>();
    for (String md : list.split(" ")) {
      s.add(LocalDate.parse(y + "-" + md));
    }
    return s;
  }
}
