package io.tickvault.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Tells the bar width of a series of timestamps: a CSV file without {@code --timeframe}, or the
 * rows of a source made before sources recorded their width. Feed {@code (symbol, timestamp)}
 * pairs ordered by symbol, then timestamp (symbols as text); then read {@link #result()}. Not thread-safe.
 *
 * <p>The width is the widest known width whose grid (in the zone) holds every timestamp and that
 * is no wider than the smallest spacing of two bars of one symbol. Daily and minute bars in one
 * series are told apart by bars at local midnight that stand alone (more than an hour from the bars
 * before and after them) among intraday bars: those are reported as {@linkplain Result#mixed mixed}.
 */
public final class WidthInference {
  private static final List<Timeframe> INTRADAY = List.of(Timeframe.HOUR_1, Timeframe.MIN_30, Timeframe.MIN_15,
      Timeframe.MIN_5, Timeframe.MIN_1);
  private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  /** What the timestamps say. */
  public record Result(Timeframe width, ZoneId zone, String mixed, String unsure, long rows) {
    /**
     * True when the width is known with confidence: two bars of one symbol one width apart, or
     * minute bars (nothing is finer), or daily bars at most 4 days apart.
     */
    public boolean certain() {
      return width != null && mixed == null && unsure == null;
    }
  }

  private final ZoneId zone;
  private final boolean[] onGrid = new boolean[INTRADAY.size()];
  private final boolean[] midnightIn = new boolean[BarGrid.COMMON_ZONES.size()];
  private boolean allMonday = true;
  private boolean allFirst = true;
  private long rows;
  private long minGap = Long.MAX_VALUE;
  private long midnightRows;
  private long isolatedMidnight;
  private Instant isolatedExample;
  private String prevSymbol;
  private Instant prev;
  private long prevGap = Long.MAX_VALUE;
  private boolean prevMidnight;

  public WidthInference(ZoneId zone) {
    this.zone = zone;
    java.util.Arrays.fill(onGrid, true);
    java.util.Arrays.fill(midnightIn, true);
  }

  public void accept(String symbol, Instant t) {
    long gap = Long.MAX_VALUE;
    if (prev != null && symbol.equals(prevSymbol)) {
      gap = Duration.between(prev, t).toNanos();
      if (gap > 0 && gap < minGap) {
        minGap = gap;
      }
    }
    settlePrevious(gap);
    rows++;
    ZonedDateTime local = t.atZone(zone);
    long nod = local.toLocalTime().toNanoOfDay();
    boolean midnight = nod == 0;
    if (midnight) {
      midnightRows++;
      allMonday &= local.getDayOfWeek() == DayOfWeek.MONDAY;
      allFirst &= local.getDayOfMonth() == 1;
    }
    for (int i = 0; i < INTRADAY.size(); i++) {
      onGrid[i] &= nod % INTRADAY.get(i).duration().toNanos() == 0;
    }
    for (int i = 0; i < midnightIn.length; i++) {
      midnightIn[i] &= BarGrid.midnight(t, BarGrid.COMMON_ZONES.get(i));
    }
    prevSymbol = symbol;
    prev = t;
    prevGap = gap;
    prevMidnight = midnight;
  }

  private void settlePrevious(long nextGap) {
    if (prev != null && prevMidnight && prevGap > HOUR_NANOS && nextGap > HOUR_NANOS) {
      isolatedMidnight++;
      if (isolatedExample == null) {
        isolatedExample = prev;
      }
    }
  }

  public Result result() {
    settlePrevious(Long.MAX_VALUE);
    prev = null;
    if (rows == 0) {
      return new Result(null, zone, null, "there are no bars", 0);
    }
    String spacing = minGap == Long.MAX_VALUE ? null : human(minGap);
    if (midnightRows == rows) {
      return calendar(zone, spacing);
    }
    for (int i = 0; i < midnightIn.length; i++) {
      if (midnightIn[i]) {
        return calendar(BarGrid.COMMON_ZONES.get(i), spacing);
      }
    }
    Timeframe w = null;
    for (int i = 0; i < INTRADAY.size(); i++) {
      if (onGrid[i] && (minGap == Long.MAX_VALUE || INTRADAY.get(i).duration().toNanos() <= minGap)) {
        w = INTRADAY.get(i);
        break;
      }
    }
    if (w == null) {
      return new Result(null, zone, "the timestamps are on no bar width tickvault knows (" + Timeframe.SPELLINGS
          + ")" + (spacing == null ? "" : "; the smallest spacing is " + spacing), null, rows);
    }
    if (isolatedMidnight > 0) {
      return new Result(null, zone, isolatedMidnight + " bars at local midnight (e.g. " + isolatedExample + ") stand "
          + "alone among " + (rows - isolatedMidnight) + " " + w + " bars: daily and intraday bars are mixed", null,
          rows);
    }
    String unsure = null;
    if (minGap == Long.MAX_VALUE) {
      unsure = "there is one bar per symbol";
    } else if (minGap != w.duration().toNanos() && w != Timeframe.MIN_1) {
      // bars on this grid could also be finer bars with gaps; minute bars have nothing finer
      unsure = "no two bars are one " + w + " apart (the smallest spacing is " + spacing + ")";
    }
    return new Result(w, zone, null, unsure, rows);
  }

  private Result calendar(ZoneId z, String spacing) {
    long day = Duration.ofDays(1).toNanos();
    if (minGap == Long.MAX_VALUE) {
      return new Result(Timeframe.DAY_1, z, null, "there is one bar per symbol", rows);
    }
    if (z.equals(zone) && allFirst && minGap >= 28 * day) {
      return new Result(Timeframe.MONTH_1, z, null, null, rows);
    }
    if (z.equals(zone) && allMonday && minGap >= 7 * day) {
      return new Result(Timeframe.WEEK_1, z, null, null, rows);
    }
    // a daylight-saving day is 23 or 25 hours long
    if (minGap < day - HOUR_NANOS) {
      return new Result(null, z, "bars at local midnight are " + spacing + " apart", null, rows);
    }
    String unsure = minGap > 4 * day ? "no two bars are less than " + spacing + " apart" : null;
    return new Result(Timeframe.DAY_1, z, null, unsure, rows);
  }

  private static String human(long nanos) {
    Duration d = Duration.ofNanos(nanos);
    if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
      return d.toDays() + " day" + (d.toDays() == 1 ? "" : "s");
    }
    if (d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
      long m = d.toMinutes();
      return m % 60 == 0 ? (m / 60) + " hour" + (m == 60 ? "" : "s") : m + " minute" + (m == 1 ? "" : "s");
    }
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
