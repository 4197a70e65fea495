package io.tickvault.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Where the bars of a source may start: the source's bar width on its market time zone's clock.
 * Intraday bars start on whole multiples of their width counted from local midnight (minute bars
 * on whole minutes, hourly bars on whole hours), daily bars at local midnight of their session
 * date, weekly bars at local midnight of a Monday, monthly bars at local midnight of the 1st.
 * Immutable.
 */
public record BarGrid(Timeframe width, ZoneId zone) {
  /** The zone of a source created without one: the US stock market's. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/New_York");

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss EEE");

  public BarGrid {
    Objects.requireNonNull(width, "width");
    Objects.requireNonNull(zone, "zone");
  }

  /** Why {@code t} is not on this grid, as a sentence, or null when it is. */
  public String offGrid(Instant t) {
    if (!width.calendar()) {
      // the bulk paths' form: the local time of day from the zone's offset, without a ZonedDateTime
      long local = t.getEpochSecond() + zone.getRules().getOffset(t).getTotalSeconds();
      long nanosOfDay = Math.floorMod(local, 86_400L) * 1_000_000_000L + t.getNano();
      if (nanosOfDay % width.duration().toNanos() == 0) {
        return null;
      }
    }
    ZonedDateTime local = t.atZone(zone);
    boolean on;
    if (width.calendar()) {
      on = local.toLocalTime().toNanoOfDay() == 0
          && (width != Timeframe.WEEK_1 || local.getDayOfWeek() == DayOfWeek.MONDAY)
          && (width != Timeframe.MONTH_1 || local.getDayOfMonth() == 1);
    } else {
      long nanos = local.toLocalTime().toNanoOfDay();
      on = nanos % width.duration().toNanos() == 0;
    }
    if (on) {
      return null;
    }
    String where = "timestamp " + t + " (" + LOCAL.format(local.toLocalDateTime()) + " in " + zone.getId() + ")";
    String rule = switch (width) {
      case DAY_1 -> "daily bars start at local midnight of their session date";
      case WEEK_1 -> "weekly bars start at local midnight of a Monday";
      case MONTH_1 -> "monthly bars start at local midnight of the 1st";
      case HOUR_1 -> "hourly bars start on whole hours of local time";
      case MIN_1 -> "minute bars start on whole minutes";
      default -> width + " bars start on whole multiples of " + width.duration().toMinutes()
          + " minutes from local midnight";
    };
    String out = where + " is not on the " + width + " grid of " + zone.getId() + ": " + rule;
    if (width.calendar()) {
      ZoneId other = midnightZone(t);
      if (other != null && !other.equals(zone)) {
        out += "; it is midnight in " + other.getId() + ": if these are bars of a market in that zone (e.g. 24/7 "
            + "crypto bars cut at UTC midnight), put them in a source created with --timezone " + other.getId();
      }
    }
    return out;
  }

  /** Zones tried when a day-aligned timestamp is not at midnight of the source's zone, in order. */
  public static final java.util.List<ZoneId> COMMON_ZONES = java.util.List.of(ZoneId.of("UTC"), DEFAULT_ZONE, ZoneId.of("Europe/London"), ZoneId.of("Europe/Berlin"),
      ZoneId.of("Asia/Hong_Kong"), ZoneId.of("Asia/Tokyo"), ZoneId.of("Australia/Sydney"),
      ZoneId.of("America/Chicago"), ZoneId.of("Asia/Shanghai"), ZoneId.of("Asia/Kolkata"),
      ZoneId.of("America/Los_Angeles"), ZoneId.of("America/Sao_Paulo"));

  /** The first of {@link #COMMON_ZONES} in which {@code t} is local midnight, or null. */
  public static ZoneId midnightZone(Instant t) {
    for (ZoneId z : COMMON_ZONES) {
      if (t.atZone(z).toLocalTime().toNanoOfDay() == 0) {
        return z;
      }
    }
    return null;
  }

  /** True when {@code t} is local midnight in {@code zone}. */
  public static boolean midnight(Instant t, ZoneId zone) {
    return t.atZone(zone).toLocalTime().toNanoOfDay() == 0;
  }

  /**
   * A market time zone by its IANA name ({@code America/New_York}, {@code Asia/Hong_Kong},
   * {@code UTC}); offsets and abbreviations ({@code +08:00}, {@code EST}) are refused because they
   * do not follow daylight-saving changes. {@code what} names the option in the message.
   */
  public static ZoneId zone(String name, String what) {
    String n = name == null ? "" : name.strip();
    if (n.equalsIgnoreCase("utc") || n.equals("Etc/UTC")) {
      return ZoneId.of("UTC");
    }
    if (ZoneId.getAvailableZoneIds().contains(n) && n.contains("/")) {
      return ZoneId.of(n);
    }
    for (String id : ZoneId.getAvailableZoneIds()) {
      if (id.equalsIgnoreCase(n) && id.contains("/")) {
        return ZoneId.of(id);
      }
    }
    throw new InvalidInputException("invalid " + what + " " + Text.quote(name) + ": use an IANA time zone name such "
        + "as America/New_York, Europe/London, Asia/Hong_Kong or UTC (offsets such as +08:00 and abbreviations such "
        + "as EST do not follow daylight saving)");
  }

  /** The local date-time of {@code t} in this grid's zone. */
  public LocalDateTime local(Instant t) {
    return LocalDateTime.ofInstant(t, zone);
  }
}
