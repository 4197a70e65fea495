package io.tickvault.ingest.stream;

import io.tickvault.calendar.NyseCalendar;
import io.tickvault.ingest.MarketTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When the NYSE regular session is open, for the collector's data watchdog and the collectors'
 * health: the project's own exchange calendar ({@link NyseCalendar}: weekends, full holidays,
 * one-off closures, 13:00 early closes). Stateless and thread-safe.
 */
public final class SessionCalendar {
  private static final NyseCalendar NYSE = new NyseCalendar();

  private SessionCalendar() {}

  /** The regular session of a New York day, if that day trades. */
  public static Optional<Session> session(LocalDate day) {
    return NYSE.session(day).map(s -> new Session(s.open(), s.close()));
  }

  /** Whether the regular session is open at {@code t}. */
  public static boolean isOpen(Instant t) {
    return session(MarketTime.dayOf(t)).map(s -> s.contains(t)).orElse(false);
  }

  /** Whether {@code day} has a regular session. */
  public static boolean tradingDay(LocalDate day) {
    return NYSE.kind(day).isSession();
  }

  /** A regular session: {@code [open, close)}. */
  public record Session(Instant open, Instant close) {
    public boolean contains(Instant t) {
      return !t.isBefore(open) && t.isBefore(close);
    }
  }

  /** For messages: the time in New York. */
  static String newYork(Instant t) {
    ZonedDateTime z = t.atZone(MarketTime.NEW_YORK);
    return z.toLocalDate() + " " + z.toLocalTime().withNano(0) + " New York";
  }
}
