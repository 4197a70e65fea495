package io.tickvault.domain;

import java.time.Duration;
import java.util.Locale;

/**
 * Bar widths tickvault knows. Each has a vendor-style name ({@code 1Min}, used on the command line)
 * and a short API name ({@code 1m}, used by the HTTP API's {@code interval}).
 */
public enum Timeframe {
  MIN_1("1Min", "1m", Duration.ofMinutes(1)),
  MIN_5("5Min", "5m", Duration.ofMinutes(5)),
  MIN_15("15Min", "15m", Duration.ofMinutes(15)),
  HOUR_1("1Hour", "1h", Duration.ofHours(1)),
  DAY_1("1Day", "1d", Duration.ofDays(1));

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

  /** Accepts either spelling, case-insensitively: {@code 1Min}, {@code 1min}, {@code 1m}, {@code 1Day}, {@code 1d}. */
  public static Timeframe parse(String s) {
    String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    for (Timeframe f : values()) {
      if (f.cliName.toLowerCase(Locale.ROOT).equals(t) || f.apiName.equals(t)) {
        return f;
      }
    }
    throw new InvalidInputException(
        "invalid timeframe " + Text.quote(s) + ": use 1Min, 5Min, 15Min, 1Hour or 1Day (or 1m, 5m, 15m, 1h, 1d)");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
