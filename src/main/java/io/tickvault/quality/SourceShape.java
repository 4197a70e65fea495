package io.tickvault.quality;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A source's bar width and the zone its day bars are stamped in, and how they were decided. The one
 * place where validate and backtest learn them: from the source registry (every source written by this
 * version records one width and one zone). Only a source without a recorded width (a table tickvault
 * has not written, or one that mixes widths) falls back to inference from its first bars (the most
 * common step between two bars of one symbol; a day bar at 00:00 UTC means UTC, otherwise the
 * exchange's zone), and {@link #how} says so.
 */
public record SourceShape(Timeframe width, ZoneId zone, String how) {
  /** Bars looked at to infer the width. */
  static final int SAMPLE = 2000;

  /** The width and zone of the selected bars; {@code fallbackZone} is the calendar's zone. */
  public static SourceShape of(BarStore store, SourceName source, BarFilter filter, ZoneId fallbackZone) {
    java.util.Optional<io.tickvault.store.SourceRecord> rec = store.source(source);
    if (rec.isPresent() && rec.get().width() != null && rec.get().mixed() == null) {
      return new SourceShape(rec.get().width(), rec.get().zone(), "from the source registry");
    }
    String why = rec.isPresent() && rec.get().mixed() != null
        ? "the source mixes bar widths (" + rec.get().mixed() + "); " : "the registry records no width; ";
    SourceShape inferred = infer(store, source, filter, fallbackZone);
    return new SourceShape(inferred.width(), inferred.zone(), why + inferred.how());
  }

  private static SourceShape infer(BarStore store, SourceName source, BarFilter filter, ZoneId fallbackZone) {
    Bar previous = null;
    java.util.Map<Long, Integer> steps = new java.util.HashMap<>();
    Instant first = null;
    int seen = 0;
    try (BarPipe.BarCursor c = BarPipe.open(sink -> store.read(source, filter, sink))) {
      while (c.hasNext() && seen < SAMPLE) {
        Bar b = c.next();
        seen++;
        if (first == null) {
          first = b.timestamp();
        }
        if (previous != null && previous.symbol().equals(b.symbol())) {
          long d = Duration.between(previous.timestamp(), b.timestamp()).getSeconds();
          if (d > 0) {
            steps.merge(d, 1, Integer::sum);
          }
        }
        previous = b;
      }
    }
    if (first == null) {
      return new SourceShape(Timeframe.DAY_1, fallbackZone, "no bars");
    }
    // the most common step (ties: the smaller): a stray bar off the grid or a gap does not decide it
    Duration step = steps.entrySet().stream()
        .max(java.util.Map.Entry.<Long, Integer>comparingByValue().thenComparing(e -> -e.getKey()))
        .map(e -> Duration.ofSeconds(e.getKey())).orElse(null);
    Timeframe width = widthFor(step, first, fallbackZone);
    ZoneId zone = fallbackZone;
    if (width == Timeframe.DAY_1 && first.atZone(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
      zone = ZoneOffset.UTC;
    }
    String how = "inferred from the first " + seen + " bars (most common step " + (step == null ? "-" : step) + ")";
    return new SourceShape(width, zone, how);
  }

  /** The widest known width that divides the smallest step; a day when bars are a day or more apart. */
  static Timeframe widthFor(Duration step, Instant first, ZoneId zone) {
    if (step == null) {
      boolean midnight = first.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT)
          || first.atZone(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
      return midnight ? Timeframe.DAY_1 : Timeframe.MIN_1;
    }
    if (step.compareTo(Duration.ofHours(23)) >= 0) { // 23h: a day across the end of daylight saving time
      return Timeframe.DAY_1;
    }
    Timeframe best = Timeframe.MIN_1;
    for (Timeframe t : Timeframe.values()) {
      if (t != Timeframe.DAY_1 && step.getSeconds() % t.duration().getSeconds() == 0) {
        best = t;
      }
    }
    return best;
  }
}
