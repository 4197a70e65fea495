package io.tickvault.ingest.synthetic;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Generates realistic bars for one symbol, anchored to calendar time: the bar for (seed, symbol,
 * width, timestamp) is the same whatever range was asked for, so overlapping and adjacent runs
 * agree bar for bar and join without a jump.
 *
 * <p>Two levels. <b>Days</b>: a day-level walk from a fixed epoch (1970-01-01) gives every trading
 * day its open and close: an overnight gap (log-normal, 1%) at the open, then the day's move, a
 * log-normal step (annual volatility 15-60% chosen per symbol, drift 5% a year) with a slow pull
 * back towards the trend (half-life about two years), so prices stay in a plausible band over
 * decades. Each day's random numbers come from (seed, symbol, day) alone, so the walk up to any
 * day is the same in every run (walking 55 years of days costs about a millisecond). <b>Inside a
 * day</b>: a path of sub-steps from (seed, symbol, day, width), pinned to the day's open and close
 * (a Brownian bridge), so every width of one day opens and closes at the same prices. Bars take
 * open, high, low and close from the path (consistent by construction), vwap from the mean of
 * their sub-steps (within [low, high]); volume follows a U-shaped intraday profile with log-normal
 * noise, and trade counts follow volume.
 *
 * <p>Calendar: stock-like symbols trade 09:30-16:00 America/New_York on weekdays (exchange
 * holidays are not modelled); symbols with a {@code /} (e.g. {@code BTC/USD}) or {@code allHours}
 * trade around the clock (UTC days, no overnight gap). Intraday bars sit on the width's grid
 * (multiples of the width from local midnight) that overlaps the session: 09:30, 09:31, ... for
 * 1Min, 09:00 ... 15:00 for 1Hour; daily bars are stamped at 00:00 New York time like the vendors'
 * (00:00 UTC around the clock).
 *
 * <p>Deterministic: the same seed, symbol, day and width give the same bars on any machine.
 * Prices are rounded once to 4 decimals when a bar is made. Immutable and thread-safe; the
 * iterators it returns are not thread-safe.
 */
public final class SyntheticGenerator {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime OPEN = LocalTime.of(9, 30);
  private static final LocalTime CLOSE = LocalTime.of(16, 0);
  private static final int SUB_STEPS = 6;
  private static final int DAY_SUB_STEPS = 78;
  private static final double SESSION_SECONDS = 6.5 * 3600;
  private static final long EPOCH_DAY = 0; // 1970-01-01: the walk starts here, the earliest day a bar may have
  private static final double MU = 0.05;
  private static final double REVERSION = Math.log(2) / 504; // per trading day: a half-life of about two years
  private static final double GAP = 0.01;

  private final long seed;

  public SyntheticGenerator(long seed) {
    this.seed = seed;
  }

  public static boolean tradesAroundTheClock(Symbol symbol) {
    return symbol.value().contains("/");
  }

  /** Number of bars {@link #bars} will produce. */
  public long count(Symbol symbol, LocalDate from, LocalDate toInclusive, Timeframe tf, boolean allHours) {
    boolean h24 = allHours || tradesAroundTheClock(symbol);
    long n = 0;
    for (LocalDate d = from; !d.isAfter(toInclusive); d = d.plusDays(1)) {
      if (trades(d, h24)) {
        n += slots(d, tf, h24).length;
      }
    }
    return n;
  }

  /** The per-symbol constants, from (seed, symbol) only. */
  private record Params(long base, double startPrice, double sigma, double dailyVolume, double avgTradeSize) {}

  private Params params(Symbol symbol) {
    long base = seed * 1_000_003L + symbol.value().hashCode();
    SplittableRandom rnd = new SplittableRandom(base);
    return new Params(base, 20 + rnd.nextDouble() * 480, 0.15 + rnd.nextDouble() * 0.45,
        1_000_000 + rnd.nextDouble() * 30_000_000, 60 + rnd.nextDouble() * 140);
  }

  /** A random stream for one (symbol, day, purpose): the same in every run. */
  private static SplittableRandom stream(long base, long epochDay, long purpose) {
    long h = base ^ (epochDay * 0x9E3779B97F4A7C15L) ^ (purpose * 0xC2B2AE3D27D4EB4FL);
    h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
    h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return new SplittableRandom(h ^ (h >>> 33));
  }

  private static boolean trades(LocalDate d, boolean h24) {
    return h24 || (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY);
  }

  /**
   * The day-level walk: log open and log close of each trading day, stepped one calendar day at a
   * time from the epoch. Not thread-safe.
   */
  private static final class DayWalk {
    private final Params p;
    private final boolean h24;
    private final double daySigma;
    private final double dayDrift;
    private long day = EPOCH_DAY; // the next day to step
    private double close; // log close of the last trading day before {@code day}
    private double open;

    DayWalk(Params p, boolean h24) {
      this.p = p;
      this.h24 = h24;
      double tradingDays = h24 ? 365 : 252;
      this.daySigma = p.sigma() / Math.sqrt(tradingDays);
      this.dayDrift = (MU - p.sigma() * p.sigma() / 2) / tradingDays;
      this.close = Math.log(p.startPrice());
    }

    /** Steps to {@code target} (which must not be before the last day stepped); returns its {open, close}. */
    double[] at(long target) {
      double[] oc = null;
      while (day <= target) {
        LocalDate d = LocalDate.ofEpochDay(day);
        if (trades(d, h24)) {
          SplittableRandom r = stream(p.base(), day, 1);
          double trend = Math.log(p.startPrice()) + MU * (day - EPOCH_DAY) / 365.25;
          open = close + (h24 ? 0 : GAP * r.nextGaussian());
          close = open + dayDrift - REVERSION * (open - trend) + daySigma * r.nextGaussian();
          // keep inside what DECIMAL(10,4) holds, far from its ends
          close = Math.max(Math.log(0.5), Math.min(Math.log(500_000), close));
          if (day == target) {
            oc = new double[] {open, close};
          }
        }
        day++;
      }
      return oc;
    }
  }

  /** The bars of one symbol from {@code from} to {@code toInclusive} (whole days), oldest first. */
  public Iterator<Bar> bars(Symbol symbol, LocalDate from, LocalDate toInclusive, Timeframe tf, boolean allHours,
      SourceName origin) {
    if (toInclusive.isBefore(from)) {
      throw new InvalidInputException("--to " + toInclusive + " is before --from " + from);
    }
    if (from.toEpochDay() < EPOCH_DAY) {
      throw new InvalidInputException("--from " + from + " is before 1970-01-01, the earliest day a bar may have");
    }
    boolean h24 = allHours || tradesAroundTheClock(symbol);
    Params p = params(symbol);
    DayWalk walk = new DayWalk(p, h24);
    long width = tf == Timeframe.DAY_1 ? 0 : tf.duration().toSeconds();
    return new Iterator<>() {
      LocalDate day = from;
      List<Bar> current = List.of();
      int pos;

      private void fill() {
        while (pos == current.size() && !day.isAfter(toInclusive)) {
          LocalDate d = day;
          day = day.plusDays(1);
          if (trades(d, h24)) {
            double[] oc = walk.at(d.toEpochDay());
            current = dayBars(symbol, d, oc[0], oc[1], tf, width, h24, p, origin);
            pos = 0;
          }
        }
      }

      @Override
      public boolean hasNext() {
        fill();
        return pos < current.size();
      }

      @Override
      public Bar next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.get(pos++);
      }
    };
  }

  /** One trading day's bars: a path pinned to the day's open and close, cut into the day's slots. */
  private static List<Bar> dayBars(Symbol symbol, LocalDate d, double logOpen, double logClose, Timeframe tf,
      long width, boolean h24, Params p, SourceName origin) {
    Instant[] slots = slots(d, tf, h24);
    int bars = slots.length;
    int sub = tf == Timeframe.DAY_1 ? DAY_SUB_STEPS : SUB_STEPS;
    int n = bars * sub;
    SplittableRandom r = stream(p.base(), d.toEpochDay(), 2 + width);
    double stepSigma = p.sigma() / Math.sqrt(h24 ? 365 : 252) / Math.sqrt(n);
    double[] w = new double[n + 1];
    for (int i = 1; i <= n; i++) {
      w[i] = w[i - 1] + stepSigma * r.nextGaussian();
    }
    double pin = logClose - logOpen - w[n];
    double sessionSeconds = h24 ? 86_400 : SESSION_SECONDS;
    double perBar = p.dailyVolume() / Math.max(1, bars);
    List<Bar> out = new ArrayList<>(bars);
    for (int b = 0; b < bars; b++) {
      long open = ticks(Math.exp(logOpen + w[b * sub] + pin * (b * sub) / n));
      long high = open;
      long low = open;
      long sum = 0;
      long close = open;
      for (int k = b * sub + 1; k <= (b + 1) * sub; k++) {
        close = ticks(Math.exp(logOpen + w[k] + pin * k / n));
        high = Math.max(high, close);
        low = Math.min(low, close);
        sum += close;
      }
      long vwap = Math.max(low, Math.min(high, Math.round((double) sum / sub)));
      double profile = 1.0;
      if (!h24 && tf != Timeframe.DAY_1) {
        double x = LocalTime.ofInstant(slots[b], NEW_YORK).toSecondOfDay() - OPEN.toSecondOfDay();
        double f = Math.min(1, Math.max(0, x / sessionSeconds));
        profile = 0.6 + 2.4 * (f - 0.5) * (f - 0.5) * 4 / 2; // U shape, mean about 1
      }
      double noise = Math.exp(0.5 * r.nextGaussian() - 0.125);
      long volume = Math.max(0, Math.round(perBar * profile * noise));
      int trades = (int) Math.min(Integer.MAX_VALUE, volume == 0 ? 0 : Math.max(1, Math.round(volume / p.avgTradeSize())));
      out.add(Bar.ohlcv(symbol, slots[b], dec(open), dec(high), dec(low), dec(close), volume, trades, dec(vwap),
          origin));
    }
    return out;
  }

  private static long ticks(double price) {
    return Math.max(1, Math.min(9_999_999_999L, Math.round(price * 10_000)));
  }

  private static BigDecimal dec(long ticks) {
    return BigDecimal.valueOf(ticks, 4).setScale(4, RoundingMode.UNNECESSARY);
  }

  /**
   * Bar start instants of one trading day, oldest first: the width's grid (multiples of the width
   * from local midnight) overlapping the session; one bar at local midnight for daily bars.
   */
  static Instant[] slots(LocalDate d, Timeframe tf, boolean h24) {
    ZoneId zone = h24 ? ZoneOffset.UTC : NEW_YORK;
    if (tf == Timeframe.DAY_1) {
      return new Instant[] {d.atStartOfDay(zone).toInstant()};
    }
    long step = tf.duration().toSeconds();
    long open = h24 ? 0 : OPEN.toSecondOfDay();
    long close = h24 ? 86_400 : CLOSE.toSecondOfDay();
    long first = open / step * step;
    int n = (int) ((close - first + step - 1) / step);
    Instant[] out = new Instant[n];
    for (int i = 0; i < n; i++) {
      long s = first + i * step;
      out[i] = h24 ? d.atStartOfDay(zone).toInstant().plusSeconds(s)
          : d.atTime(LocalTime.ofSecondOfDay(s)).atZone(zone).toInstant();
    }
    return out;
  }
}
