package io.tickvault.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Picks out of a source marked mixed the bars of one width, the way {@link WidthInference} found
 * them mixed: a bar at local midnight that stands alone (more than an hour from the bars before and
 * after it of the same symbol) is a daily (or wider) bar; every other bar is intraday. Reads bars
 * ordered by symbol, then timestamp, one bar ahead. Not thread-safe.
 */
public final class WidthSplit implements Iterator<Bar> {
  private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  private final Iterator<Bar> in;
  private final ZoneId zone;
  private final boolean calendar;
  private Bar prev;
  private long prevGap = Long.MAX_VALUE;
  private Bar ready;

  /** The bars of {@code in} that are of {@code width}'s kind: calendar (1Day and wider) or intraday. */
  public WidthSplit(Iterator<Bar> in, ZoneId zone, Timeframe width) {
    this.in = in;
    this.zone = zone;
    this.calendar = width.calendar();
  }

  @Override
  public boolean hasNext() {
    while (ready == null && (prev != null || in.hasNext())) {
      Bar b = in.hasNext() ? in.next() : null;
      long gap = Long.MAX_VALUE;
      if (b != null && prev != null && b.symbol().equals(prev.symbol())) {
        gap = Duration.between(prev.timestamp(), b.timestamp()).toNanos();
      }
      if (prev != null && standsAloneAtMidnight(prev.timestamp(), prevGap, gap) == calendar) {
        ready = prev;
      }
      prev = b;
      prevGap = gap;
    }
    return ready != null;
  }

  private boolean standsAloneAtMidnight(Instant t, long before, long after) {
    return BarGrid.midnight(t, zone) && before > HOUR_NANOS && after > HOUR_NANOS;
  }

  @Override
  public Bar next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Bar b = ready;
    ready = null;
    return b;
  }
}
