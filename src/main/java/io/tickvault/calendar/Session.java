package io.tickvault.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One trading session: its day (in the exchange's zone) and the half-open interval
 * {@code [open, close)} in UTC.
 */
public record Session(LocalDate day, Instant open, Instant close, boolean earlyClose) {

  /**
   * How many bars of the given width a complete session holds: the grid slots (aligned on the epoch,
   * as vendors align minute and hour bars) that overlap {@code [open, close)}. 390 one-minute bars
   * for a regular NYSE day, 210 for an early close, 7 one-hour bars (09:00..15:00).
   */
  public long expectedBars(Duration width) {
    return expectedBars(width, 0);
  }

  /**
   * The same on a grid shifted by {@code anchorSeconds} (0 to the width): bars at 09:30, 10:30 ...
   * when hour bars start at the open.
   */
  public long expectedBars(Duration width, long anchorSeconds) {
    long w = width.getSeconds();
    long first = Math.floorDiv(open.getEpochSecond() - anchorSeconds, w);
    long end = Math.floorDiv(close.getEpochSecond() - anchorSeconds + w - 1, w);
    return end - first;
  }

  /** Whether a bar of the given width starting at {@code start} overlaps the session. */
  public boolean overlaps(Instant start, Duration width) {
    return start.isBefore(close) && start.plus(width).isAfter(open);
  }
}
