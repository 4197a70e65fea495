package io.tickvault.backtest;

import io.tickvault.backtest.DataDigest.ChunkSum;
import io.tickvault.calendar.NyseCalendar;
import io.tickvault.domain.Bar;
import io.tickvault.domain.DataMode;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.mirror.Lineage;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SourceLineage;
import io.tickvault.quality.SourceShape;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs backtests on a store: reads one symbol's bars once (streaming; only one close per bar of the
 * chosen interval is kept), computes the data digest on the way, runs the strategy in {@link Engine}
 * and records the lineage. {@code mirror} is the mirror whose lineage to report in mirror mode (null
 * otherwise). Thread-safe (stateless apart from the store).
 */
public final class BacktestService {
  private final BarStore store;
  private final DataMode mode;
  private final MirrorService mirror;

  public BacktestService(BarStore store, DataMode mode, MirrorService mirror) {
    this.store = store;
    this.mode = mode;
    this.mirror = mirror;
  }

  public BacktestRun run(BacktestRequest r) {
    SourceRecord rec = store.requireSource(r.source());
    Series s = read(r);
    if (s.times.isEmpty()) {
      throw new NotFoundException("no bars of " + r.symbol() + " in source " + r.source()
          + (r.from() != null || r.to() != null ? " between " + r.from() + " and " + r.to() : "")
          + "; `tickvault list` shows what each source holds");
    }
    int[] signals = r.strategy().signals(s.closes);
    Engine.Result e = Engine.run(s.times, s.closes, signals, r.cash(), r.feeBps());
    List<ChunkSum> chunks = s.digest.chunks();
    BacktestRun.Lineage lineage = new BacktestRun.Lineage(r.source().value(), rec.kind().label(),
        s.shape.width().cliName(), s.shape.zone().getId(), s.shape.how(), mode.name().toLowerCase(java.util.Locale.ROOT),
        store.origins(r.source(), s.filter), s.first, s.last, s.rows, s.times.size(), mirrorSync(r.source()));
    return new BacktestRun(r, e.metrics(), e.trades(), s.times, s.closes, e.equity(), lineage,
        DataDigest.digest(r.symbol().value(), chunks), chunks);
  }

  /**
   * The bars in which two sources differ for the request's symbol and range (at most {@code limit}
   * listed; counts are complete).
   */
  public BarDiff diff(BacktestRequest a, SourceName b, int limit) {
    store.requireSource(a.source());
    store.requireSource(b);
    return BarDiff.of(store, a.source(), filterFor(a), b, filterFor(a.withSource(b)), limit);
  }

  private BarFilter filterFor(BacktestRequest r) {
    return plan(r).filter();
  }

  /** The source's shape, the zone of its trading days, and the bars a request reads. */
  private record Plan(SourceShape shape, ZoneId dayZone, BarFilter filter) {}

  private Plan plan(BacktestRequest r) {
    SourceShape shape = SourceShape.of(store, r.source(), new BarFilter(r.symbol(), TimeRange.ofDays(
        r.from() == null ? null : r.from().minusDays(1), r.to() == null ? null : r.to().plusDays(1))),
        NyseCalendar.NEW_YORK);
    ZoneId dayZone = shape.width() == Timeframe.DAY_1 ? shape.zone() : NyseCalendar.NEW_YORK;
    return new Plan(shape, dayZone, filter(r, dayZone));
  }

  /** The chunks of the data a request reads now (for {@code --check}). */
  public List<ChunkSum> chunks(BacktestRequest r) {
    store.requireSource(r.source());
    return read(r).digest.chunks();
  }

  private BacktestRun.MirrorSync mirrorSync(SourceName source) {
    if (mode != DataMode.MIRROR || mirror == null) {
      return null;
    }
    Optional<Lineage> l = mirror.lineage();
    if (l.isEmpty()) {
      return null;
    }
    Lineage x = l.get();
    SourceLineage sl = x.sources().stream().filter(q -> q.source().equals(source)).findFirst().orElse(null);
    return new BacktestRun.MirrorSync(x.lastSyncAt(), x.productionLocation(), x.productionStoreId(),
        sl == null ? null : sl.last(), sl == null ? null : sl.syncedAt());
  }

  /** The range a request reads: its days in the zone of the source's day bars (New York otherwise). */
  static BarFilter filter(BacktestRequest r, ZoneId dayZone) {
    return new BarFilter(r.symbol(), new TimeRange(
        r.from() == null ? null : r.from().atStartOfDay(dayZone).toInstant(),
        r.to() == null ? null : r.to().plusDays(1).atStartOfDay(dayZone).toInstant()));
  }

  private static final class Series {
    final List<Instant> times = new ArrayList<>();
    final List<BigDecimal> closes = new ArrayList<>();
    final DataDigest digest = new DataDigest();
    SourceShape shape;
    BarFilter filter;
    Instant first;
    Instant last;
    long rows;
  }

  private Series read(BacktestRequest r) {
    Series s = new Series();
    Plan plan = plan(r);
    s.shape = plan.shape();
    Timeframe width = s.shape.width();
    Timeframe interval = r.interval() == null ? width : r.interval();
    if (interval.duration().compareTo(width.duration()) < 0) {
      throw new InvalidInputException("source " + r.source() + " holds " + width + " bars; --interval "
          + interval.apiName() + " needs bars of that width or finer (use --interval " + width.apiName() + ")");
    }
    ZoneId dayZone = plan.dayZone();
    s.filter = plan.filter();
    long step = interval.duration().getSeconds();
    boolean daily = interval == Timeframe.DAY_1;
    Object[] bucket = new Object[1];
    try (BarPipe.BarCursor c = BarPipe.open(sink -> store.read(r.source(), s.filter, sink))) {
      while (c.hasNext()) {
        Bar b = c.next();
        s.digest.add(b);
        s.rows++;
        if (s.first == null) {
          s.first = b.timestamp();
        }
        s.last = b.timestamp();
        Object key = daily ? (Object) LocalDate.ofInstant(b.timestamp(), dayZone)
            : (Object) Math.floorDiv(b.timestamp().getEpochSecond(), step);
        if (interval == width || !Objects.equals(key, bucket[0])) {
          s.times.add(interval == width || daily ? b.timestamp()
              : Instant.ofEpochSecond((Long) key * step));
          s.closes.add(b.price());
          bucket[0] = key;
        } else {
          s.closes.set(s.closes.size() - 1, b.price()); // the bucket's close is its last bar's
        }
      }
    }
    return s;
  }
}
