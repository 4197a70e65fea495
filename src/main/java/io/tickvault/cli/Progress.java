package io.tickvault.cli;

import java.io.PrintWriter;

/**
 * Progress lines on stderr for long work: one line per item (a symbol, a file), redrawn in place
 * with a bar while the item runs and finished with a newline when it is done or the next item
 * starts. Drawn only when enabled — {@link #forTerminal} enables it when a terminal is attached
 * ({@code System.console() != null}), so pipes, files and tests stay quiet. {@link #println}
 * always prints (notices), keeping a line in progress intact. A line is redrawn only when its text
 * changes, so frequent updates cost little.
 *
 * <pre>{@code
 * try (Progress p = Progress.forTerminal(err())) {
 *   p.update("AAPL", 0.42, "12,345 bars through 2024-06-30");
 *   p.done("AAPL", "25,000 bars");
 * }
 * }</pre>
 *
 * Not thread-safe: call it from the working thread.
 */
public final class Progress implements AutoCloseable {
  /** Default bar width in characters, brackets excluded. */
  public static final int DEFAULT_WIDTH = 24;

  private final PrintWriter err;
  private final boolean enabled;
  private final int width;
  private String label;
  private String shown;
  private int shownLength;

  public Progress(PrintWriter err, boolean enabled, int width) {
    this.err = err;
    this.enabled = enabled;
    this.width = Math.max(4, width);
  }

  /** Progress on {@code err}, drawn only when a terminal is attached. */
  public static Progress forTerminal(PrintWriter err) {
    return new Progress(err, System.console() != null, DEFAULT_WIDTH);
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * Shows {@code label}'s line: a bar for {@code fraction} (0..1; NaN when unknown, drawn without a
   * bar) and a detail text. Starting a new label finishes the previous line.
   */
  public void update(String label, double fraction, String detail) {
    if (!enabled) {
      return;
    }
    if (this.label != null && !this.label.equals(label)) {
      finishLine();
    }
    this.label = label;
    String text = render(label, fraction, detail);
    if (!text.equals(shown)) {
      draw(text);
    }
  }

  /** Shows {@code label}'s line complete (a full bar) and ends it with a newline. */
  public void done(String label, String detail) {
    if (!enabled) {
      return;
    }
    update(label, 1.0, detail);
    finishLine();
  }

  /** Prints a whole line (always, enabled or not), then redraws the line in progress, if any. */
  public void println(String message) {
    if (enabled && shown != null) {
      err.print("\r" + pad(message, shownLength) + "\n");
      String again = shown;
      shown = null;
      shownLength = 0;
      draw(again);
    } else {
      err.println(message);
    }
    err.flush();
  }

  /** Ends a line left in progress. */
  @Override
  public void close() {
    if (enabled) {
      finishLine();
    }
    err.flush();
  }

  /** {@code [#######-----]} for a fraction (clamped to 0..1) in {@code width} cells. */
  public static String bar(double fraction, int width) {
    double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    int full = (int) Math.floor(f * width);
    return "[" + "#".repeat(full) + "-".repeat(width - full) + "]";
  }

  private String render(String label, double fraction, String detail) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-10s", label)).append(' ');
    if (!Double.isNaN(fraction)) {
      double f = Math.max(0, Math.min(1, fraction));
      b.append(bar(f, width)).append(String.format(" %3d%%", (int) Math.floor(f * 100)));
    }
    if (detail != null && !detail.isEmpty()) {
      b.append("  ").append(detail);
    }
    return b.toString();
  }

  private void draw(String text) {
    err.print("\r" + pad(text, shownLength));
    err.flush();
    shown = text;
    shownLength = text.length();
  }

  private void finishLine() {
    if (shown != null) {
      err.print("\n");
      err.flush();
    }
    shown = null;
    shownLength = 0;
    label = null;
  }

  private static String pad(String s, int length) {
    return s.length() >= length ? s : s + " ".repeat(length - s.length());
  }
}
