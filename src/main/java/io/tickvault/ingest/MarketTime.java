package io.tickvault.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The US market calendar that vendor dates refer to. {@code --from}/{@code --to} dates of vendor
 * ingests are New York calendar days (as both vendors interpret them), and daily bars are stamped
 * at 00:00 New York time (05:00Z in winter, 04:00Z in summer). Stateless and thread-safe.
 */
public final class MarketTime {
  /** America/New_York. */
  public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private MarketTime() {}

  /** 00:00 New York time of the day, as an instant. */
  public static Instant dayStart(LocalDate day) {
    return day.atStartOfDay(NEW_YORK).toInstant();
  }

  /** The New York calendar day of an instant. */
  public static LocalDate dayOf(Instant t) {
    return LocalDate.ofInstant(t, NEW_YORK);
  }

  /** Today in New York. */
  public static LocalDate today(Clock clock) {
    return LocalDate.now(clock.withZone(NEW_YORK));
  }
}
