package io.tickvault.ingest;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.source.MixingRules;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.IngestStatus;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Downloads vendor bars into a store: the one write path of {@code tickvault ingest polygon} and
 * {@code tickvault ingest alpaca}.
 *
 * <p><b>Atomic chunks.</b> Every vendor page is written with one {@link BarStore#write} call, so it
 * lands whole or not at all. Pages arrive per symbol, oldest first, so after an interruption the
 * stored bars of every symbol are a complete prefix of what was asked for: nothing is half-written
 * and there is no hole to fill later.
 *
 * <p><b>Incremental, resumable backfill.</b> Without a {@code from} day, each symbol continues from
 * its last stored bar minus the trailing window (default 2 days), so an interrupted run is
 * finished by running the same command without {@code --from}, and recent bars the vendor
 * corrected are fetched again and replace the stored values (writes upsert on
 * (symbol, timestamp)). A symbol with no stored bars continues from the first day of the latest
 * run of the same vendor into the same source that asked for it; with no such run, {@code --from}
 * is required.
 *
 * <p><b>Where bars may go.</b> Into the vendor's own source ({@code polygon}, {@code alpaca}),
 * created as a vendor source when missing, or into a vendor source of the user's ({@code --into},
 * created when missing) that holds no rows of another origin. Never into the other vendor's source
 * or a generated source. One source never mixes vendor feeds: a source that holds Alpaca
 * {@code iex} bars refuses {@code sip} bars and suggests {@code --into alpaca_sip}.
 *
 * <p>Every run is recorded in the ingest log (source, origin, feed, symbols, range, rows, status
 * {@code ok} or {@code failed} with the reason; a run killed outright stays {@code running}).
 * Thread-safe if the store is; runs into the same source should not overlap.
 */
public final class VendorIngestService {
  private final BarStore store;
  private final Clock clock;

  public VendorIngestService(BarStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Runs one ingest; see the class comment. Throws {@link VendorException} or {@link InvalidInputException}. */
  public IngestReport ingest(BarSource source, IngestPlan asked, IngestListener listener) {
    long t0 = System.nanoTime();
    IngestListener l = listener == null ? IngestListener.NONE : listener;
    SourceName origin = source.origin();
    SourceName target = asked.into() == null ? origin : asked.into();
    IngestPlan plan = withWidth(asked, target);
    LocalDate to = plan.to() == null ? MarketTime.today(clock) : plan.to();
    if (plan.from() != null && plan.from().isAfter(to)) {
      throw new InvalidInputException("--from " + plan.from() + " is after today (" + to + " in New York): "
          + "give an earlier --from");
    }
    Runnable create = prepareTarget(target, source, l);
    boolean exists = create == null;
    if (exists) {
      checkFeed(target, source);
    }
    Map<Symbol, LocalDate> starts = startDays(target, source, plan, to, l, exists);

    TreeMap<LocalDate, List<Symbol>> groups = new TreeMap<>();
    starts.forEach((sym, day) -> {
      if (day != null) {
        groups.computeIfAbsent(day, d -> new ArrayList<>()).add(sym);
      }
    });
    LocalDate first = groups.isEmpty() ? null : groups.firstKey();
    Instant end = MarketTime.dayStart(to.plusDays(1));
    TimeRange range = new TimeRange(first == null ? null : MarketTime.dayStart(first), end);
    String symbolList = plan.symbols().stream().map(Symbol::value).collect(Collectors.joining(","));
    long id = store.startIngest(target, origin.value(), source.feed(), symbolList, range);

    Run run = new Run(target, plan.timeframe(), source, starts, to, l, create);
    try {
      for (Map.Entry<LocalDate, List<Symbol>> g : groups.entrySet()) {
        run.group(g.getValue());
        source.fetch(new BarSource.Request(g.getValue(), g.getKey(), to, plan.timeframe()), run::write);
        run.groupDone();
      }
    } catch (RuntimeException e) {
      try {
        store.finishIngest(id, run.rows, IngestStatus.FAILED, e.getMessage());
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      throw e;
    }
    String anomalies = run.anomalies();
    if (anomalies != null) {
      l.notice(anomalies);
    }
    String detail = detail(source, plan, run);
    store.finishIngest(id, run.rows, IngestStatus.OK, detail);
    List<IngestReport.SymbolResult> results = new ArrayList<>();
    for (Symbol s : plan.symbols()) {
      results.add(new IngestReport.SymbolResult(s, starts.get(s), run.rowsOf.getOrDefault(s, 0L), run.firstOf.get(s),
          run.lastOf.get(s)));
    }
    return new IngestReport(id, target, origin, source.feed(), results, first, to, plan.timeframe(), run.rows,
        run.pages, source.requests(), run.rounded, run.roundedVwaps, run.written, run.outOfRange, run.unrequested,
        anomalies, Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * The plan with its bar width: the one asked for, else the one the target holds (a resume without
   * --timeframe continues the source's width), else 1Day. Refused before anything is downloaded
   * when the target holds another width or is marked mixed.
   */
  private IngestPlan withWidth(IngestPlan plan, SourceName target) {
    Optional<SourceRecord> rec = store.source(target).filter(SourceRecord::tableExists);
    Timeframe held = rec.map(SourceRecord::width).orElse(null);
    Timeframe tf = plan.timeframe() != null ? plan.timeframe() : held != null ? held : Timeframe.DAY_1;
    if (tf.calendar() && tf != Timeframe.DAY_1) {
      throw new InvalidInputException("--timeframe " + tf + ": vendor downloads are 1Min, 5Min, 15Min, 30Min, 1Hour "
          + "or 1Day bars; weekly and monthly candles come from daily bars (the history API's interval=1w or 1mo)");
    }
    if (rec.isPresent() && rec.get().mixed() != null) {
      throw new InvalidInputException("source '" + target + "' is marked mixed: " + rec.get().mixed() + ". Writes "
          + "into it are refused until it is split or cleaned (see docs/sources.md); nothing was downloaded");
    }
    if (held != null && held != tf) {
      throw new io.tickvault.domain.WidthMismatchException(target, held, tf);
    }
    return plan.withTimeframe(tf);
  }

  /**
   * Applies the target rules of an ingest (see the class comment) without downloading anything:
   * creates the vendor source if missing, refuses a generated source, another vendor's rows or
   * another feed. {@code tickvault collect} calls it before it writes its first bar.
   */
  public void prepare(SourceName target, BarSource source, IngestListener listener) {
    IngestListener l = listener == null ? IngestListener.NONE : listener;
    Runnable create = prepareTarget(target, source, l);
    checkFeed(target, source);
    if (create != null) {
      create.run(); // a collector needs its source before the first bar: its lock and status live there
    }
  }

  private static String detail(BarSource source, IngestPlan plan, Run run) {
    StringJoiner j = new StringJoiner("; ");
    j.add("timeframe=" + plan.timeframe().cliName());
    if (!source.options().isEmpty()) {
      j.add(source.options());
    }
    j.add(plan.from() == null ? "incremental (trailing window " + days(plan.trailing()) + ")" : "from " + plan.from());
    if (run.rounded > 0) {
      j.add(run.rounded + " fractional volumes rounded to whole shares");
    }
    if (run.roundedVwaps > 0) {
      j.add(run.roundedVwaps + " vwaps rounded to 4 decimals");
    }
    j.add(run.written.summary());
    if (run.written.flawed() > 0) {
      j.add(run.written.flawNote());
    }
    String anomalies = run.anomalies();
    if (anomalies != null) {
      j.add(anomalies);
    }
    return j.toString();
  }

  /** State of one run: counters per symbol, the symbol currently arriving, progress. */
  private final class Run {
    final SourceName target;
    final Timeframe timeframe;
    final BarSource source;
    final Map<Symbol, LocalDate> starts;
    final Instant end;
    final IngestListener listener;
    final Map<Symbol, Long> rowsOf = new LinkedHashMap<>();
    final Map<Symbol, Instant> firstOf = new LinkedHashMap<>();
    final Map<Symbol, Instant> lastOf = new LinkedHashMap<>();
    final Set<Symbol> done = new HashSet<>();
    Set<Symbol> group = Set.of();
    List<Symbol> groupOrder = List.of();
    Symbol current;
    final LocalDate to;
    Runnable create;
    long rows;
    long pages;
    long rounded;
    long roundedVwaps;
    WriteResult written = WriteResult.NONE;
    long outOfRange;
    long unrequested;
    String firstOutOfRange;
    java.util.Set<Symbol> unrequestedSymbols = new java.util.TreeSet<>();

    Run(SourceName target, Timeframe timeframe, BarSource source, Map<Symbol, LocalDate> starts, LocalDate to,
        IngestListener listener, Runnable create) {
      this.target = target;
      this.timeframe = timeframe;
      this.source = source;
      this.starts = starts;
      this.to = to;
      this.end = MarketTime.dayStart(to.plusDays(1));
      this.listener = listener;
      this.create = create;
    }

    /**
     * The bars of the page that were asked for: a requested symbol of the current group, inside
     * [its first day, the last day]. The others are counted as vendor anomalies, never stored.
     */
    private List<Bar> asked(List<Bar> bars) {
      List<Bar> keep = null;
      for (int i = 0; i < bars.size(); i++) {
        Bar b = bars.get(i);
        String why = null;
        if (!group.contains(b.symbol())) {
          unrequested++;
          unrequestedSymbols.add(b.symbol());
          why = "unrequested";
        } else if (b.timestamp().isBefore(MarketTime.dayStart(starts.get(b.symbol())))
            || !b.timestamp().isBefore(end)) {
          if (outOfRange++ == 0) {
            firstOutOfRange = b.symbol() + " " + b.timestamp();
          }
          why = "out of range";
        }
        if (why != null && keep == null) {
          keep = new ArrayList<>(bars.subList(0, i));
        } else if (why == null && keep != null) {
          keep.add(b);
        }
      }
      return keep == null ? bars : keep;
    }

    /** The vendor anomalies of the run as one sentence, or null when there were none. */
    String anomalies() {
      if (outOfRange == 0 && unrequested == 0) {
        return null;
      }
      StringJoiner j = new StringJoiner(" and ");
      if (outOfRange > 0) {
        j.add(outOfRange + " bar" + (outOfRange == 1 ? "" : "s") + " outside the requested range (first: "
            + firstOutOfRange + "; asked through " + to + ")");
      }
      if (unrequested > 0) {
        j.add(unrequested + " bar" + (unrequested == 1 ? "" : "s") + " of symbols that were not requested ("
            + unrequestedSymbols.stream().limit(5).map(Symbol::value).collect(Collectors.joining(", ")) + ")");
      }
      return "vendor anomaly: " + source.vendor() + " sent " + j + "; not stored";
    }

    void group(List<Symbol> symbols) {
      group = new HashSet<>(symbols);
      groupOrder = symbols;
      current = null;
    }

    void write(BarSource.Page page) {
      pages++;
      rounded += page.roundedVolumes();
      roundedVwaps += page.roundedVwaps();
      List<Bar> bars = asked(page.bars());
      if (bars.isEmpty()) {
        return;
      }
      if (create != null) {
        create.run(); // the source is created with its first bars, so a run that writes nothing leaves none behind
        create = null;
      }
      WriteResult w;
      try {
        w = store.write(target, timeframe, bars.iterator());
      } catch (io.tickvault.domain.WidthMismatchException e) {
        throw e;
      } catch (InvalidInputException e) {
        String m = e.getMessage().replace("; nothing was written", "");
        throw new InvalidInputException(source.vendor() + " sent a bar that tickvault refuses: " + m + ". That page was not "
            + "written; " + rows + " rows from earlier pages are stored; report the bar to the vendor or skip the "
            + "day with --from/--to", e);
      }
      rows += w.rows();
      written = written.plus(w);
      // per-symbol progress, in page order
      Symbol sym = null;
      long n = 0;
      for (Bar b : bars) {
        if (!b.symbol().equals(sym)) {
          if (sym != null) {
            progress(sym, n);
          }
          sym = b.symbol();
          n = 0;
          if (current != null && !current.equals(sym)) {
            finish(current);
          }
          current = sym;
          firstOf.putIfAbsent(sym, b.timestamp());
        }
        n++;
        lastOf.put(sym, b.timestamp());
      }
      progress(sym, n);
    }

    private void progress(Symbol sym, long n) {
      long total = rowsOf.merge(sym, n, Long::sum);
      Instant from = MarketTime.dayStart(starts.get(sym));
      Instant through = lastOf.get(sym);
      double span = Duration.between(from, end).toMillis();
      double fraction = span <= 0 ? 1.0 : Math.max(0, Math.min(1, Duration.between(from, through).toMillis() / span));
      listener.progress(sym, total, through, fraction);
    }

    private void finish(Symbol sym) {
      if (done.add(sym)) {
        listener.symbolDone(sym, rowsOf.getOrDefault(sym, 0L));
      }
    }

    void groupDone() {
      for (Symbol s : groupOrder) {
        finish(s);
      }
    }
  }

  // ---- target rules -------------------------------------------------------------------------


  /**
   * Checks the target; returns null when it exists, else what creates it (run before the first
   * write, so a download that fails before writing anything leaves no new empty source).
   */
  private Runnable prepareTarget(SourceName target, BarSource source, IngestListener l) {
    SourceName origin = source.origin();
    boolean own = target.equals(origin);
    Optional<SourceRecord> rec = store.source(target);
    boolean exists = rec.isPresent() && rec.get().tableExists();
    SourceKind kind = exists ? rec.get().kind() : SourceKind.defaultFor(target);
    new MixingRules(store).checkDownload(target, kind, origin, source.vendor());
    if (!exists) {
      return () -> {
        store.createSource(target, SourceKind.VENDOR, own
            ? source.vendor() + " market data (tickvault ingest " + origin + ")"
            : source.vendor() + " market data" + (source.feed() == null ? "" : ", " + source.feed() + " feed")
                + " (created by tickvault ingest " + origin + " --into " + target + ")");
        if (!own) {
          l.notice("created vendor source " + target);
        }
      };
    }
    return null;
  }

  private void checkFeed(SourceName target, BarSource source) {
    String feed = source.feed();
    if (feed == null) {
      return;
    }
    String origin = source.origin().value();
    IngestRecord conflict = null;
    for (IngestRecord r : store.ingestLog(target, 1000)) {
      boolean emptyFailure = r.status() == IngestStatus.FAILED && r.rows() == 0;
      if (origin.equals(r.origin()) && r.feed() != null && !r.feed().equalsIgnoreCase(feed) && !emptyFailure) {
        conflict = r;
        break;
      }
    }
    if (conflict == null || store.stats(target, BarFilter.ALL).rows() == 0) {
      return;
    }
    String suggestion = (target.equals(source.origin()) ? origin : target.value()) + "_" + feed;
    throw new InvalidInputException("refused: " + target + " already holds " + source.vendor() + " " + conflict.feed()
        + " bars [ingest=" + conflict.id() + ", started=" + conflict.started() + "] and one source never mixes feeds; "
        + "put " + feed + " bars in a source of their own: add --into " + suggestion
        + " (created as a vendor source if missing)");
  }

  // ---- where each symbol starts -------------------------------------------------------------

  private Map<Symbol, LocalDate> startDays(SourceName target, BarSource source, IngestPlan plan, LocalDate to,
      IngestListener l, boolean exists) {
    Map<Symbol, LocalDate> out = new LinkedHashMap<>();
    if (plan.from() != null) {
      for (Symbol s : plan.symbols()) {
        out.put(s, plan.from());
      }
      return out;
    }
    List<Symbol> missing = new ArrayList<>();
    List<IngestRecord> log = null;
    List<String> shown = new ArrayList<>();
    List<Symbol> upToDate = new ArrayList<>();
    for (Symbol s : plan.symbols()) {
      // what was really stored: only bars inside the requested ranges are ever written
      Optional<Bar> last = exists ? store.last(target, s) : Optional.empty();
      LocalDate start;
      if (last.isPresent()) {
        start = MarketTime.dayOf(last.get().timestamp().minus(plan.trailing()));
      } else {
        if (log == null) {
          log = store.ingestLog(target, 1000);
        }
        start = earlierRunStart(log, source.origin().value(), s);
        if (start == null) {
          missing.add(s);
          continue;
        }
      }
      if (start.isAfter(to)) {
        upToDate.add(s);
        out.put(s, null);
      } else {
        out.put(s, start);
        shown.add(s + " from " + start + (last.isPresent() ? "" : " (no bars yet; continuing an earlier run)"));
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException("no stored bars of " + missing.stream().map(Symbol::value)
          .collect(Collectors.joining(", ")) + " in " + target + " and no earlier run to continue: give --from DAY "
          + "(e.g. --from " + to.minusYears(1) + ")");
    }
    if (!shown.isEmpty()) {
      int n = shown.size();
      l.notice("incremental run: each symbol continues from its last stored bar minus " + days(plan.trailing())
          + ": " + String.join(", ", shown.subList(0, Math.min(5, n))) + (n > 5 ? " and " + (n - 5) + " more" : ""));
    }
    if (!upToDate.isEmpty()) {
      l.notice("nothing to fetch through " + to + " for " + upToDate.stream().map(Symbol::value)
          .collect(Collectors.joining(", ")));
    }
    return out;
  }

  private static String days(Duration d) {
    return d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toHours() + " hours";
  }

  private static LocalDate earlierRunStart(List<IngestRecord> log, String origin, Symbol s) {
    for (IngestRecord r : log) {
      if (origin.equals(r.origin()) && r.rangeFrom() != null && r.symbols() != null
          && Arrays.asList(r.symbols().split(",")).contains(s.value())) {
        return MarketTime.dayOf(r.rangeFrom());
      }
    }
    return null;
  }
}
