package io.tickvault.domain;

/**
 * A write of bars of one width into a source that holds another: refused before anything is
 * written, because a source holds bars of one width only (a daily bar among minute bars would be
 * counted twice in every daily candle). The message names both widths and the way out.
 */
public final class WidthMismatchException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final SourceName source;
  private final Timeframe held;
  private final Timeframe offered;

  public WidthMismatchException(SourceName source, Timeframe held, Timeframe offered) {
    super(message(source, held, offered, null));
    this.source = source;
    this.held = held;
    this.offered = offered;
  }

  public SourceName source() {
    return source;
  }

  public Timeframe held() {
    return held;
  }

  public Timeframe offered() {
    return offered;
  }

  /** A source name for the offered bars: {@code alpaca_1day}. */
  public String suggestedSource() {
    return suggested(source, offered);
  }

  private static String suggested(SourceName source, Timeframe offered) {
    String suffix = "_" + offered.cliName().toLowerCase(java.util.Locale.ROOT);
    String base = source.value();
    if (base.length() + suffix.length() > 40) {
      base = base.substring(0, 40 - suffix.length());
    }
    return base + suffix;
  }

  /** The message with the option that picks the target of the command that failed ({@code --into}). */
  public String message(String option) {
    return message(source, held, offered, option);
  }

  private static String message(SourceName source, Timeframe held, Timeframe offered, String option) {
    String other = suggested(source, offered);
    return source + " holds " + held + " bars; write " + offered + " bars into another source: "
        + (option == null ? other : option + " " + other) + " (a source holds bars of one width, so that daily "
        + "candles never add daily bars to minute bars); nothing was written";
  }
}
