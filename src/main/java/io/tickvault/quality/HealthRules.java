package io.tickvault.quality;

import io.tickvault.calendar.AlwaysOpenCalendar;
import io.tickvault.calendar.NyseCalendar;
import io.tickvault.calendar.Session;
import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.Timeframe;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * When a source is late (issue 14 §2), as pure functions of the calendar, the source's bar width
 * and zone, the grace and "now" (tests pass fixed instants).
 *
 * <ul>
 *   <li><b>Session calendars</b> ({@code us-equities}): a session is <i>completed</i> {@code grace}
 *       after its close; the source must hold a bar of the last completed session's day or later
 *       (intraday widths: the day in New York; day bars: the bar stamped on that day in the source's
 *       zone; week and month bars: the week or month that holds it).
 *   <li><b>24x7</b>: the newest bar must have ended ({@code start + width}) at most one bar width
 *       plus {@code grace} ago: one further bar may be in progress, and it gets {@code grace} to
 *       arrive.
 * </ul>
 */
public final class HealthRules {
  /** Default grace after a session's close (us-equities): vendors publish, nightly ingests run. */
  public static final Duration SESSION_GRACE = Duration.ofHours(6);
  /** Default grace after a bar was due (24x7). */
  public static final Duration ALWAYS_OPEN_GRACE = Duration.ofHours(1);

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd", Locale.ROOT);
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private HealthRules() {}

  /**
   * The calendar a source's bars follow: {@code 24x7} for a source kept in UTC (what {@code create
   * --calendar 24x7} sets up), else {@code us-equities} with the extra closures.
   */
  public static TradingCalendar calendarFor(ZoneId zone, Collection<LocalDate> extraClosed) {
    return zone != null && zone.normalized().equals(ZoneOffset.UTC) ? AlwaysOpenCalendar.INSTANCE
        : new NyseCalendar(extraClosed);
  }

  /**
   * What a source must hold at {@code now}: its newest bar must start at or after {@code notBefore}.
   * {@code session} is the last completed session (null on 24x7), {@code dueSince} when that became
   * required, {@code what} the rule in words.
   */
  public record Expectation(Instant notBefore, Session session, Instant dueSince, String what) {}

  public static Expectation expected(TradingCalendar calendar, Timeframe width, ZoneId zone, Instant now,
      Duration grace) {
    if (calendar instanceof AlwaysOpenCalendar) {
      Duration w = width == null ? Duration.ZERO : width.duration();
      // newest + w >= now - w - grace
      Instant notBefore = now.minus(w).minus(w).minus(grace);
      return new Expectation(notBefore, null, null, "a " + (width == null ? "" : width.cliName() + " ")
          + "bar that ended at most " + human(w.plus(grace)) + " ago (one bar width + grace " + human(grace)
          + ", 24x7)");
    }
    Session s = lastCompletedSession(calendar, now, grace).orElseThrow(() -> new IllegalStateException(
        "no completed session in the 30 days before " + now));
    LocalDate day = s.day();
    Instant notBefore;
    if (width == null || !width.calendar()) {
      notBefore = day.atStartOfDay(calendar.zone()).toInstant();
    } else if (width == Timeframe.WEEK_1) {
      notBefore = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
    } else if (width == Timeframe.MONTH_1) {
      notBefore = day.withDayOfMonth(1).atStartOfDay(zone).toInstant();
    } else {
      notBefore = day.atStartOfDay(zone).toInstant();
    }
    Instant due = s.close().plus(grace);
    return new Expectation(notBefore, s, due, "a bar of the last completed session, " + DAY.format(day).toLowerCase(
        Locale.ROOT) + " (closed " + LOCAL.format(s.close().atZone(calendar.zone())).substring(11) + " "
        + city(calendar.zone()) + "; due since " + LOCAL.format(due.atZone(calendar.zone())) + " " + city(calendar.zone())
        + ", grace " + human(grace) + ")");
  }

  /** The newest session whose close plus {@code grace} is at or before {@code now}. */
  public static Optional<Session> lastCompletedSession(TradingCalendar calendar, Instant now, Duration grace) {
    LocalDate d = now.atZone(calendar.zone()).toLocalDate();
    for (int i = 0; i < 30; i++, d = d.minusDays(1)) {
      Optional<Session> s = calendar.session(d);
      if (s.isPresent() && !s.get().close().plus(grace).isAfter(now)) {
        return s;
      }
    }
    return Optional.empty();
  }

  private static String city(ZoneId zone) {
    String id = zone.getId();
    return id.substring(id.lastIndexOf('/') + 1).replace('_', ' ');
  }

  static String human(Duration d) {
    return io.tickvault.domain.Text.duration(d);
  }
}
