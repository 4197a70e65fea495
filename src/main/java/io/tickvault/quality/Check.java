package io.tickvault.quality;

import java.util.Locale;

/** The checks of {@code validate}, each with its severity. */
public enum Check {
  OHLC_OUTSIDE_RANGE(Severity.ERROR, "open, close or vwap outside [low, high], or high below low"),
  OFF_GRID(Severity.ERROR, "timestamp off the source's grid (another width, or not at the start of a bar)"),
  FUTURE(Severity.ERROR, "timestamp in the future"),
  ZERO_VOLUME_MOVE(Severity.ERROR, "volume 0 with a price change"),
  MISSING_SESSION(Severity.WARNING, "a trading session without any bar"),
  NON_SESSION_BAR(Severity.WARNING, "bars on a day the exchange is closed (weekend or holiday)"),
  JUMP(Severity.WARNING, "close-to-close move beyond the jump threshold"),
  SPLIT_LIKE(Severity.WARNING, "close-to-close move close to a split ratio (2:1, 3:1, 3:2, 1:10 ...)"),
  VOLUME_SPIKE(Severity.WARNING, "volume far above the symbol's rolling median"),
  IDENTICAL_RUN(Severity.WARNING, "a run of identical bars (a stalled feed?)");

  /** Errors fail {@code validate}; warnings only with {@code --strict}. */
  public enum Severity { ERROR, WARNING;
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Severity severity;
  private final String description;

  Check(Severity severity, String description) {
    this.severity = severity;
    this.description = description;
  }

  public Severity severity() {
    return severity;
  }

  public String description() {
    return description;
  }

  /** Lowercase with dashes, as printed: {@code ohlc-outside-range}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
