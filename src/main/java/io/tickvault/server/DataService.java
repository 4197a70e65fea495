package io.tickvault.server;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.Bar;
import io.tickvault.domain.DataMode;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.stream.CollectorStatus;
import io.tickvault.mirror.Freshness;
import io.tickvault.mirror.Lineage;
import io.tickvault.server.ApiViews.DataSourceStatus;
import io.tickvault.server.ApiViews.Health;
import io.tickvault.server.ApiViews.HistoryMetadata;
import io.tickvault.server.ApiViews.Indicator;
import io.tickvault.server.ApiViews.LastIngest;
import io.tickvault.server.ApiViews.MarketSummary;
import io.tickvault.server.ApiViews.Production;
import io.tickvault.server.ApiViews.Provenance;
import io.tickvault.server.ApiViews.SourceList;
import io.tickvault.server.ApiViews.SourceRow;
import io.tickvault.server.ApiViews.SummaryRow;
import io.tickvault.server.ApiViews.SyncResult;
import io.tickvault.source.SourceService;
import io.tickvault.source.SourceSummary;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Candle;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SymbolStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What the API shows, computed from the store of the configured DATA_MODE: the service behind
 * every route. Handlers pass raw request values; this class validates them (typed exceptions, see
 * {@link ApiErrors}) and calls the store, which does the aggregation. Thread-safe: stores are
 * thread-safe and syncs are serialised by a lock.
 */
final class DataService {
  /** How the market summary defines its period, stated in every response. */
  static final String SUMMARY_PERIOD = "per symbol, the last session date (in the source's time zone) with data up "
      + "to now; change is against the previous close (the last bar before that day), or that day's open when there "
      + "is none";
  private static final int LOOKBACK_DAYS = 14;

  private final Workspace workspace;
  private final Settings settings;
  private final Clock clock;
  private final MirrorAccess mirrors;
  private final ReentrantLock syncLock = new ReentrantLock();

  /**
   * History queries streamed at once (one per core, at least 2). Each holds a connection, its
   * engine's memory (SQLite: a page cache and the sort of its groups, outside the Java heap) and a
   * response buffer, so many long requests at once would grow the process without bound; the rest
   * wait their turn in arrival order.
   */
  static final int HISTORY_STREAMS = Math.max(2, Runtime.getRuntime().availableProcessors());
  private final java.util.concurrent.Semaphore historyStreams;

  DataService(Workspace workspace, Clock clock) {
    this(workspace, clock, HISTORY_STREAMS);
  }

  /** As {@link #DataService(Workspace, Clock)}, with at most {@code historyStreams} history queries at once. */
  DataService(Workspace workspace, Clock clock, int historyStreams) {
    this.workspace = workspace;
    this.settings = workspace.settings();
    this.clock = clock;
    this.mirrors = new MirrorAccess(settings.mirrorPath(), clock);
    this.historyStreams = new java.util.concurrent.Semaphore(historyStreams, true);
  }

  /** History queries waiting for their turn (see {@link #HISTORY_STREAMS}). */
  int historyQueue() {
    return historyStreams.getQueueLength();
  }

  DataMode mode() {
    return settings.dataMode();
  }

  /** The source a request names, or the configured DATA_SOURCE when it names none. */
  SourceName source(String param) {
    return param == null || param.isBlank() ? settings.dataSource() : SourceName.of(param);
  }

  private BarStore store() {
    return workspace.store();
  }

  // ---- provenance -----------------------------------------------------------------------------

  Provenance provenance(SourceName source) {
    String staleAfter = settings.require(Settings.STALE_AFTER);
    if (mode() == DataMode.MIRROR) {
      Freshness f = mirrors.freshness(settings.staleAfter());
      String description = f.lastSync() == null ? "Historical Mirror (never synced)"
          : "Historical Mirror (" + days(f.ageDays()) + " old)";
      return new Provenance("mirror", source.value(), "mirror", description, false, true, "sqlite:" + mirrors.file(),
          f.lastSync(), f.lastSync() == null ? null : f.ageDays(), f.stale(), staleAfter);
    }
    BarStore store = store();
    return mode() == DataMode.LIVE
        ? new Provenance("live", source.value(), "production", "Live Production Data", true, store.readOnly(),
            store.info().location(), null, null, false, staleAfter)
        : new Provenance("test", source.value(), "test", "Test Data (separate test store)", false, store.readOnly(),
            store.info().location(), null, null, false, staleAfter);
  }

  /**
   * The indicator's data. In mirror mode this works before the mirror file exists (never synced,
   * stale, with "Sync now" when production is available), so a first sync can start from the page.
   */
  DataSourceStatus dataSource(SourceName source) {
    Provenance p = provenance(source);
    boolean mirror = mode() == DataMode.MIRROR;
    Instant through = null;
    boolean exists = false;
    if (mirror) {
      through = mirrors.freshness(settings.staleAfter()).dataThrough().get(source);
      exists = mirrors.exists() && store().source(source).map(SourceRecord::tableExists).orElse(false);
    } else {
      BarStore store = store();
      exists = store.source(source).map(SourceRecord::tableExists).orElse(false);
      through = exists ? store.stats(source, BarFilter.ALL).last() : null;
    }
    Production production = production();
    boolean canSync = mirror && production.available();
    List<String> leftOut = mirror ? mirrors.leftOut().notes() : List.of();
    return new DataSourceStatus(p.mode(), p.source(), p.environment(), p.description(), p.isLive(), p.readOnly(),
        p.store(), p.lastSync(), p.ageDays(), p.stale(), p.staleAfter(), capped(through), exists, production,
        indicator(p, canSync, mirror ? null : collector(source)), leftOut);
  }

  private Indicator indicator(Provenance p, boolean canSync, CollectorStatus collector) {
    return switch (p.mode()) {
      case "live" -> liveIndicator(collector);
      case "test" -> new Indicator("Test Data", "test", false, null);
      default -> new Indicator(p.lastSync() == null ? "Historical Data (never synced)"
          : "Historical Data (last sync: " + days(p.ageDays()) + " ago)", p.stale() ? "stale" : "mirror", canSync,
          null);
    };
  }

  /** Live: amber when the source's collector lags during a session, red when it is down, with the reason. */
  private Indicator liveIndicator(CollectorStatus collector) {
    if (collector == null) {
      return new Indicator("Live Data", "live", false, null);
    }
    CollectorStatus.Health h = collector.health(clock.instant());
    return switch (h.level()) {
      case "lagging" -> new Indicator("Live Data (collector lagging)", "lagging", false, h.reason());
      case "down" -> new Indicator("Live Data (collector down)", "down", false, h.reason());
      default -> new Indicator("Live Data", "live", false, null);
    };
  }

  /** The published status of the source's collector in the current store, or null. */
  private CollectorStatus collector(SourceName source) {
    return CollectorStatus.read(store(), source).orElse(null);
  }

  static String days(long n) {
    return n == 1 ? "1 day" : n + " days";
  }

  /** Production is available when TICKVAULT_DATABASE_URL is set or the default embedded store exists. */
  private Production production() {
    io.tickvault.store.StoreUrl url;
    try {
      url = settings.database();
    } catch (io.tickvault.domain.InvalidInputException malformed) {
      // refused with its own (masked) message when a sync opens it
      return new Production(settings.productionConfigured(), "the store TICKVAULT_DATABASE_URL names (not a valid "
          + "store URL)");
    }
    if (url.isPostgres()) {
      // named, not opened: the URL may hold a password, and connecting just to show a label is not worth it
      return new Production(settings.productionConfigured(), "PostgreSQL (TICKVAULT_DATABASE_URL)");
    }
    boolean available = settings.productionConfigured() || Files.isRegularFile(url.file());
    return new Production(available, url.location());
  }

  private Instant capped(Instant t) {
    Instant now = clock.instant();
    return t == null || t.isBefore(now) ? t : now;
  }

  // ---- sources --------------------------------------------------------------------------------

  /**
   * Every known source as {@code tickvault list} shows it (built-ins not yet created included); the
   * metadata describes {@code shown}, the source the request names (else DATA_SOURCE).
   */
  SourceList sources(SourceName shown) {
    BarStore store = store();
    SourceName def = settings.dataSource();
    List<SourceRow> rows = new ArrayList<>();
    for (SourceSummary s : new SourceService(store).list()) {
      IngestRecord li = s.lastIngest();
      LastIngest last = li == null ? null
          : new LastIngest(li.started(), li.finished(), li.status().label(), li.rows(), li.origin(), li.symbols());
      CollectorStatus c = mode() == DataMode.MIRROR ? null : collector(s.name());
      rows.add(new SourceRow(s.name().value(), s.kind().label(), s.status(), s.table(), s.rows(), s.symbols(),
          s.first(), s.last(), last, s.description(), s.name().equals(def), s.timeframe(), s.timezone(), s.mixed(),
          c == null ? null : c.view(clock.instant())));
    }
    return new SourceList(provenance(shown), rows);
  }

  // ---- market summary -------------------------------------------------------------------------

  MarketSummary marketSummary(SourceName source) {
    BarStore store = store();
    SourceRecord rec = store.requireSource(source);
    List<SummaryRow> rows = new ArrayList<>();
    List<ApiViews.SymbolError> errors = new ArrayList<>();
    Instant now = clock.instant();
    for (SymbolStats s : store.symbolStats(source)) {
      try {
        SummaryRow row = summaryRow(store, source, rec, s, now);
        if (row != null) {
          rows.add(row);
        }
      } catch (io.tickvault.store.StoredDataException e) {
        ApiError error = ApiErrors.of(e);
        errors.add(new ApiViews.SymbolError(s.symbol().value(), error.type(), error.message()));
      }
    }
    return new MarketSummary(SUMMARY_PERIOD, rows, errors, provenance(source), rec.zone().getId(), rec.widthLabel());
  }

  private SummaryRow summaryRow(BarStore store, SourceName source, SourceRecord rec, SymbolStats s, Instant now) {
    SymbolStats upToNow = s;
    if (s.last() != null && s.last().isAfter(now)) {
      // bars dated in the future (e.g. 9999-12-31) are not the latest price: the summary stops at now
      io.tickvault.store.SourceStats st = store.stats(source, new BarFilter(s.symbol(),
          new TimeRange(null, now.plusNanos(1000))));
      upToNow = st.rows() == 0 ? null : new SymbolStats(s.symbol(), st.rows(), st.first(), st.last());
    }
    return upToNow == null || upToNow.last() == null ? null : summarize(store, source, upToNow, rec.zone());
  }

  private SummaryRow summarize(BarStore store, SourceName source, SymbolStats s, java.time.ZoneId zone) {
    LocalDate day = LocalDate.ofInstant(s.last(), zone);
    Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
    Instant lookback = day.minusDays(LOOKBACK_DAYS).atStartOfDay(zone).toInstant();
    List<Candle> days = dailyCandles(store, source, s.symbol(), new TimeRange(lookback, dayEnd));
    if (days.isEmpty()) {
      return null; // rows listed by symbol statistics but not readable per symbol (e.g. written by plain SQL)
    }
    Candle today = days.get(days.size() - 1);
    Candle previous = days.size() > 1 ? days.get(days.size() - 2) : null;
    if (previous == null && s.first().isBefore(lookback)) {
      List<Candle> older = dailyCandles(store, source, s.symbol(), new TimeRange(null, lookback));
      previous = older.isEmpty() ? null : older.get(older.size() - 1);
    }
    BigDecimal reference = previous != null ? previous.close() : today.open();
    BigDecimal change = today.close().subtract(reference);
    BigDecimal percent = reference.signum() == 0 ? null
        : change.multiply(BigDecimal.valueOf(100)).divide(reference, 2, RoundingMode.HALF_EVEN);
    return new SummaryRow(s.symbol().value(), day, today.close(), reference,
        previous != null ? "previousClose" : "open", change, percent, today.open(), today.high(), today.low(),
        today.volume(), s.last());
  }

  private static List<Candle> dailyCandles(BarStore store, SourceName source, Symbol symbol, TimeRange range) {
    List<Candle> out = new ArrayList<>();
    store.aggregate(source, symbol, range, Timeframe.DAY_1, out::add);
    return out;
  }

  // ---- history --------------------------------------------------------------------------------

  /**
   * A validated history request with what it reads once: the source's record and the symbol's
   * newest bar (each page of a long history is a request of its own, so each read saved here is
   * saved on every page).
   */
  record History(HistoryQuery query, SourceRecord record, Instant lastBar, HistoryMetadata metadata) {}

  /**
   * The request of {@code parsed}: its source exists (404), its interval is valid ({@link
   * #interval}: 400) and its symbol exists (404), in that order; the metadata of the response
   * has {@code count} 0 (the caller streams the candles, then reports the count). Two reads.
   */
  History history(HistoryQuery parsed) {
    BarStore store = store();
    SourceRecord rec = store.requireSource(parsed.source());
    HistoryQuery q = interval(parsed, rec);
    Bar last = lastBar(store, q);
    return new History(q, rec, last.timestamp(), metadata(q, rec, last));
  }

  /**
   * Checks that the source and symbol exist (404 otherwise) and returns the metadata of the
   * response, with {@code count} 0: the caller streams the candles, then reports the count.
   */
  HistoryMetadata historyMetadata(HistoryQuery q) {
    BarStore store = store();
    SourceRecord rec = store.requireSource(q.source());
    return metadata(q, rec, lastBar(store, q));
  }

  private HistoryMetadata metadata(HistoryQuery q, SourceRecord rec, Bar last) {
    return HistoryMetadata.of(provenance(q.source()), capped(last.timestamp()), q.symbol().value(),
        q.interval().apiName(), q.range().from(), q.range().to(), q.limit(), q.cursor(), rec.widthLabel(),
        rec.zone().getId());
  }

  /** The symbol's newest bar; 404 when it has none. */
  private Bar lastBar(BarStore store, HistoryQuery q) {
    Optional<Bar> last = store.last(q.source(), q.symbol());
    if (last.isEmpty()) {
      throw new NotFoundException("unknown symbol '" + q.symbol() + "' in source " + q.source() + " ["
          + environmentOf(mode()) + "]; GET /api/market-summary?source=" + q.source() + " lists its symbols");
    }
    return last.get();
  }

  /**
   * The query with its interval: the one asked for, which may not be finer than the source's bars
   * (a 5m candle cannot be made of daily bars: 400), or the source's own width when none was asked.
   */
  HistoryQuery interval(HistoryQuery q) {
    return interval(q, store().requireSource(q.source()));
  }

  private static HistoryQuery interval(HistoryQuery q, SourceRecord rec) {
    Timeframe width = rec.width();
    if (q.interval() == null) {
      return q.withInterval(width != null ? width : HistoryQuery.DEFAULT_INTERVAL);
    }
    if (width != null && q.interval().finerThan(width)) {
      throw new io.tickvault.domain.InvalidInputException("interval " + q.interval().apiName() + " is finer than the "
          + width + " bars of source " + q.source() + ": candles can only be as wide as its bars or wider; use "
          + "interval=" + width.apiName() + " or wider");
    }
    return q;
  }

  /** The current store's change log since {@code token} (the live feed's one shared read). */
  io.tickvault.store.ChangeSet changesSince(long token) {
    return store().changesSince(token);
  }

  /**
   * Streams the candles of the query, aggregated in the database, oldest first, from its cursor
   * when it has one; returns the count (the sink may stop the stream by throwing, as a full page does).
   *
   * <p>A page needs only its {@code limit} candles (and the one after them, for the next cursor), so
   * for widths up to a day the range is read in windows, each cut at a local midnight of the
   * source's zone: every such midnight is a bucket boundary of every width up to a day, so no
   * candle is split between two windows and the candles are exactly those of one query over the
   * whole range. A page of a year at 1m then aggregates about its own rows instead of the rest of
   * the year. At the source's own width a candle is one bar, so the first window ends at the
   * midnight after the page's last bar (found by walking the key, {@link BarStore#nthTimestamp}) and
   * one query usually fills the page; otherwise it spans {@code limit + 1} candle widths. Each next
   * window is sized by the density of the one before. Weeks and months are one query. At most
   * {@link #HISTORY_STREAMS} run at once; the others wait.
   */
  long history(HistoryQuery q, Consumer<Candle> sink) {
    return streamed(q, () -> windows(q, null, null, sink));
  }

  /** As {@link #history(HistoryQuery, Consumer)}, with what the request has read already. */
  long history(History h, Consumer<Candle> sink) {
    return streamed(h.query(), () -> windows(h.query(), h.record(), h.lastBar(), sink));
  }

  private long streamed(HistoryQuery q, java.util.function.LongSupplier read) {
    try {
      historyStreams.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.tickvault.store.StoreException("history of " + q.symbol() + ": interrupted while waiting for "
          + "its turn (the server is stopping)");
    }
    try {
      return read.getAsLong();
    } finally {
      historyStreams.release();
    }
  }

  /** {@code known} and {@code knownLast}: the source's record and the symbol's newest bar, or null to read them. */
  private long windows(HistoryQuery q, SourceRecord known, Instant knownLast, Consumer<Candle> sink) {
    BarStore store = store();
    TimeRange range = q.pageRange();
    Timeframe width = q.interval();
    if (range.from() == null || (width.calendar() && width != Timeframe.DAY_1)) {
      return store.aggregate(q.source(), q.symbol(), range, width, sink);
    }
    Instant to = range.to();
    if (to == null) {
      Instant last = knownLast;
      if (last == null) {
        Optional<Bar> newest = store.last(q.source(), q.symbol());
        if (newest.isEmpty()) {
          return 0;
        }
        last = newest.get().timestamp();
      }
      to = last.plusNanos(1000); // the store keeps microseconds
      if (!range.from().isBefore(to)) {
        return 0;
      }
    }
    SourceRecord rec = known != null ? known : store.requireSource(q.source());
    java.time.ZoneId zone = rec.zone();
    long needed = q.limit() + 1L; // the page's candles and the one that gives the next cursor
    Instant start = range.from();
    java.time.Duration window = width.duration().multipliedBy(needed);
    if (width == rec.width() && rec.mixed() == null && java.time.Duration.between(start, to).compareTo(window) > 0) {
      // one bar per candle: the window holding the page's bars holds its candles (the whole rest when fewer)
      Optional<Instant> lastOfPage = store.nthTimestamp(q.source(), q.symbol(), new TimeRange(start, to), needed - 1);
      window = java.time.Duration.between(start, lastOfPage.orElse(to));
    }
    long n = 0;
    while (start.isBefore(to)) {
      Instant end = windowEnd(start, window, zone, to);
      long got = store.aggregate(q.source(), q.symbol(), new TimeRange(start, end), width, sink);
      n += got;
      // the next window: as long as the candles still needed took at this window's density, with a
      // fifth to spare, or twice as long when this one was empty
      java.time.Duration taken = java.time.Duration.between(start, end);
      java.time.Duration estimate = got == 0 ? window.multipliedBy(2)
          : taken.dividedBy(got).multipliedBy(Math.max(1, needed - n)).multipliedBy(6).dividedBy(5);
      window = estimate.compareTo(window) > 0 ? estimate : window;
      start = end;
    }
    return n;
  }

  /** Days either side of a window's cut that must be free of offset changes of the zone. */
  private static final java.time.Duration CUT_MARGIN = java.time.Duration.ofDays(1);

  /**
   * The end of the window that starts at {@code start}: the first local midnight of {@code zone} at
   * least {@code window} later whose offset does not change within a day either side (so it is a
   * bucket boundary for every width up to a day in both engines' bucketing), or {@code to} when
   * that is sooner (or when no such midnight is found within a few weeks, which no real zone has).
   */
  static Instant windowEnd(Instant start, java.time.Duration window, java.time.ZoneId zone, Instant to) {
    if (java.time.Duration.between(start, to).compareTo(window) <= 0) {
      return to;
    }
    java.time.zone.ZoneRules rules = zone.getRules();
    LocalDate day = start.plus(window).atZone(zone).toLocalDate().plusDays(1);
    for (int i = 0; i < 28; i++, day = day.plusDays(1)) {
      Instant cut = day.atStartOfDay(zone).toInstant();
      if (!cut.isBefore(to)) {
        return to;
      }
      java.time.zone.ZoneOffsetTransition next = rules.nextTransition(cut.minus(CUT_MARGIN));
      if (next == null || next.getInstant().isAfter(cut.plus(CUT_MARGIN))) {
        return cut;
      }
    }
    return to;
  }

  private static String environmentOf(DataMode m) {
    return switch (m) {
      case LIVE -> "production";
      case MIRROR -> "mirror";
      case TEST -> "test";
    };
  }

  // ---- sync and health ------------------------------------------------------------------------

  SyncResult sync() {
    if (mode() != DataMode.MIRROR) {
      throw SyncUnavailableException.notMirrorMode(mode().label());
    }
    if (!production().available()) {
      throw SyncUnavailableException.noProduction(String.valueOf(settings.database().file())); // no attempt: nothing to sync from
    }
    if (!syncLock.tryLock()) {
      throw SyncUnavailableException.alreadyRunning();
    }
    try {
      BarStore prod;
      try {
        prod = workspace.production();
      } catch (RuntimeException e) {
        // an outage is an attempt that failed: the mirror's sync log keeps it (when there is a mirror)
        mirrors.recordFailure(clock.instant(), settings.database().location(), e);
        throw e;
      }
      MirrorAccess.SyncOutcome r = mirrors.sync(prod);
      Lineage l = r.lineage();
      return new SyncResult(r.full(), r.rowsAdded(), r.rowsChanged(), r.rowsDeleted(), r.chunksSynced(),
          r.elapsed().toMillis() / 1000.0, l == null ? null : l.lastSyncAt(), dataSource(settings.dataSource()));
    } finally {
      syncLock.unlock();
    }
  }

  /**
   * A scheduled sync ({@code serve --sync-every}): waits for a sync already running (the Sync now
   * button) instead of refusing, then syncs as {@link #sync()} does.
   */
  SyncResult scheduledSync() {
    syncLock.lock();
    try {
      return sync();
    } finally {
      syncLock.unlock();
    }
  }

  /** The newest {@code limit} sync attempts in the mirror's log (empty without a mirror). */
  List<io.tickvault.mirror.SyncLogEntry> syncLog(int limit) {
    return mirrors.syncLog(limit);
  }

  Health health() {
    BarStore store = store();
    List<SourceRecord> all = store.sources();
    List<ApiViews.CollectorHealth> collectors = new ArrayList<>();
    if (mode() != DataMode.MIRROR) {
      Instant now = clock.instant();
      for (SourceRecord r : all) {
        CollectorStatus c = collector(r.name());
        if (c != null) {
          CollectorStatus.Health h = c.health(now);
          collectors.add(new ApiViews.CollectorHealth(r.name().value(), c.state(), h.level(), h.lagSeconds(),
              h.reason(), c.heartbeat()));
        }
      }
    }
    return new Health("ok", mode().label(), settings.require(Settings.DATA_SOURCE), store.info().location(),
        all.size(), collectors);
  }

  /**
   * {@code GET /api/health/sources[?source=]}: what {@code tickvault health --format json} prints, for
   * the store of this server's mode (in mirror mode with the mirror's age).
   */
  java.util.Map<String, Object> sourceHealth(String source) {
    SourceName only = source == null || source.isBlank() ? null : SourceName.of(source);
    io.tickvault.quality.HealthReport r = io.tickvault.quality.HealthService.check(store(), only,
        io.tickvault.quality.HealthService.Options.DEFAULTS, clock.instant(), mode().label());
    if (mode() == DataMode.MIRROR) {
      Freshness f = mirrors.freshness(settings.staleAfter());
      r = r.withMirror(new io.tickvault.quality.HealthReport.MirrorAge(mirrors.file().toString(), f.lastSync(),
          f.age(), f.stale()));
    }
    return io.tickvault.quality.HealthJson.of(r);
  }
}
