package io.tickvault.calendar;

/** What a calendar says about one day. */
public enum DayKind {
  /** A regular trading session. */
  SESSION,
  /** A session that closes early (13:00 New York time on the NYSE). */
  EARLY_CLOSE,
  /** A weekday on which the exchange is closed (a holiday or a one-off closure). */
  HOLIDAY,
  /** Saturday or Sunday. */
  WEEKEND;

  public boolean isSession() {
    return this == SESSION || this == EARLY_CLOSE;
  }

  /** Lowercase with a dash, as in the JSON output: {@code early-close}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
