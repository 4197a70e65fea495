package io.tickvault.source;

import io.tickvault.domain.DidYouMean;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.WidthSplit;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.OriginCount;
import io.tickvault.store.Partitioning;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SourceStats;
import io.tickvault.store.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The management verbs of {@code manage_data_sources.py}, made safe: list, create, clean, migrate,
 * compare. Thread-safe (stateless over a thread-safe store).
 *
 * <p>Migrations, splits and restores are refused, before anything is written, when the
 * {@link MixingRules} forbid them.
 */
public final class SourceService {
  /** Built-in sources, created by {@code tickvault create} without arguments. */
  public static final Map<SourceName, String> BUILT_INS = builtIns();
  private final BarStore store;
  private final MixingRules rules;

  public SourceService(BarStore store) {
    this.store = store;
    this.rules = new MixingRules(store);
  }

  private static Map<SourceName, String> builtIns() {
    Map<SourceName, String> m = new TreeMap<>();
    m.put(SourceName.SYNTHETIC, "Generated mock data for development");
    m.put(SourceName.ALPACA, "Real market data from Alpaca");
    m.put(SourceName.POLYGON, "Real market data from Polygon/Massive");
    m.put(SourceName.MOCK, "Mock data for unit tests");
    m.put(SourceName.TEST, "Integration test data");
    return m;
  }

  public BarStore store() {
    return store;
  }

  /** Every known source: the built-ins (created or not), registered sources and source tables. */
  public List<SourceSummary> list() {
    Map<SourceName, SourceRecord> known = new TreeMap<>();
    for (SourceRecord r : store.sources()) {
      known.put(r.name(), r);
    }
    List<SourceSummary> out = new ArrayList<>();
    Set<SourceName> names = new java.util.TreeSet<>(known.keySet());
    names.addAll(BUILT_INS.keySet());
    for (SourceName n : names) {
      SourceRecord r = known.get(n);
      SourceKind kind = r != null ? r.kind() : SourceKind.defaultFor(n);
      String description = r != null && r.description() != null ? r.description() : BUILT_INS.get(n);
      if (r == null || !r.tableExists()) {
        out.add(new SourceSummary(n, SourceSummary.NOT_CREATED, n.tableName(), kind, description, 0, 0, null, null,
            null, null, null, null, null));
        continue;
      }
      SourceStats s = store.stats(n, BarFilter.ALL);
      IngestRecord last = store.ingestLog(n, 1).stream().findFirst().orElse(null);
      out.add(new SourceSummary(n, s.rows() > 0 ? SourceSummary.HAS_DATA : SourceSummary.EMPTY, n.tableName(), kind,
          description, s.rows(), s.symbols(), s.first(), s.last(), last, r.widthLabel(), r.zone().getId(), r.mixed(),
          store.partitioning(n).label()));
    }
    return out;
  }

  /** Creates one source, or every built-in when {@code name} is null. Idempotent. */
  public List<SourceRecord> create(SourceName name, SourceKind kind, String description) {
    return create(name, kind, description, null, null);
  }

  /**
   * Creates one source with its model ({@code width} and {@code zone} may be null: the width is then
   * taken from the first write, the zone is America/New_York), or every built-in when {@code name}
   * is null. Idempotent; an existing source keeps its width and zone (a different one is refused
   * once it holds bars).
   */
  public List<SourceRecord> create(SourceName name, SourceKind kind, String description, Timeframe width,
      java.time.ZoneId zone) {
    return create(name, kind, description, width, zone, Partitioning.NONE);
  }

  /**
   * {@link #create(SourceName, SourceKind, String, Timeframe, java.time.ZoneId)} with the table's
   * layout: {@link Partitioning#MONTHLY} partitions a new source's table by month (PostgreSQL only).
   */
  public List<SourceRecord> create(SourceName name, SourceKind kind, String description, Timeframe width,
      java.time.ZoneId zone, Partitioning partitioning) {
    List<SourceRecord> out = new ArrayList<>();
    if (name == null) {
      for (Map.Entry<SourceName, String> e : BUILT_INS.entrySet()) {
        out.add(store.createSource(e.getKey(), SourceKind.defaultFor(e.getKey()), e.getValue()));
      }
      return out;
    }
    Optional<SourceRecord> existing = store.source(name);
    SourceKind k = kind != null ? kind : existing.map(SourceRecord::kind).orElse(SourceKind.defaultFor(name));
    if (existing.isPresent() && existing.get().registered() && kind != null && existing.get().kind() != kind) {
      throw new InvalidInputException("source '" + name + "' already exists with kind " + existing.get().kind().label()
          + "; a source's kind cannot change (create a new source instead)");
    }
    if (MixingRules.VENDOR_TABLES.contains(name) && k != SourceKind.VENDOR) {
      throw new InvalidInputException("source '" + name + "' holds real vendor data and must be of kind vendor");
    }
    String d = description != null ? description : BUILT_INS.get(name);
    out.add(store.createSource(name, k, d, width, zone, partitioning));
    return out;
  }

  /** The kind of rows of a given origin. */
  public SourceKind originKind(SourceName origin) {
    return rules.originKind(origin);
  }

  /**
   * Deletes the selected rows. A selection from a vendor source, or one holding real-origin rows,
   * needs {@code confirm}; without it nothing is deleted and the count that would go is returned.
   */
  public CleanResult clean(SourceName name, Symbol symbol, Instant before, boolean confirm) {
    SourceRecord r = store.requireSource(name);
    if (symbol != null) {
      requireSymbol(symbol, name);
    }
    BarFilter f = new BarFilter(symbol, new TimeRange(null, before));
    String reason = null;
    if (r.kind() == SourceKind.VENDOR) {
      reason = "'" + name + "' is a vendor source (real market data)";
    } else {
      List<SourceName> real = store.origins(name, f).stream().map(OriginCount::origin)
          .filter(o -> originKind(o) == SourceKind.VENDOR).toList();
      if (!real.isEmpty()) {
        reason = "'" + name + "' holds rows of real origin (" + MixingRules.join(real) + ")";
      }
    }
    if (reason != null && !confirm) {
      long n = store.stats(name, f).rows();
      if (n == 0) {
        return new CleanResult(0, 0, false, reason); // nothing to delete: nothing to confirm
      }
      return new CleanResult(0, n, true, reason);
    }
    return new CleanResult(store.delete(name, f), 0, false, reason);
  }

  /**
   * Copies the selected rows of {@code from} into {@code to}, keeping their origin; upserts, so a
   * rerun duplicates nothing. With {@code replace}, the target's rows in the same selection are
   * deleted first, in the same transaction. Refused (nothing written) when the mixing rules forbid it.
   */
  public MigrateResult migrate(SourceName from, SourceName to, Symbol symbol, TimeRange range, boolean replace) {
    if (from.equals(to)) {
      throw new InvalidInputException("--source and --target are both '" + from + "'; pick two different sources");
    }
    SourceRecord source = store.requireSource(from);
    SourceRecord target = store.requireSource(to);
    BarFilter f = new BarFilter(symbol, range);
    List<SourceName> selected = store.origins(from, f).stream().map(OriginCount::origin).toList();
    if (selected.isEmpty()) {
      return new MigrateResult(0, List.of(), replace, WriteResult.NONE);
    }
    // Origins that will still be in the target: all of them, or with --replace those outside the selection.
    Map<SourceName, Long> remainingRows = new TreeMap<>();
    store.origins(to, BarFilter.ALL).forEach(oc -> remainingRows.put(oc.origin(), oc.rows()));
    if (replace) {
      store.origins(to, f).forEach(oc -> remainingRows.merge(oc.origin(), -oc.rows(), Long::sum));
    }
    List<SourceName> remaining = remainingRows.entrySet().stream().filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey).toList();
    rules.checkCopy("migrate", "the selection in '" + from + "'", target, selected, remaining);
    Timeframe width = widthOf(source);
    WriteResult w = BarPipe.transfer(sink -> store.read(from, f, sink),
        bars -> replace ? store.replace(to, width, f, bars) : store.write(to, width, bars));
    return new MigrateResult(w.rows(), selected, replace, w);
  }

  /**
   * Copies the bars of one width out of a source marked mixed into {@code to} (see {@link
   * WidthSplit}: bars standing alone at local midnight are the daily ones); the first step of
   * splitting it. On a source that is not mixed, the width must be its own (then it is a plain
   * migrate). Refused, nothing written, when the mixing rules forbid it.
   */
  public MigrateResult split(SourceName from, SourceName to, Timeframe width) {
    SourceRecord source = store.requireSource(from);
    if (source.mixed() == null) {
      if (source.width() != width) {
        throw new InvalidInputException("source '" + from + "' is not mixed: it holds only " + source.width()
            + " bars; there are no " + width + " bars to take out of it");
      }
      return migrate(from, to, null, TimeRange.ALL, false);
    }
    if (from.equals(to)) {
      throw new InvalidInputException("--source and --target are both '" + from + "'; pick two different sources");
    }
    SourceRecord target = store.requireSource(to);
    List<SourceName> selected = store.origins(from, BarFilter.ALL).stream().map(OriginCount::origin).toList();
    List<SourceName> remaining = store.origins(to, BarFilter.ALL).stream().map(OriginCount::origin).toList();
    if (selected.isEmpty()) {
      return new MigrateResult(0, List.of(), false, WriteResult.NONE);
    }
    rules.checkCopy("migrate", "the selection in '" + from + "'", target, selected, remaining);
    WriteResult w = BarPipe.transfer(sink -> store.read(from, BarFilter.ALL, sink),
        bars -> store.write(to, width, new WidthSplit(bars, source.zone(), width)));
    return new MigrateResult(w.rows(), selected, false, w);
  }

  /**
   * Deletes the bars of one width from a source marked mixed (the second step of splitting it, after
   * {@link #split}); the source then holds one width again and takes writes. Returns the rows deleted.
   */
  public long cleanWidth(SourceName name, Timeframe width) {
    SourceRecord source = store.requireSource(name);
    if (source.mixed() == null) {
      throw new InvalidInputException("source '" + name + "' is not mixed (it holds " + (source.width() == null
          ? "no bars yet" : source.width() + " bars") + "); --timeframe only splits a mixed source");
    }
    return BarPipe.transfer(sink -> store.read(name, BarFilter.ALL, sink),
        bars -> store.deleteRows(name, new WidthSplit(bars, source.zone(), width)));
  }

  /** The width of the bars a source holds, for copying them; refused when it is mixed or unknown. */
  private static Timeframe widthOf(SourceRecord source) {
    if (source.mixed() != null) {
      throw new InvalidInputException("source '" + source.name() + "' is marked mixed: " + source.mixed() + "; split "
          + "it first (see docs/sources.md). Nothing was changed");
    }
    if (source.width() == null) {
      throw new InvalidInputException("source '" + source.name() + "' has no recorded bar width; run `tickvault create "
          + "--source " + source.name() + "` to record what its rows hold. Nothing was changed");
    }
    return source.width();
  }

  /**
   * Refuses (with {@link MixingRefusedException}, before anything is written) rows of the given
   * origins coming into {@code to} from outside the store (a restored file, named by {@code what}),
   * by the same rules as {@link #migrate} ({@link MixingRules#checkCopy}). A target that does not
   * exist yet is judged as a new, empty source of kind {@code kindIfNew}.
   */
  public void checkIncoming(String verb, String what, SourceName to, SourceKind kindIfNew, List<SourceName> origins) {
    SourceRecord target = rules.targetOrNew(to, kindIfNew);
    List<SourceName> remaining = !target.tableExists() ? List.of()
        : store.origins(to, BarFilter.ALL).stream().map(OriginCount::origin).toList();
    if (!origins.isEmpty()) {
      rules.checkCopy(verb, what, target, origins, remaining);
    }
  }

  /** Per-symbol comparison of two sources (see {@link SymbolComparison}). */
  public List<SymbolComparison> compare(SourceName a, SourceName b, Symbol symbol) {
    return compare(a, b, symbol, TimeRange.ALL);
  }

  /**
   * Per-symbol comparison of two sources within a time range. A symbol that neither source holds
   * is a {@link NotFoundException} (a typo must not compare as "identical").
   */
  public List<SymbolComparison> compare(SourceName a, SourceName b, Symbol symbol, TimeRange range) {
    store.requireSource(a);
    store.requireSource(b);
    if (symbol != null) {
      requireSymbol(symbol, a, b);
    }
    return SourceComparator.compare(store, a, b, new BarFilter(symbol, range));
  }

  /**
   * Refuses (with a {@link NotFoundException}) a symbol that none of the sources holds, naming the
   * nearest one there is.
   */
  public void requireSymbol(Symbol symbol, SourceName... sources) {
    for (SourceName s : sources) {
      if (store.stats(s, BarFilter.of(symbol)).rows() > 0) {
        return;
      }
    }
    Set<String> held = new java.util.TreeSet<>();
    for (SourceName s : sources) {
      store.symbolStats(s).forEach(st -> held.add(st.symbol().value()));
    }
    String in = java.util.Arrays.stream(sources).map(SourceName::value).distinct()
        .collect(Collectors.joining(" or "));
    String near = DidYouMean.closest(symbol.value(), held).orElse(null);
    throw new NotFoundException("no symbol '" + symbol + "' in " + in + (near != null ? "; did you mean '" + near
        + "'?" : held.isEmpty() ? " (no rows at all)" : "; symbols there: " + abbreviate(held)));
  }

  private static String abbreviate(Set<String> names) {
    List<String> l = new ArrayList<>(names);
    return l.size() <= 10 ? String.join(", ", l)
        : String.join(", ", l.subList(0, 10)) + " and " + (l.size() - 10) + " more (tickvault list)";
  }
}
