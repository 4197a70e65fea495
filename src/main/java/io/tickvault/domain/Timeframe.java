package io.tickvault.domain;

import java.time.Duration;
import java.util.Locale;

/**
 * Bar widths tickvault knows, which are also the candle widths of the history API. Each has a
 * vendor-style name ({@code 1Min}, used on the command line and in the registry) and a short API
 * name ({@code 1m}, used by the HTTP API's {@code interval}). Widths of one day or more
 * ({@link #calendar()}) are calendar units of a source's time zone: a day starts at local midnight,
 * a week on Monday, a month on the 1st; their {@link #duration()} is nominal (a month counts 31
 * days) and only orders widths.
 */
public enum Timeframe {
  MIN_1("1Min", "1m", Duration.ofMinutes(1)),
  MIN_5("5Min", "5m", Duration.ofMinutes(5)),
  MIN_15("15Min", "15m", Duration.ofMinutes(15)),
  MIN_30("30Min", "30m", Duration.ofMinutes(30)),
  HOUR_1("1Hour", "1h", Duration.ofHours(1)),
  DAY_1("1Day", "1d", Duration.ofDays(1)),
  WEEK_1("1Week", "1w", Duration.ofDays(7)),
  MONTH_1("1Month", "1mo", Duration.ofDays(31));

  /** Every spelling accepted by {@link #parse}, in messages. */
  public static final String SPELLINGS = "1Min (1m, 1min), 5Min, 15Min, 30Min, 1Hour (1h), 1Day (1d), "
      + "1Week (1w, 1wk), 1Month (1mo, 1mon)";

  private final String cliName;
  private final String apiName;
  private final Duration duration;

  Timeframe(String cliName, String apiName, Duration duration) {
    this.cliName = cliName;
    this.apiName = apiName;
    this.duration = duration;
  }

  public String cliName() {
    return cliName;
  }

  public String apiName() {
    return apiName;
  }

  public Duration duration() {
    return duration;
  }

  /** True for widths of one day or more, cut in a source's local calendar. */
  public boolean calendar() {
    return duration.compareTo(Duration.ofDays(1)) >= 0;
  }

  /** True when this width is finer (shorter) than {@code other}. */
  public boolean finerThan(Timeframe other) {
    return duration.compareTo(other.duration) < 0;
  }

  /**
   * Reads a width in any usual spelling: {@code 1Min}, {@code 1min}, {@code 1m}, {@code 5m},
   * {@code 1h}, {@code 1Hour}, {@code 1d}, {@code 1Day}, {@code 1w}, {@code 1Week}, {@code 1mo},
   * {@code 1Month} (letter case ignored). {@code 1M} is refused: it means a month in some tools and
   * a minute in others, so the message asks for {@code 1mo} or {@code 1min}.
   */
  public static Timeframe parse(String s) {
    String raw = s == null ? "" : s.strip();
    if (raw.matches("[0-9]+M")) {
      throw new InvalidInputException("ambiguous timeframe " + Text.quote(s) + ": write " + raw.replace("M", "mo")
          + " (or " + raw.replace("M", "Month") + ") for months, " + raw.replace("M", "min") + " (or "
          + raw.replace("M", "m") + ") for minutes");
    }
    String t = raw.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
      i++;
    }
    String n = t.substring(0, i);
    String unit = switch (t.substring(i)) {
      case "m", "min", "mins", "minute", "minutes" -> "min";
      case "h", "hr", "hour", "hours" -> "hour";
      case "d", "day", "days" -> "day";
      case "w", "wk", "week", "weeks" -> "week";
      case "mo", "mon", "month", "months" -> "month";
      default -> null;
    };
    if (unit != null && !n.isEmpty()) {
      String canonical = n.replaceFirst("^0+(?=.)", "") + unit;
      for (Timeframe f : values()) {
        if (f.cliName.toLowerCase(Locale.ROOT).equals(canonical)) {
          return f;
        }
      }
      if (canonical.equals("60min")) {
        return HOUR_1;
      }
    }
    throw new InvalidInputException("invalid timeframe " + Text.quote(s) + ": use " + SPELLINGS);
  }

  @Override
  public String toString() {
    return cliName;
  }
}
