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
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Generates realistic bars for one symbol: a geometric Brownian motion (annual drift 5%, volatility
 * 15-60% chosen per symbol) sampled in sub-steps inside each bar, so that open, high, low and close
 * come from one path and are consistent by construction; vwap is the mean of the sampled prices
 * (within [low, high]); volume follows a U-shaped intraday profile with log-normal noise, and trade
 * counts follow volume.
 *
 * <p>Calendar: stock-like symbols trade 09:30-16:00 America/New_York on weekdays (exchange
 * holidays are not modelled); symbols with a {@code /} (e.g. {@code BTC/USD}) or {@code allHours}
 * trade around the clock. Intraday bars start at the session open and step by the timeframe; daily
 * bars are stamped at 00:00 New York time like the vendors' (00:00 UTC around the clock).
 *
 * <p>Deterministic: the same seed, symbol, dates and timeframe give the same bars on any machine.
 * Prices are rounded once to 4 decimals when a bar is made. Immutable and thread-safe; the
 * iterators it returns are not thread-safe.
 */
public final class SyntheticGenerator {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime OPEN = LocalTime.of(9, 30);
  private static final LocalTime CLOSE = LocalTime.of(16, 0);
  private static final int SUB_STEPS = 6;
  private static final double SESSION_SECONDS = 6.5 * 3600;

  private final long seed;

  public SyntheticGenerator(long seed) {
    this.seed = seed;
  }

  public static boolean tradesAroundTheClock(Symbol symbol) {
    return symbol.value().contains("/");
  }

  /** Number of bars {@link #bars} will produce. */
  public long count(Symbol symbol, LocalDate from, LocalDate toInclusive, Timeframe tf, boolean allHours) {
    long n = 0;
    Iterator<Instant> slots = slots(symbol, from, toInclusive, tf, allHours);
    while (slots.hasNext()) {
      slots.next();
      n++;
    }
    return n;
  }

  /** The bars of one symbol from {@code from} to {@code toInclusive} (whole days), oldest first. */
  public Iterator<Bar> bars(Symbol symbol, LocalDate from, LocalDate toInclusive, Timeframe tf, boolean allHours,
      SourceName origin) {
    if (toInclusive.isBefore(from)) {
      throw new InvalidInputException("--to " + toInclusive + " is before --from " + from);
    }
    boolean h24 = allHours || tradesAroundTheClock(symbol);
    Iterator<Instant> slots = slots(symbol, from, toInclusive, tf, allHours);
    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + symbol.value().hashCode());
    double startPrice = 20 + rnd.nextDouble() * 480;
    double sigma = 0.15 + rnd.nextDouble() * 0.45;
    double mu = 0.05;
    double dailyVolume = 1_000_000 + rnd.nextDouble() * 30_000_000;
    double avgTradeSize = 60 + rnd.nextDouble() * 140;
    double yearSeconds = h24 ? 365.0 * 24 * 3600 : 252 * SESSION_SECONDS;
    double barSeconds = tf == Timeframe.DAY_1 ? (h24 ? 86_400 : SESSION_SECONDS) : tf.duration().toSeconds();
    double dt = barSeconds / yearSeconds / SUB_STEPS;
    double barsPerSession = (h24 ? 86_400 : SESSION_SECONDS) / barSeconds;

    return new Iterator<>() {
      double price = startPrice;
      LocalDate lastDay;

      @Override
      public boolean hasNext() {
        return slots.hasNext();
      }

      @Override
      public Bar next() {
        if (!slots.hasNext()) {
          throw new NoSuchElementException();
        }
        Instant t = slots.next();
        LocalDate day = LocalDate.ofInstant(t, h24 ? ZoneOffset.UTC : NEW_YORK);
        if (lastDay != null && !day.equals(lastDay) && !h24) {
          price *= Math.exp(0.01 * rnd.nextGaussian()); // overnight gap
        }
        lastDay = day;
        long open = ticks(price);
        long high = open;
        long low = open;
        long sum = 0;
        long close = open;
        for (int i = 0; i < SUB_STEPS; i++) {
          price *= Math.exp((mu - sigma * sigma / 2) * dt + sigma * Math.sqrt(dt) * rnd.nextGaussian());
          close = ticks(price);
          high = Math.max(high, close);
          low = Math.min(low, close);
          sum += close;
        }
        long vwap = Math.max(low, Math.min(high, Math.round((double) sum / SUB_STEPS)));
        double profile = 1.0;
        if (!h24 && tf != Timeframe.DAY_1) {
          double x = LocalTime.ofInstant(t, NEW_YORK).toSecondOfDay() - OPEN.toSecondOfDay();
          double f = Math.min(1, Math.max(0, x / SESSION_SECONDS));
          profile = 0.6 + 2.4 * (f - 0.5) * (f - 0.5) * 4 / 2; // U shape, mean about 1
        }
        double noise = Math.exp(0.5 * rnd.nextGaussian() - 0.125);
        long volume = Math.max(0, Math.round(dailyVolume / barsPerSession * profile * noise));
        int trades = (int) Math.min(Integer.MAX_VALUE, volume == 0 ? 0 : Math.max(1, Math.round(volume / avgTradeSize)));
        return Bar.ohlcv(symbol, t, dec(open), dec(high), dec(low), dec(close), volume, trades, dec(vwap), origin);
      }
    };
  }

  private static long ticks(double price) {
    return Math.max(1, Math.min(9_999_999_999L, Math.round(price * 10_000)));
  }

  private static BigDecimal dec(long ticks) {
    return BigDecimal.valueOf(ticks, 4).setScale(4, RoundingMode.UNNECESSARY);
  }

  /** Bar start instants, oldest first. */
  static Iterator<Instant> slots(Symbol symbol, LocalDate from, LocalDate toInclusive, Timeframe tf, boolean allHours) {
    boolean h24 = allHours || tradesAroundTheClock(symbol);
    long step = tf.duration().toSeconds();
    return new Iterator<>() {
      LocalDate day = from;
      Instant next;
      Instant dayEnd;

      {
        advanceDay();
      }

      private void advanceDay() {
        next = null;
        while (!day.isAfter(toInclusive)) {
          LocalDate d = day;
          day = day.plusDays(1);
          if (h24) {
            next = d.atStartOfDay(ZoneOffset.UTC).toInstant();
            dayEnd = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            return;
          }
          if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            continue;
          }
          if (tf == Timeframe.DAY_1) {
            next = d.atStartOfDay(NEW_YORK).toInstant();
            dayEnd = next.plusSeconds(1);
          } else {
            next = d.atTime(OPEN).atZone(NEW_YORK).toInstant();
            dayEnd = d.atTime(CLOSE).atZone(NEW_YORK).toInstant();
          }
          return;
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Instant next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Instant out = next;
        Instant n = next.plusSeconds(step);
        if (n.isBefore(dayEnd)) {
          next = n;
        } else {
          advanceDay();
        }
        return out;
      }
    };
  }
}
