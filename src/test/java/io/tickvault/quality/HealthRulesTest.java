package io.tickvault.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.calendar.AlwaysOpenCalendar;
import io.tickvault.calendar.NyseCalendar;
import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lateness rules against the real NYSE calendar at fixed instants: the last completed session
 * over a weekend, on a holiday (Thanksgiving 2026, then its 13:00 early close), before and after a
 * close (with and without the grace), the instant a source becomes due, and the 24x7 rule.
 */
class HealthRulesTest {
  private static final TradingCalendar NYSE = new NyseCalendar();
  private static final ZoneId NY = NyseCalendar.NEW_YORK;
  private static final Duration SIX_HOURS = HealthRules.SESSION_GRACE;

  private static LocalDate lastSession(String now, Duration grace) {
    return HealthRules.lastCompletedSession(NYSE, Instant.parse(now), grace).orElseThrow().day();
  }

  @Test
  void over_a_weekend_the_last_completed_session_is_friday() {
    // Fri 2026-11-27 is the early close after Thanksgiving: 13:00 New York = 18:00Z, +6h = Sat 00:00Z
    assertEquals(LocalDate.parse("2026-11-27"), lastSession("2026-11-28T12:00:00Z", SIX_HOURS));
    assertEquals(LocalDate.parse("2026-11-27"), lastSession("2026-11-29T23:00:00Z", SIX_HOURS));
    // Friday evening, within the grace of the early close: Wednesday is still the last completed one
    assertEquals(LocalDate.parse("2026-11-25"), lastSession("2026-11-27T23:00:00Z", SIX_HOURS));
    assertEquals(LocalDate.parse("2026-11-27"), lastSession("2026-11-27T23:00:00Z", Duration.ZERO));
  }

  @Test
  void on_a_holiday_the_last_completed_session_is_the_day_before() {
    // Thanksgiving, Thu 2026-11-26: closed all day
    assertEquals(LocalDate.parse("2026-11-25"), lastSession("2026-11-26T20:00:00Z", SIX_HOURS));
    // Good Friday 2026-04-03: the Thursday before, all through the long weekend
    assertEquals(LocalDate.parse("2026-04-02"), lastSession("2026-04-06T12:00:00Z", SIX_HOURS));
  }

  @Test
  void before_the_close_the_day_before_counts_after_close_and_grace_the_day_itself() {
    // Mon 2026-11-30, 15:00 New York: the session is still open
    assertEquals(LocalDate.parse("2026-11-27"), lastSession("2026-11-30T20:00:00Z", SIX_HOURS));
    // 16:30 New York: closed, but within the 6h grace; without a grace it is complete
    assertEquals(LocalDate.parse("2026-11-27"), lastSession("2026-11-30T21:30:00Z", SIX_HOURS));
    assertEquals(LocalDate.parse("2026-11-30"), lastSession("2026-11-30T21:30:00Z", Duration.ZERO));
    // 22:00 New York = 03:00Z next day: due exactly now
    assertEquals(LocalDate.parse("2026-11-30"), lastSession("2026-12-01T03:00:00Z", SIX_HOURS));
    assertEquals(LocalDate.parse("2026-11-27"), lastSession("2026-12-01T02:59:59Z", SIX_HOURS));
  }

  @Test
  void summer_time_moves_the_close_in_utc() {
    // Mon 2026-06-01 closes at 20:00Z (EDT); +6h = 02:00Z
    assertEquals(LocalDate.parse("2026-06-01"), lastSession("2026-06-02T02:00:00Z", SIX_HOURS));
    assertEquals(LocalDate.parse("2026-05-29"), lastSession("2026-06-02T01:59:00Z", SIX_HOURS));
  }

  @Test
  void intraday_sources_need_a_bar_of_that_day_in_new_york_day_sources_the_day_bar() {
    Instant now = Instant.parse("2026-12-01T03:30:00Z"); // Mon 22:30 New York
    HealthRules.Expectation m = HealthRules.expected(NYSE, Timeframe.MIN_1, NY, now, SIX_HOURS);
    assertEquals(Instant.parse("2026-11-30T05:00:00Z"), m.notBefore()); // Mon 00:00 New York
    assertEquals(LocalDate.parse("2026-11-30"), m.session().day());
    assertEquals(Instant.parse("2026-12-01T03:00:00Z"), m.dueSince());
    assertTrue(m.what().contains("mon 2026-11-30") && m.what().contains("closed 16:00 New York"), m.what());
    HealthRules.Expectation d = HealthRules.expected(NYSE, Timeframe.DAY_1, NY, now, SIX_HOURS);
    assertEquals(Instant.parse("2026-11-30T05:00:00Z"), d.notBefore());
    HealthRules.Expectation w = HealthRules.expected(NYSE, Timeframe.WEEK_1, NY, Instant.parse("2026-11-28T12:00:00Z"),
        SIX_HOURS);
    assertEquals(Instant.parse("2026-11-23T05:00:00Z"), w.notBefore()); // the week of Mon 2026-11-23
  }

  @Test
  void a_24x7_bar_must_have_ended_at_most_one_width_plus_the_grace_ago() {
    Duration hour = Duration.ofHours(1);
    HealthRules.Expectation e = HealthRules.expected(AlwaysOpenCalendar.INSTANCE, Timeframe.HOUR_1, ZoneId.of("UTC"),
        Instant.parse("2026-12-01T05:00:00Z"), hour);
    // the 02:00 bar ended at 03:00: one more hour bar (03:00-04:00) may be missing for the 1h grace
    assertEquals(Instant.parse("2026-12-01T02:00:00Z"), e.notBefore());
    assertEquals(null, e.session());
    HealthRules.Expectation day = HealthRules.expected(AlwaysOpenCalendar.INSTANCE, Timeframe.DAY_1, ZoneId.of("UTC"),
        Instant.parse("2026-12-01T00:30:00Z"), hour);
    // just after midnight the bar of 11-30 is not due yet: 11-29 is enough
    assertEquals(Instant.parse("2026-11-28T23:30:00Z"), day.notBefore());
  }

  @Test
  void a_source_kept_in_utc_is_24x7_others_follow_the_nyse() {
    assertEquals("24x7", HealthRules.calendarFor(ZoneId.of("UTC"), List.of()).name());
    assertEquals("24x7", HealthRules.calendarFor(ZoneId.of("Etc/UTC"), List.of()).name());
    assertEquals("us-equities", HealthRules.calendarFor(NY, List.of()).name());
    assertEquals("us-equities", HealthRules.calendarFor(ZoneId.of("Asia/Hong_Kong"), List.of()).name());
  }
}
