package io.tickvault.quality;

import io.tickvault.calendar.DayKind;
import io.tickvault.calendar.Session;
import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.Bar;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * {@code tickvault validate}: one streaming pass over a source's bars (ordered by symbol, then time),
 * constant memory per symbol apart from the listed findings. See {@link Check} for what is checked and
 * docs/quality.md for the rules. Stateless and thread-safe; each call has its own state.
 */
public final class Validator {
  /** Receives each calendar day of each symbol in the checked range, oldest first (for the heat map). */
  public interface CoverageListener {
    void day(Symbol symbol, DayCoverage day);
  }

  /** Split ratios old:new as (p, q) with new close = previous close * q / p. */
  private static final int[][] SPLITS = {{2, 1}, {3, 1}, {3, 2}, {4, 1}, {5, 1}, {10, 1}, {1, 2}, {1, 3}, {2, 3},
      {1, 4}, {1, 5}, {1, 10}};

  private Validator() {}

  public static ValidationReport validate(BarStore store, SourceName source, ValidateOptions o) {
    return validate(store, source, o, null, null);
  }

  /**
   * Validates the selected bars; {@code coverage} (may be null) receives every day of every symbol,
   * {@code progress} (may be null) the number of rows read so far, every 100,000 rows.
   */
  public static ValidationReport validate(BarStore store, SourceName source, ValidateOptions o,
      CoverageListener coverage, LongConsumer progress) {
    SourceRecord rec = store.requireSource(source);
    TradingCalendar cal = o.calendar();
    BarFilter wide = new BarFilter(o.symbol(), TimeRange.ofDays(
        o.from() == null ? null : o.from().minusDays(1), o.to() == null ? null : o.to().plusDays(1)));
    SourceShape shape = SourceShape.of(store, source, wide, cal.zone());
    ZoneId dayZone = shape.width() == Timeframe.DAY_1 ? shape.zone() : cal.zone();
    BarFilter filter = new BarFilter(o.symbol(), new TimeRange(
        o.from() == null ? null : o.from().atStartOfDay(dayZone).toInstant(),
        o.to() == null ? null : o.to().plusDays(1).atStartOfDay(dayZone).toInstant()));
    List<SymbolReport> out = new ArrayList<>();
    SymbolChecker[] current = new SymbolChecker[1];
    long[] rows = new long[1];
    store.read(source, filter, b -> {
      SymbolChecker c = current[0];
      if (c == null || !c.symbol.equals(b.symbol())) {
        if (c != null) {
          out.add(c.finish());
        }
        c = new SymbolChecker(b.symbol(), o, shape, dayZone, coverage);
        current[0] = c;
      }
      c.accept(b);
      if (progress != null && ++rows[0] % 100_000 == 0) {
        progress.accept(rows[0]);
      }
    });
    if (current[0] != null) {
      out.add(current[0].finish());
    }
    if (o.symbol() != null && out.isEmpty()) {
      throw new NotFoundException("no bars of " + o.symbol() + " in source " + source
          + (o.from() != null || o.to() != null ? " between " + o.from() + " and " + o.to() : "")
          + "; `tickvault list --source " + source + "` shows its symbols");
    }
    return new ValidationReport(source, rec.kind(), shape, cal.name(), o, List.copyOf(out));
  }

  /** The state of one symbol's pass. Not thread-safe. */
  private static final class SymbolChecker {
    final Symbol symbol;
    final ValidateOptions o;
    final TradingCalendar cal;
    final Timeframe width;
    final Duration w;
    final long wSeconds;
    final ZoneId zone;
    final ZoneId dayZone;
    final CoverageListener coverage;
    final Map<Check, Long> counts = new EnumMap<>(Check.class);
    final List<Finding> findings = new ArrayList<>();
    final LocalDate today;

    long rows;
    Instant first;
    Instant last;
    long anchor;
    LocalTime dayAnchor;
    Bar prev;
    // the current day
    LocalDate day;
    DayKind kind;
    Session session;
    long present;
    long outside;
    Bar firstOfDay;
    LocalDate walkFrom;
    LocalDate firstDay;
    LocalDate lastDay;
    long sessions;
    long missingSessions;
    long expectedBars;
    long missingBars;
    long outsideSession;
    // volume: the last spikeWindow volumes, in arrival order (ring) and sorted
    final long[] ring;
    final long[] sorted;
    int filled;
    int ringPos;
    // identical runs
    Bar runStart;
    Bar runLast;
    int runLength;

    SymbolChecker(Symbol symbol, ValidateOptions o, SourceShape shape, ZoneId dayZone, CoverageListener coverage) {
      this.symbol = symbol;
      this.o = o;
      this.cal = o.calendar();
      this.width = shape.width();
      this.w = width.duration();
      this.wSeconds = w.getSeconds();
      this.zone = shape.zone();
      this.dayZone = dayZone;
      this.coverage = coverage;
      this.ring = new long[o.spikeWindow()];
      this.sorted = new long[o.spikeWindow()];
      this.today = LocalDate.ofInstant(o.now(), dayZone);
    }

    void accept(Bar b) {
      Instant t = b.timestamp();
      if (rows++ == 0) {
        first = t;
        anchor = Math.floorMod(t.getEpochSecond(), wSeconds);
        dayAnchor = t.atZone(zone).toLocalTime();
      }
      last = t;
      checkErrors(b, t);
      LocalDate d = LocalDate.ofInstant(t, dayZone);
      if (!d.equals(day)) {
        if (day != null) {
          closeDay();
        } else {
          walkFrom = o.from() != null ? o.from() : d;
          firstDay = walkFrom;
        }
        emptyDays(d.minusDays(1));
        openDay(d, b);
      }
      if (session != null) {
        if (width == Timeframe.DAY_1 || session.overlaps(t, w)) {
          present++;
        } else {
          outside++;
        }
      } else {
        outside++;
      }
      checkMoves(b);
      prev = b;
    }

    private void checkErrors(Bar b, Instant t) {
      String ohlc = ohlcProblem(b);
      if (ohlc != null) {
        add(Check.OHLC_OUTSIDE_RANGE, b, ohlc);
      }
      boolean offGrid = width == Timeframe.DAY_1
          ? !t.atZone(zone).toLocalTime().equals(dayAnchor)
          : t.getNano() != 0 || Math.floorMod(t.getEpochSecond(), wSeconds) != anchor;
      if (offGrid) {
        add(Check.OFF_GRID, b, width == Timeframe.DAY_1
            ? "a day bar at " + t.atZone(zone).toLocalTime() + " " + zone.getId() + "; the first bar is at " + dayAnchor
            : "not on the " + width + " grid of this symbol's first bar (" + first + ")");
      }
      if (t.isAfter(o.now())) {
        add(Check.FUTURE, b, "starts after now (" + o.now() + ")");
      }
      if (b.volume() == 0) {
        boolean moved = prev != null && b.price().compareTo(prev.price()) != 0;
        boolean ranged = b.high() != null && b.low() != null && b.high().compareTo(b.low()) != 0;
        if (moved || ranged) {
          add(Check.ZERO_VOLUME_MOVE, b, moved
              ? "volume 0 but the close moved from " + prev.price().toPlainString() + " to " + b.price().toPlainString()
              : "volume 0 but the range is " + b.low().toPlainString() + ".." + b.high().toPlainString());
        }
      }
    }

    static String ohlcProblem(Bar b) {
      BigDecimal hi = b.high();
      BigDecimal lo = b.low();
      if (hi == null || lo == null) {
        return null;
      }
      if (hi.compareTo(lo) < 0) {
        return "high " + hi.toPlainString() + " below low " + lo.toPlainString();
      }
      String s = outside("open", b.open(), lo, hi);
      if (s == null) s = outside("close", b.close(), lo, hi);
      if (s == null && b.close() == null) s = outside("price", b.price(), lo, hi);
      if (s == null) s = outside("vwap", b.vwap(), lo, hi);
      return s;
    }

    private static String outside(String name, BigDecimal v, BigDecimal lo, BigDecimal hi) {
      if (v == null) {
        return null;
      }
      if (v.compareTo(hi) > 0) {
        return name + " " + v.toPlainString() + " above high " + hi.toPlainString();
      }
      if (v.compareTo(lo) < 0) {
        return name + " " + v.toPlainString() + " below low " + lo.toPlainString();
      }
      return null;
    }

    private void checkMoves(Bar b) {
      if (prev != null && prev.price().signum() > 0) {
        BigDecimal p0 = prev.price();
        BigDecimal p1 = b.price();
        if (p1.subtract(p0).abs().compareTo(p0.multiply(o.jumpThreshold())) > 0) {
          String split = splitRatio(p0, p1);
          String move = "close " + p0.toPlainString() + " -> " + p1.toPlainString() + " ("
              + percent(p1.subtract(p0).divide(p0, java.math.MathContext.DECIMAL64)) + " since " + prev.timestamp()
              + ")";
          if (split != null) {
            add(Check.SPLIT_LIKE, b, move + ", close to a " + split + " split");
          } else {
            add(Check.JUMP, b, move);
          }
        }
      }
      // volume spike against the rolling median of the previous bars
      if (filled == ring.length) {
        int n = filled;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
        if (median > 0 && b.volume() > o.spikeFactor().doubleValue() * median) {
          add(Check.VOLUME_SPIKE, b, "volume " + b.volume() + " is " + Math.round(b.volume() / median)
              + "x the median " + (long) median + " of the previous " + n + " bars");
        }
      }
      pushVolume(b.volume());
      // identical runs
      if (runLast != null && identical(runLast, b)) {
        runLength++;
      } else {
        flushRun();
        runStart = b;
        runLength = 1;
      }
      runLast = b;
    }

    private void flushRun() {
      if (runLength >= o.identicalRun()) {
        add(Check.IDENTICAL_RUN, runStart, runLength + " identical bars from " + runStart.timestamp() + " to "
            + runLast.timestamp() + " (close " + runStart.price().toPlainString() + ", volume " + runStart.volume()
            + ")");
      }
    }

    private void pushVolume(long v) {
      if (filled == ring.length) {
        long old = ring[ringPos];
        int i = Arrays.binarySearch(sorted, 0, filled, old);
        System.arraycopy(sorted, i + 1, sorted, i, filled - i - 1);
        filled--;
      }
      ring[ringPos] = v;
      ringPos = (ringPos + 1) % ring.length;
      int i = Arrays.binarySearch(sorted, 0, filled, v);
      if (i < 0) {
        i = -i - 1;
      }
      System.arraycopy(sorted, i, sorted, i + 1, filled - i);
      sorted[i] = v;
      filled++;
    }

    private String splitRatio(BigDecimal p0, BigDecimal p1) {
      for (int[] s : SPLITS) {
        // new = old * q / p  <=>  p * new == q * old, within the tolerance of q * old
        BigDecimal expected = p0.multiply(BigDecimal.valueOf(s[1]));
        BigDecimal actual = p1.multiply(BigDecimal.valueOf(s[0]));
        if (actual.subtract(expected).abs().compareTo(expected.multiply(o.splitTolerance())) <= 0) {
          return s[0] + ":" + s[1];
        }
      }
      return null;
    }

    private static boolean identical(Bar a, Bar b) {
      return a.price().compareTo(b.price()) == 0 && eq(a.open(), b.open()) && eq(a.high(), b.high())
          && eq(a.low(), b.low()) && eq(a.close(), b.close()) && a.volume() == b.volume() && eq(a.vwap(), b.vwap());
    }

    private static boolean eq(BigDecimal x, BigDecimal y) {
      return x == null || y == null ? Objects.equals(x, y) : x.compareTo(y) == 0;
    }

    private void openDay(LocalDate d, Bar b) {
      day = d;
      kind = cal.kind(d);
      session = cal.session(d).orElse(null);
      present = 0;
      outside = 0;
      firstOfDay = b;
      walkFrom = d.plusDays(1);
    }

    private void closeDay() {
      long expected = 0;
      if (session != null) {
        sessions++;
        expected = width == Timeframe.DAY_1 ? 1 : session.expectedBars(w, anchor);
        boolean complete = !session.close().isAfter(o.now());
        if (complete) {
          expectedBars += expected;
          missingBars += Math.max(0, expected - present);
        }
        outsideSession += outside;
      } else {
        add(Check.NON_SESSION_BAR, firstOfDay, outside + (outside == 1 ? " bar" : " bars") + " on " + day + ", "
            + (kind == DayKind.WEEKEND ? "a " + day.getDayOfWeek().toString().toLowerCase(java.util.Locale.ROOT)
            : "a holiday (" + cal.note(day) + ")"));
      }
      if (coverage != null) {
        coverage.day(symbol, new DayCoverage(day, kind, cal.note(day), expected, present, outside));
      }
    }

    /** Days from walkFrom to {@code through} (inclusive) have no bar. */
    private void emptyDays(LocalDate through) {
      for (LocalDate d = walkFrom; !d.isAfter(through); d = d.plusDays(1)) {
        DayKind k = cal.kind(d);
        long expected = 0;
        if (k.isSession()) {
          Session s = cal.session(d).orElseThrow();
          expected = width == Timeframe.DAY_1 ? 1 : s.expectedBars(w, anchor);
          if (!s.close().isAfter(o.now())) {
            sessions++;
            missingSessions++;
            add(Check.MISSING_SESSION, null, d, "no bar in the " + (k == DayKind.EARLY_CLOSE ? "early-close " : "")
                + "session of " + d.getDayOfWeek().toString().substring(0, 3).toLowerCase(java.util.Locale.ROOT) + " "
                + d);
          }
        }
        if (coverage != null) {
          coverage.day(symbol, new DayCoverage(d, k, cal.note(d), expected, 0, 0));
        }
      }
      if (walkFrom.isBefore(through.plusDays(1))) {
        walkFrom = through.plusDays(1);
      }
    }

    SymbolReport finish() {
      flushRun();
      closeDay();
      LocalDate end = day;
      if (o.to() != null) {
        end = o.to().isAfter(today) ? today : o.to();
      }
      emptyDays(end);
      lastDay = end.isAfter(day) ? end : day;
      Map<Check, Long> c = new EnumMap<>(Check.class);
      for (Check k : Check.values()) {
        c.put(k, counts.getOrDefault(k, 0L));
      }
      return new SymbolReport(symbol, rows, first, last, firstDay, lastDay, sessions, missingSessions, expectedBars,
          missingBars, outsideSession, c, List.copyOf(findings));
    }

    private void add(Check check, Bar b, String detail) {
      add(check, b, LocalDate.ofInstant(b.timestamp(), dayZone), detail);
    }

    private void add(Check check, Bar b, LocalDate d, String detail) {
      long n = counts.merge(check, 1L, Long::sum);
      if (n <= o.maxListed()) {
        findings.add(new Finding(check, symbol, b == null ? null : b.timestamp(), d, detail));
      }
    }

    private static String percent(BigDecimal fraction) {
      return fraction.movePointRight(2).setScale(1, java.math.RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
  }
}
