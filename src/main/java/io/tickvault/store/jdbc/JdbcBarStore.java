package io.tickvault.store.jdbc;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarGrid;
import io.tickvault.domain.BarRules;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.domain.TickvaultException;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.WidthInference;
import io.tickvault.domain.WidthMismatchException;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Candle;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.OriginCount;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SourceStats;
import io.tickvault.store.StoreException;
import io.tickvault.store.StoreInfo;
import io.tickvault.store.StoredDataException;
import io.tickvault.store.SymbolStats;
import io.tickvault.store.WriteResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The SQL both engines share, parameterised by engine hooks (type mapping, bulk write path, DDL,
 * change tracking). Thread-safe: each operation borrows its own connection from
 * {@link #connect()}. Table names are only ever built from validated {@link SourceName}s.
 */
public abstract class JdbcBarStore implements BarStore {

  /** The columns of a source table, in the order every SELECT of this class uses. */
  protected static final String COLUMNS = io.tickvault.store.SourceTable.SELECT_LIST;

  private final StoreInfo info;

  protected JdbcBarStore(StoreInfo info) {
    this.info = info;
  }

  // ---- engine hooks ---------------------------------------------------------------------------

  /** A connection with auto-commit on; the caller closes it. */
  protected abstract Connection connect() throws SQLException;

  protected abstract void bindInstant(PreparedStatement ps, int index, Instant t) throws SQLException;

  protected abstract Instant readInstant(ResultSet rs, int index) throws SQLException;

  protected abstract BigDecimal readPrice(ResultSet rs, int index) throws SQLException;

  /** Binds a price as the engine stores it; null binds NULL. */
  protected abstract void bindPrice(PreparedStatement ps, int index, BigDecimal price) throws SQLException;

  /** SQL for the UTC day of the timestamp column, as the engine's day type. */
  protected abstract String dayExpr();

  protected abstract LocalDate readDay(ResultSet rs, int index) throws SQLException;

  protected abstract void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException;

  /**
   * SQL expression putting the timestamp column into candles of {@code width}, given {@code offset}:
   * an SQL expression for the UTC offset, in seconds, of the source's zone at that timestamp.
   * Intraday candles are aligned on local time (a bucket start is an instant); day, week (from
   * Monday) and month candles are local calendar units (a bucket is a local date); see
   * {@link #readBucket}.
   */
  protected abstract String bucketExpr(Timeframe width, String offset);

  /** Reads a bucket of {@link #bucketExpr} as the instant its candle starts, in {@code zone}. */
  protected abstract Instant readBucket(ResultSet rs, int index, Timeframe width, ZoneId zone) throws SQLException;

  /** A literal of the timestamp column's type, for SQL built from trusted values only. */
  protected abstract String instantLiteral(Instant t);

  /** Creates the table (and engine-specific triggers) if missing. */
  protected abstract void createTable(Connection c, SourceName name) throws SQLException;

  /** Names of existing {@code price_ticks_*} tables. */
  protected abstract List<String> tableNames(Connection c) throws SQLException;

  /**
   * Bulk-writes already validated, normalised bars inside the caller's transaction (auto-commit
   * off), upserting on (symbol, timestamp), the later of two input rows with one key winning.
   * {@code bars} is the {@link GateIterator}, which tells for each bar whether it repeats a key of
   * an earlier input row ({@link GateIterator#lastWasRepeat()}). Returns what the write did to the
   * table, counted in the same transaction.
   */
  protected abstract Written bulkWrite(Connection c, SourceName target, GateIterator bars) throws SQLException;

  /**
   * What a bulk write did to the table: keys added, keys replaced with different values, keys
   * written again with the same values (distinct keys; repeats inside the input are not counted),
   * and, when the engine counted them itself, the input rows that repeated an earlier key
   * ({@code -1}: the gate's count is used).
   */
  public record Written(long added, long replaced, long unchanged, long repeated) {
    public Written(long added, long replaced, long unchanged) {
      this(added, replaced, unchanged, -1);
    }
  }

  /** Engine bookkeeping after a write, inside the same transaction (e.g. recording chunks). */
  protected void afterWrite(Connection c, SourceName target, Set<Chunk> chunks) throws SQLException {}

  /** Engine bookkeeping after a delete, inside the same transaction. */
  protected void afterDelete(Connection c, SourceName target, BarFilter filter) throws SQLException {}

  /** Engine bookkeeping after a source's table was dropped, inside the same transaction. */
  protected void afterDrop(Connection c, SourceName name) throws SQLException {}

  /** Sets up a streaming read on the connection (e.g. auto-commit off for a cursor). */
  protected void prepareStreaming(Connection c) throws SQLException {}

  @Override
  public StoreInfo info() {
    return info;
  }

  // ---- connection helpers ---------------------------------------------------------------------

  @FunctionalInterface
  protected interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs work on a borrowed connection (auto-commit on). */
  protected <T> T withConnection(String what, SqlWork<T> work) {
    try (Connection c = connect()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  protected <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      T result;
      try {
        result = work.apply(c);
        c.commit();
      } catch (SQLException | RuntimeException | Error e) {
        // the engine may have rolled back already (SQLite does on a full disk): the first error is the
        // cause, what the rollback and the return to auto-commit say is kept only as suppressed
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        try {
          c.setAutoCommit(true);
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      c.setAutoCommit(true);
      return result;
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** The error for a failed operation; engines name causes the user can act on (a full disk). */
  protected StoreException failure(String what, SQLException e) {
    return StoreException.failed(what, info.location(), e);
  }

  // ---- tickvault_meta entries of callers ------------------------------------------------------

  @Override
  public Optional<String> meta(String key) {
    try (Connection c = connect();
         PreparedStatement ps = c.prepareStatement("SELECT value FROM tickvault_meta WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      // a store without tickvault_meta (an old mirror) has no entries
      return Optional.empty();
    }
  }

  @Override
  public void putMeta(String key, String value) {
    requireWritable("record " + key);
    withConnection("record " + key, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_meta (key, value) VALUES (?, ?) "
          + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
      }
      return null;
    });
  }

  protected void requireWritable(String operation) {
    if (info.readOnly()) {
      throw MirrorReadOnlyException.refused(operation, info.location());
    }
  }

  // ---- registry -------------------------------------------------------------------------------

  @Override
  public SourceRecord createSource(SourceName name, SourceKind kind, String description, Timeframe width,
      ZoneId zone) {
    requireWritable("create source " + name);
    inTransaction("create source " + name, c -> {
      createTable(c, name);
      ensureModelColumns(c);
      SourceRecord before = registryRow(c, name);
      if (before == null) {
        // a new source, or a table made by hand: its rows (if any) say what it holds
        ZoneId z = zone != null ? zone : BarGrid.DEFAULT_ZONE;
        WidthInference.Result found = classifyRows(c, name, z);
        Timeframe w = width;
        if (found.rows() > 0) {
          if (found.mixed() != null && width != null) {
            throw new InvalidInputException("cannot create source '" + name + "' with --timeframe " + width + ": its "
                + "table " + name.tableName() + " already holds rows that do not agree on one width (" + found.mixed()
                + ")");
          }
          if (width != null && found.width() != null && found.width() != width) {
            throw new WidthMismatchException(name, found.width(), width);
          }
          w = found.width();
          z = zone != null ? zone : found.zone();
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO tickvault_sources (name, kind, description, created_at, timeframe, timezone, mixed) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
          ps.setString(1, name.value());
          ps.setString(2, kind.label());
          ps.setString(3, description);
          bindInstant(ps, 4, Instant.now());
          ps.setString(5, w == null ? null : w.cliName());
          ps.setString(6, z.getId());
          ps.setString(7, found.rows() > 0 ? found.mixed() : null);
          ps.executeUpdate();
        }
        return null;
      }
      boolean empty = isEmpty(c, name);
      if (width != null && before.width() != null && before.width() != width) {
        if (!empty) {
          throw new WidthMismatchException(name, before.width(), width);
        }
      }
      if (width != null && before.width() == null && !empty) {
        WidthInference.Result found = classifyRows(c, name, before.zone());
        if (found.width() != width) {
          throw new InvalidInputException("cannot give source '" + name + "' the width " + width + ": its rows "
              + (found.mixed() != null ? "do not agree on one width (" + found.mixed() + ")" : "are " + found.width()
              + " bars"));
        }
      }
      if (zone != null && !zone.equals(before.zone()) && !empty) {
        throw new InvalidInputException("source '" + name + "' already holds bars in time zone " + before.zone().getId()
            + "; a source's zone cannot change once it holds bars: create another source with --timezone "
            + zone.getId());
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE tickvault_sources SET timeframe = COALESCE(?, timeframe), "
          + "timezone = COALESCE(?, timezone) WHERE name = ?")) {
        ps.setString(1, width == null ? null : width.cliName());
        ps.setString(2, zone == null ? null : zone.getId());
        ps.setString(3, name.value());
        ps.executeUpdate();
      }
      return null;
    });
    return requireSource(name);
  }

  /** Whether the source's table has no rows. */
  private static boolean isEmpty(Connection c, SourceName name) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1 FROM " + name.tableName() + " LIMIT 1")) {
      return !rs.next();
    }
  }

  // ---- source model (width, zone, mixed) ------------------------------------------------------

  private volatile boolean modelColumns;

  /** Whether {@code tickvault_sources} has the source-model columns (a store made before them may not). */
  protected boolean hasModelColumns(Connection c) throws SQLException {
    if (!modelColumns) {
      modelColumns = hasColumn(c, "tickvault_sources", "mixed");
    }
    return modelColumns;
  }

  /** Adds the source-model columns to {@code tickvault_sources} when missing (inside the caller's work). */
  protected void ensureModelColumns(Connection c) throws SQLException {
    if (hasModelColumns(c)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE tickvault_sources ADD COLUMN timeframe VARCHAR(8)");
      s.execute("ALTER TABLE tickvault_sources ADD COLUMN timezone VARCHAR(64)");
      s.execute("ALTER TABLE tickvault_sources ADD COLUMN mixed TEXT");
    }
    modelColumns = true;
  }

  /**
   * Records the model of every registered source that has none yet (a store made before sources
   * had a width and a zone): the width its rows agree on, or {@code mixed} with what was found.
   * Reads every such table once; rewrites no row. Runs inside the caller's transaction.
   */
  protected void recordLegacyModels(Connection c) throws SQLException {
    ensureModelColumns(c);
    List<SourceName> todo = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM tickvault_sources WHERE timeframe IS NULL AND timezone IS NULL AND mixed IS NULL")) {
      while (rs.next()) {
        SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
        if (n != null) {
          todo.add(n);
        }
      }
    }
    List<String> tables = tableNames(c);
    for (SourceName n : todo) {
      WidthInference.Result r = tables.contains(n.tableName()) ? classifyRows(c, n, BarGrid.DEFAULT_ZONE)
          : new WidthInference.Result(null, BarGrid.DEFAULT_ZONE, null, null, 0);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE tickvault_sources SET timeframe = ?, timezone = ?, mixed = ? WHERE name = ?")) {
        ps.setString(1, r.width() == null || r.mixed() != null ? null : r.width().cliName());
        ps.setString(2, r.zone().getId());
        ps.setString(3, r.rows() == 0 ? null : r.mixed());
        ps.setString(4, n.value());
        ps.executeUpdate();
      }
    }
  }

  /**
   * Looks again at the rows of a source marked mixed (after some were deleted): when they now agree
   * on one width, that becomes the source's width and the mark goes; otherwise the mark says what
   * is still mixed.
   */
  protected void remodel(Connection c, SourceRecord rec) throws SQLException {
    WidthInference.Result r = classifyRows(c, rec.name(), rec.zone());
    String mixed = r.rows() == 0 ? null : r.mixed();
    if (mixed == null && r.width() != null && !r.zone().equals(rec.zone())) {
      mixed = "its " + r.width() + " bars start at midnight of " + r.zone().getId() + ", not of the source's zone "
          + rec.zone().getId();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE tickvault_sources SET timeframe = ?, mixed = ? WHERE name = ?")) {
      ps.setString(1, r.width() == null || mixed != null ? null : r.width().cliName());
      ps.setString(2, mixed);
      ps.setString(3, rec.name().value());
      ps.executeUpdate();
    }
  }

  /** What the rows of a source's table say about its width, read in {@code zone}. */
  protected WidthInference.Result classifyRows(Connection c, SourceName name, ZoneId zone) throws SQLException {
    WidthInference inference = new WidthInference(zone);
    try (PreparedStatement ps = c.prepareStatement("SELECT symbol, \"timestamp\" FROM " + name.tableName()
        + " ORDER BY symbol, \"timestamp\"")) {
      ps.setFetchSize(5000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inference.accept(rs.getString(1), readInstant(rs, 2));
        }
      }
    }
    return inference.result();
  }

  /** The registry row of a source, or null (with the model columns when the store has them). */
  private SourceRecord registryRow(Connection c, SourceName name) throws SQLException {
    boolean model = hasModelColumns(c);
    try (PreparedStatement ps = c.prepareStatement("SELECT name, kind, description, created_at"
        + (model ? ", timeframe, timezone, mixed" : "") + " FROM tickvault_sources WHERE name = ?")) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? registryRecord(rs, name, model, true) : null;
      }
    }
  }

  private SourceRecord registryRecord(ResultSet rs, SourceName n, boolean model, boolean table) throws SQLException {
    Timeframe width = null;
    ZoneId zone = null;
    String mixed = null;
    if (model) {
      String w = rs.getString(5);
      String z = rs.getString(6);
      mixed = rs.getString(7);
      try {
        width = w == null ? null : Timeframe.parse(w);
      } catch (InvalidInputException e) {
        mixed = mixed != null ? mixed : "the registry names an unknown width " + Text.quote(w);
      }
      try {
        zone = z == null ? null : ZoneId.of(z);
      } catch (java.time.DateTimeException e) {
        mixed = mixed != null ? mixed : "the registry names an unknown time zone " + Text.quote(z);
      }
    }
    return new SourceRecord(n, SourceKind.parse(rs.getString(2)), rs.getString(3), readInstant(rs, 4), true, table,
        width, zone, mixed);
  }

  @Override
  public List<SourceRecord> sources() {
    return withConnection("list sources", c -> {
      Map<SourceName, SourceRecord> out = new TreeMap<>();
      Set<SourceName> tables = new HashSet<>();
      for (String t : tableNames(c)) {
        SourceName n = SourceName.fromTableName(t);
        if (n != null) {
          tables.add(n);
        }
      }
      boolean model = hasModelColumns(c);
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT name, kind, description, created_at"
               + (model ? ", timeframe, timezone, mixed" : "") + " FROM tickvault_sources")) {
        while (rs.next()) {
          SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
          if (n == null) {
            continue; // a registry row written by hand with an invalid name: never used for SQL
          }
          out.put(n, registryRecord(rs, n, model, tables.contains(n)));
        }
      }
      for (SourceName n : tables) {
        out.putIfAbsent(n, new SourceRecord(n, SourceKind.defaultFor(n), null, null, false, true, null, null, null));
      }
      return new ArrayList<>(out.values());
    });
  }

  @Override
  public Optional<SourceRecord> source(SourceName name) {
    return sources().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  @Override
  public SourceRecord requireSource(SourceName name) {
    List<SourceRecord> all = sources();
    Optional<SourceRecord> r = all.stream().filter(x -> x.name().equals(name)).findFirst();
    if (r.isEmpty() || !r.get().tableExists()) {
      throw unknownSource(name, all.stream().filter(SourceRecord::tableExists).map(x -> x.name().value()).toList());
    }
    return r.get();
  }

  /**
   * "No source": with the nearest existing name when there is one (never advice to create the
   * name as typed then), else the list of sources and how to create one.
   */
  private NotFoundException unknownSource(SourceName name, List<String> existing) {
    String where = " in " + info.location();
    java.util.Optional<String> near = io.tickvault.domain.DidYouMean.closest(name.value(), existing);
    if (near.isPresent()) {
      return new NotFoundException("no source '" + name + "'" + where + "; did you mean '" + near.get() + "'?");
    }
    return new NotFoundException("no source '" + name + "'" + where + (existing.isEmpty() ? " (it has no sources yet)"
        : "; sources: " + String.join(", ", existing)) + ". Run `tickvault list` to see them, or `tickvault create "
        + "--source " + name + "` if you mean a new source");
  }

  @Override
  public void dropSource(SourceName name) {
    requireWritable("drop source " + name);
    inTransaction("drop source " + name, c -> {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DROP TABLE IF EXISTS " + name.tableName());
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tickvault_sources WHERE name = ?")) {
        ps.setString(1, name.value());
        ps.executeUpdate();
      }
      afterDrop(c, name);
      return null;
    });
  }

  // ---- filters --------------------------------------------------------------------------------

  /** WHERE clause (starting with " WHERE" or empty) for a filter; bind with {@link #bindFilter}. */
  protected static String where(BarFilter f) {
    List<String> parts = new ArrayList<>();
    if (f.symbol() != null) parts.add("symbol = ?");
    if (f.range().from() != null) parts.add("\"timestamp\" >= ?");
    if (f.range().to() != null) parts.add("\"timestamp\" < ?");
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  /** Binds a filter's values from {@code index}; returns the next free index. */
  protected int bindFilter(PreparedStatement ps, int index, BarFilter f) throws SQLException {
    if (f.symbol() != null) ps.setString(index++, f.symbol().value());
    if (f.range().from() != null) bindInstant(ps, index++, f.range().from());
    if (f.range().to() != null) bindInstant(ps, index++, f.range().to());
    return index;
  }

  // ---- statistics -----------------------------------------------------------------------------

  @Override
  public SourceStats stats(SourceName name, BarFilter filter) {
    requireSource(name);
    return withConnection("stats of " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT symbol), MIN(\"timestamp\"), "
          + "MAX(\"timestamp\") FROM " + name.tableName() + where(filter))) {
        bindFilter(ps, 1, filter);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new SourceStats(rs.getLong(1), rs.getLong(2), readInstant(rs, 3), readInstant(rs, 4));
        }
      }
    });
  }

  /**
   * One index lookup per symbol on the (symbol, timestamp) key: the distinct symbols are walked
   * with a recursive query (each step the next symbol, from the index), so the cost is symbols x
   * log rows on both engines, not a scan of the table.
   */
  @Override
  public Instant firstTimestamp(SourceName name) {
    requireSource(name);
    String t = name.tableName();
    return withConnection("first bar of " + name, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("WITH RECURSIVE s(sym) AS ("
          + "SELECT MIN(symbol) FROM " + t + " UNION ALL SELECT (SELECT MIN(symbol) FROM " + t
          + " WHERE symbol > s.sym) FROM s WHERE s.sym IS NOT NULL) SELECT MIN((SELECT MIN(\"timestamp\") FROM " + t
          + " WHERE symbol = s.sym)) FROM s WHERE s.sym IS NOT NULL")) {
        rs.next();
        return readInstant(rs, 1);
      }
    });
  }

  @Override
  public List<SymbolStats> symbolStats(SourceName name) {
    requireSource(name);
    return withConnection("symbol stats of " + name, c -> {
      List<SymbolStats> out = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT symbol, COUNT(*), "
          + "MIN(\"timestamp\"), MAX(\"timestamp\") FROM " + name.tableName() + " GROUP BY symbol ORDER BY symbol")) {
        while (rs.next()) {
          out.add(new SymbolStats(storedSymbol(rs.getString(1), name, null), rs.getLong(2), readInstant(rs, 3),
              readInstant(rs, 4)));
        }
      }
      return out;
    });
  }

  @Override
  public List<OriginCount> origins(SourceName name, BarFilter filter) {
    requireSource(name);
    return withConnection("origins of " + name, c -> {
      List<OriginCount> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT origin, COUNT(*) FROM " + name.tableName()
          + where(filter) + " GROUP BY origin ORDER BY origin")) {
        bindFilter(ps, 1, filter);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new OriginCount(SourceName.of(rs.getString(1)), rs.getLong(2)));
          }
        }
      }
      return out;
    });
  }

  // ---- writes ---------------------------------------------------------------------------------

  @Override
  public WriteResult write(SourceName target, Timeframe width, Iterator<Bar> bars) {
    return writeAfterClearing(target, width, null, bars);
  }

  @Override
  public WriteResult replace(SourceName target, Timeframe width, BarFilter clear, Iterator<Bar> bars) {
    return writeAfterClearing(target, width, clear, bars);
  }

  private WriteResult writeAfterClearing(SourceName target, Timeframe width, BarFilter clear, Iterator<Bar> bars) {
    requireWritable("write into " + target);
    java.util.Objects.requireNonNull(width, "the width of the bars written");
    SourceRecord rec = requireSource(target);
    if (!rec.registered()) {
      // a table made by hand: register it, recording what its rows hold, before writing into it
      rec = createSource(target, rec.kind(), null, null, null);
    }
    SourceRecord model = rec;
    requireWritableModel(model, width);
    BarGrid grid = new BarGrid(width, model.zone());
    boolean strict = model.kind() == SourceKind.GENERATED;
    Set<Chunk> chunks = new HashSet<>();
    return inTransaction("write into " + target, c -> {
      if (model.width() == null) {
        claimWidth(c, target, width);
      }
      long removed = 0;
      if (clear != null) {
        removed = deleteWhere(c, target, clear);
        afterDelete(c, target, clear);
      }
      GateIterator gate = new GateIterator(bars, target, chunks, grid, strict);
      Written w = bulkWrite(c, target, gate);
      if (gate.hasNext()) {
        throw new IllegalStateException("engine stopped before the end of the input");
      }
      afterWrite(c, target, chunks);
      return gate.result(w, removed);
    });
  }

  /** Refuses a write of {@code width} bars into a source marked mixed or holding another width. */
  private static void requireWritableModel(SourceRecord rec, Timeframe width) {
    if (rec.mixed() != null) {
      throw new InvalidInputException("source '" + rec.name() + "' is marked mixed: " + rec.mixed() + ". Writes into "
          + "it are refused until it is split or cleaned (see docs/sources.md: `tickvault migrate --source "
          + rec.name() + " --target " + rec.name() + "_1day --timeframe 1Day`, then `tickvault clean --source "
          + rec.name() + " --timeframe 1Day`); nothing was written");
    }
    if (rec.width() != null && rec.width() != width) {
      throw new WidthMismatchException(rec.name(), rec.width(), width);
    }
  }

  /**
   * Records {@code width} as the source's width inside the write's transaction, unless another
   * writer recorded one first: then that one must be the same.
   */
  private void claimWidth(Connection c, SourceName target, Timeframe width) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE tickvault_sources SET timeframe = ? WHERE name = ? AND timeframe IS NULL AND mixed IS NULL")) {
      ps.setString(1, width.cliName());
      ps.setString(2, target.value());
      if (ps.executeUpdate() == 1) {
        return;
      }
    }
    SourceRecord now = registryRow(c, target);
    if (now == null) {
      throw new NotFoundException("source '" + target + "' was dropped while writing into it; nothing was written");
    }
    requireWritableModel(now, width);
  }

  /** A validation gate over {@code in} for writes into {@code target}, collecting touched chunks. */
  protected static GateIterator newGate(Iterator<Bar> in, SourceName target, Set<Chunk> chunks, BarGrid grid) {
    return new GateIterator(in, target, chunks, grid, false);
  }

  /**
   * Validates and normalises bars as the engine pulls them, counting rows so a failure names the
   * row, checking each bar sits on the source's grid (when {@code grid} is not null), collecting
   * the chunks touched, counting bars kept with flaws ({@link BarRules#flaw}; a strict gate, for
   * generated sources, refuses them) and finding repeated keys.
   *
   * <p>Repeats: for each symbol the gate remembers the last timestamp and its row, so a row with
   * the same (symbol, timestamp) as the previous row of that symbol is flagged
   * ({@link #lastWasRepeat()}), counted and listed. This finds every repeat of an input whose rows
   * of each symbol are in time order, ascending or descending (vendor pages, generated data, reads
   * of another source, CSV files in either order); memory is one entry per symbol.
   * {@link #sorted()} tells whether every key so far was strictly increasing in
   * (symbol, timestamp), i.e. the input cannot hold duplicate keys at all.
   */
  protected static final class GateIterator implements Iterator<Bar> {
    private final Iterator<Bar> in;
    private final SourceName target;
    private final Set<Chunk> chunks;
    private final BarGrid grid;
    private final boolean strict;
    private final Map<Symbol, long[]> lastOf = new java.util.HashMap<>();
    private final List<WriteResult.Repeat> repeats = new ArrayList<>();
    private long row;
    private Bar prev;
    private boolean sorted = true;
    private boolean ordered = true;
    private boolean lastRepeat;
    private Bar ahead;
    private boolean aheadRepeat;
    private long collapsed;
    private long repeated;
    private long flawed;
    private String firstFlaw;
    private Symbol lastSymbol;
    private long[] last;
    private Symbol chunkSymbol;
    private long chunkEpochDay = Long.MIN_VALUE;

    GateIterator(Iterator<Bar> in, SourceName target, Set<Chunk> chunks, BarGrid grid, boolean strict) {
      this.in = in;
      this.target = target;
      this.chunks = chunks;
      this.grid = grid;
      this.strict = strict;
    }

    @Override
    public boolean hasNext() {
      return ahead != null || in.hasNext();
    }

    /**
     * The next bar for the engine. Consecutive rows with one key (a repeated line) are collapsed
     * here, the later kept, so the engine compares only the final values with what is stored.
     */
    @Override
    public Bar next() {
      Bar cur;
      boolean curRepeat;
      if (ahead != null) {
        cur = ahead;
        curRepeat = aheadRepeat;
        ahead = null;
      } else {
        if (!in.hasNext()) {
          throw new NoSuchElementException();
        }
        cur = pull();
        curRepeat = lastRepeat;
      }
      while (in.hasNext()) {
        Bar nx = pull();
        if (lastRepeat && nx.symbol().equals(cur.symbol()) && nx.timestamp().equals(cur.timestamp())) {
          collapsed++;
          cur = nx; // the later row of a repeated key wins; cur's own repeat flag stays
          continue;
        }
        ahead = nx;
        aheadRepeat = lastRepeat;
        break;
      }
      lastRepeat = curRepeat;
      return cur;
    }

    /** Pulls, validates and normalises one input row, tracking order, repeats, flaws and chunks. */
    private Bar pull() {
      Bar b = in.next();
      row++;
      if (b == null) {
        throw new InvalidInputException("rejected row " + row + ": empty bar; nothing was written");
      }
      BarRules.check(b, row, strict);
      if (grid != null) {
        String off = grid.offGrid(b.timestamp());
        if (off != null) {
          throw new InvalidInputException("rejected row " + row + " [symbol=" + b.symbol() + "]: " + off
              + "; nothing was written into " + target);
        }
      }
      if (!strict) {
        String f = BarRules.flaw(b);
        if (f != null) {
          if (flawed++ == 0) {
            firstFlaw = "row " + row + ", " + b.symbol() + " " + b.timestamp() + ": " + f;
          }
        }
      }
      Bar n = b.normalized();
      if (prev != null && sorted) {
        int c = prev.symbol().compareTo(n.symbol());
        sorted = c < 0 || (c == 0 && prev.timestamp().isBefore(n.timestamp()));
      }
      prev = n;
      trackRepeat(n);
      long epochDay = Math.floorDiv(n.timestamp().getEpochSecond(), 86_400L);
      if (!n.symbol().equals(chunkSymbol) || epochDay != chunkEpochDay) {
        chunkSymbol = n.symbol();
        chunkEpochDay = epochDay;
        chunks.add(new Chunk(target, chunkSymbol, LocalDate.ofEpochDay(epochDay)));
      }
      return n;
    }

    private void trackRepeat(Bar n) {
      if (!n.symbol().equals(lastSymbol)) {
        lastSymbol = n.symbol();
        last = lastOf.get(lastSymbol);
        if (last == null) {
          last = new long[] {Long.MIN_VALUE, 0, 0}; // {micros, row, direction}
          lastOf.put(lastSymbol, last);
        }
      }
      long micros = n.timestamp().getEpochSecond() * 1_000_000L + n.timestamp().getNano() / 1000;
      lastRepeat = last[1] != 0 && micros == last[0];
      if (lastRepeat) {
        repeated++;
        if (repeats.size() < WriteResult.MAX_LISTED) {
          repeats.add(new WriteResult.Repeat(row, last[1]));
        }
      } else if (last[1] != 0) {
        long dir = micros > last[0] ? 1 : -1;
        if (last[2] == 0) {
          last[2] = dir;
        } else if (last[2] != dir) {
          ordered = false;
        }
      }
      last[0] = micros;
      last[1] = row;
    }

    /** Rows pulled so far. */
    public long rows() {
      return row;
    }

    /** True while every key pulled so far was strictly greater than the one before. */
    public boolean sorted() {
      return sorted;
    }

    /** True while each symbol's timestamps so far only rose or only fell (so every repeat was found). */
    public boolean ordered() {
      return ordered;
    }

    /**
     * Whether the bar last returned by {@link #next()} repeats the key of a row already handed to the
     * engine (a repeat that was not on the next row, e.g. with another symbol's rows in between).
     */
    public boolean lastWasRepeat() {
      return lastRepeat;
    }

    /** Repeated rows found so far. */
    public long repeated() {
      return repeated;
    }

    /**
     * The write's result from the engine's counts. Repeats: those collapsed here plus, among the
     * rows handed to the engine, the engine's own count when it made one, else the gate's.
     */
    public WriteResult result(Written w, long removed) {
      long total = w.repeated() >= 0 ? collapsed + w.repeated() : repeated;
      return new WriteResult(w.added(), w.replaced(), w.unchanged(), total, repeats, flawed, firstFlaw, removed,
          chunks);
    }
  }

  @Override
  public long delete(SourceName name, BarFilter filter) {
    requireWritable("clean " + name);
    SourceRecord rec = requireSource(name);
    return inTransaction("delete from " + name, c -> {
      long n = deleteWhere(c, name, filter);
      afterDelete(c, name, filter);
      if (rec.mixed() != null && n > 0) {
        remodel(c, rec);
      }
      return n;
    });
  }

  /**
   * Deletes the rows {@code filter} selects, inside the caller's transaction; returns how many. An
   * engine that records its own writes' changes does it here.
   */
  protected long deleteWhere(Connection c, SourceName name, BarFilter filter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName() + where(filter))) {
      bindFilter(ps, 1, filter);
      return ps.executeUpdate();
    }
  }

  /**
   * Deletes, per batch of 1,000, the rows equal to the given bars in every column (NULLs equal):
   * the key finds the row, the values make sure it is still the row that was read.
   */
  @Override
  public long deleteRows(SourceName name, Iterator<Bar> rows) {
    requireWritable("clean " + name);
    SourceRecord rec = requireSource(name);
    return inTransaction("delete from " + name, c -> {
      long n = deleteEqualRows(c, name, rows);
      if (rec.mixed() != null && n > 0) {
        remodel(c, rec);
      }
      return n;
    });
  }

  /**
   * Deletes, inside the caller's transaction, the rows of {@code name} equal to {@code rows} in
   * every column; returns the number deleted. This one sends batches of keyed DELETEs; an engine
   * may do it in bulk.
   */
  protected long deleteEqualRows(Connection c, SourceName name, Iterator<Bar> rows) throws SQLException {
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName()
        + " WHERE symbol = ? AND \"timestamp\" = ? AND price = ? AND open_price IS NOT DISTINCT FROM ? "
        + "AND high_price IS NOT DISTINCT FROM ? AND low_price IS NOT DISTINCT FROM ? "
        + "AND close_price IS NOT DISTINCT FROM ? AND volume = ? AND trade_count = ? "
        + "AND vwap IS NOT DISTINCT FROM ? AND origin = ?")) {
      int pending = 0;
      while (rows.hasNext()) {
        Bar b = rows.next();
        ps.setString(1, b.symbol().value());
        bindInstant(ps, 2, b.timestamp());
        bindPrice(ps, 3, b.price());
        bindPrice(ps, 4, b.open());
        bindPrice(ps, 5, b.high());
        bindPrice(ps, 6, b.low());
        bindPrice(ps, 7, b.close());
        ps.setLong(8, b.volume());
        ps.setInt(9, b.tradeCount());
        bindPrice(ps, 10, b.vwap());
        ps.setString(11, b.origin().value());
        ps.addBatch();
        if (++pending == 1000) {
          n += sum(ps.executeBatch());
          pending = 0;
        }
      }
      if (pending > 0) {
        n += sum(ps.executeBatch());
      }
    }
    return n;
  }

  private static long sum(int[] counts) {
    long n = 0;
    for (int k : counts) {
      n += Math.max(0, k);
    }
    return n;
  }

  // ---- reads ----------------------------------------------------------------------------------

  /**
   * Reads a row of {@code source}'s table, reusing the symbol and origin of {@code previous} (the
   * row before, or null) when they are the same text: rows come ordered by symbol, and validating
   * names costs a regex match. Stored text is taken as it is, never normalised: a symbol or origin
   * that is not valid exactly as stored (e.g. {@code 'btc/usd'} written by plain SQL) fails with an
   * {@link InvalidInputException} naming the row, because guessing would make a later
   * {@code WHERE symbol = ?} miss it.
   */
  protected Bar readBar(ResultSet rs, Bar previous, SourceName source) throws SQLException {
    String sym = rs.getString(1);
    String origin = rs.getString(11);
    Symbol symbol = previous != null && previous.symbol().value().equals(sym) ? previous.symbol()
        : storedSymbol(sym, source, rs);
    SourceName o;
    if (previous != null && previous.origin().value().equals(origin)) {
      o = previous.origin();
    } else {
      try {
        o = new SourceName(origin);
      } catch (InvalidInputException e) {
        throw rejectedRow(source, rs, "stored origin " + Text.quote(origin) + " is not a valid source name; correct "
            + "it where it was written", e);
      }
    }
    return new Bar(symbol, readInstant(rs, 2), readPrice(rs, 3), readPrice(rs, 4),
        readPrice(rs, 5), readPrice(rs, 6), readPrice(rs, 7), rs.getLong(8), rs.getInt(9), readPrice(rs, 10), o);
  }

  /**
   * A symbol exactly as stored in {@code source}'s table; an {@link InvalidInputException} naming
   * the row when it is not a valid symbol as it stands. {@code rs} (may be null) is positioned on
   * the row, with the timestamp in column 2.
   */
  protected Symbol storedSymbol(String raw, SourceName source, ResultSet rs) throws SQLException {
    try {
      return new Symbol(raw);
    } catch (InvalidInputException e) {
      throw rejectedRow(source, rs, "stored symbol " + Text.quote(raw) + " is not a valid symbol (1-10 characters: "
          + "upper-case letters, digits, '.', '-', '/', exactly as stored; tickvault does not guess); correct it where "
          + "it was written, e.g. UPDATE " + source.tableName() + " SET symbol = upper(trim(symbol)) "
          + "WHERE symbol <> upper(trim(symbol))", e);
    }
  }

  private InvalidInputException rejectedRow(SourceName source, ResultSet rs, String why, InvalidInputException cause)
      throws SQLException {
    String at = "";
    if (rs != null) {
      Instant t = readInstant(rs, 2);
      at = t == null ? "" : " at " + t;
    }
    return new InvalidInputException("rejected row" + at + " in " + source.tableName() + " [store="
        + info.location() + "]: " + why, cause);
  }

  /**
   * A symbol read from a change log: null when it names no single chunk (the empty text of a
   * whole-source change, or text that is not a valid symbol exactly as stored, whose rows can only
   * be found by reading the whole source).
   */
  protected static Symbol changedSymbol(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return new Symbol(raw);
    } catch (InvalidInputException e) {
      return null;
    }
  }

  @Override
  public long read(SourceName name, BarFilter filter, Consumer<Bar> sink) {
    requireSource(name);
    return withConnection("read " + name, c -> {
      prepareStreaming(c);
      try {
        return streamBars(c, name, filter, sink);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    });
  }

  /**
   * Streams the selected bars of a table on the given connection, ordered by symbol then
   * timestamp; the one read loop of both engines (the caller prepares the connection).
   */
  protected long streamBars(Connection c, SourceName name, BarFilter filter, Consumer<Bar> sink) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + name.tableName()
        + where(filter) + " ORDER BY symbol, \"timestamp\"")) {
      ps.setFetchSize(5000);
      bindFilter(ps, 1, filter);
      long n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        Bar prev = null;
        while (rs.next()) {
          prev = readBar(rs, prev, name);
          sink.accept(prev);
          n++;
        }
      }
      return n;
    }
  }

  @Override
  public Optional<Bar> last(SourceName name, Symbol symbol) {
    requireSource(name);
    return withConnection("last bar of " + symbol, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + name.tableName()
          + " WHERE symbol = ? ORDER BY \"timestamp\" DESC LIMIT 1")) {
        ps.setString(1, symbol.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(readBar(rs, null, name)) : Optional.<Bar>empty();
        }
      }
    });
  }

  @Override
  public long aggregate(SourceName name, Symbol symbol, TimeRange range, Timeframe width, Consumer<Candle> sink) {
    SourceRecord rec = requireSource(name);
    ZoneId zone = rec.zone();
    BarFilter f = new BarFilter(symbol, range);
    String t = name.tableName();
    TimeRange span = range;
    if (range.from() == null || range.to() == null) {
      SourceStats st = stats(name, f);
      if (st.rows() == 0) {
        return 0;
      }
      span = new TimeRange(range.from() != null ? range.from() : st.first(),
          range.to() != null ? range.to() : st.last().plusSeconds(1));
    }
    String offset = offsetExpr(zone, span);
    WeightedVwap weighted = weightedVwap();
    // Buckets first (one pass over the range, using the primary key), then the open and close of
    // each bucket by primary-key lookups of its first and last timestamps.
    String sql = "SELECT g.b, "
        + "(SELECT COALESCE(o.open_price, o.price) FROM " + t + " o WHERE o.symbol = ? AND o.\"timestamp\" = g.f), "
        + "g.h, g.l, (SELECT e.price FROM " + t + " e WHERE e.symbol = ? AND e.\"timestamp\" = g.z), g.v, "
        + "g.n, g.w1, g.vwv, g.tc" + weighted.outer() + " "
        + "FROM (SELECT " + bucketExpr(width, offset) + " AS b, MIN(\"timestamp\") AS f, "
        + "MAX(\"timestamp\") AS z, MAX(COALESCE(high_price, price)) AS h, MIN(COALESCE(low_price, price)) AS l, "
        + "SUM(volume) AS v, COUNT(*) AS n, MAX(vwap) AS w1, "
        + "SUM(CASE WHEN vwap IS NULL THEN 0 ELSE volume END) AS vwv, SUM(trade_count) AS tc" + weighted.inner() + " "
        + "FROM " + t + where(f) + " GROUP BY 1) g ORDER BY g.b";
    return withConnection("history of " + symbol, c -> {
      prepareStreaming(c);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(5000);
        ps.setString(1, symbol.value());
        ps.setString(2, symbol.value());
        bindFilter(ps, 3, f);
        long n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            // vwap of a bucket: the volume-weighted mean of its bars' vwaps, over bars that have one,
            // divided here in exact decimals (SQLite would divide integers); a single bar keeps its own
            BigDecimal vwap;
            if (rs.getLong(7) == 1) {
              vwap = readPrice(rs, 8);
            } else {
              BigDecimal sum = weighted.read(rs, 11);
              long weight = exactSum(rs, 9, name, symbol);
              vwap = sum == null || weight <= 0 ? null
                  : sum.divide(BigDecimal.valueOf(weight), Prices.SCALE, RoundingMode.HALF_EVEN);
            }
            sink.accept(new Candle(readBucket(rs, 1, width, zone), readPrice(rs, 2), readPrice(rs, 3),
                readPrice(rs, 4), readPrice(rs, 5), exactSum(rs, 6, name, symbol), vwap, rs.getLong(10)));
            n++;
          }
        } catch (SQLException e) {
          if (overflowed(e)) {
            throw StoredDataException.volumeOverflow(name, symbol, e);
          }
          throw e;
        }
        return n;
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    });
  }

  /**
   * How an engine sums {@code vwap * volume} per candle without overflow or rounding: the extra
   * aggregate columns of the inner query ({@code inner}, each starting with ", "), the same columns
   * in the outer select ({@code outer}), and how to read their exact sum (prices at scale 4) from the
   * result, starting at a column index.
   */
  protected interface WeightedVwap {
    String inner();

    String outer();

    BigDecimal read(ResultSet rs, int first) throws SQLException;
  }

  /** The engine's exact {@code SUM(vwap * volume)} ({@link WeightedVwap}). */
  protected abstract WeightedVwap weightedVwap();

  /** Whether a failed aggregate query overflowed an integer sum (SQLite raises "integer overflow"). */
  protected boolean overflowed(SQLException e) {
    String m = e.getMessage();
    return "22003".equals(e.getSQLState()) || (m != null && m.contains("integer overflow"));
  }

  /** A sum column as a long; a sum beyond BIGINT (PostgreSQL sums BIGINT as NUMERIC) is stored data that cannot be summed. */
  private static long exactSum(ResultSet rs, int index, SourceName name, Symbol symbol) throws SQLException {
    Object o = rs.getObject(index);
    if (o == null) {
      return 0;
    }
    if (o instanceof BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        throw StoredDataException.volumeOverflow(name, symbol, e);
      }
    }
    return ((Number) o).longValue();
  }

  /**
   * SQL for the UTC offset in seconds of {@code zone} at the timestamp column, exact over
   * {@code span} (plus a day each side): a constant for a zone without changes there, else a CASE
   * over its transitions (taken from Java's time-zone rules, so both engines cut days alike).
   */
  protected String offsetExpr(ZoneId zone, TimeRange span) {
    java.time.zone.ZoneRules rules = zone.getRules();
    Instant lo = span.from().minus(java.time.Duration.ofDays(1));
    Instant hi = span.to().plus(java.time.Duration.ofDays(1));
    StringBuilder b = new StringBuilder();
    int offset = rules.getOffset(lo).getTotalSeconds();
    java.time.zone.ZoneOffsetTransition next = rules.nextTransition(lo);
    int branches = 0;
    while (next != null && next.getInstant().isBefore(hi)) {
      b.append(" WHEN \"timestamp\" < ").append(instantLiteral(next.getInstant())).append(" THEN ").append(offset);
      offset = next.getOffsetAfter().getTotalSeconds();
      next = rules.nextTransition(next.getInstant());
      branches++;
    }
    return branches == 0 ? "(" + offset + ")" : "(CASE" + b + " ELSE " + offset + " END)";
  }

  @Override
  public void chunks(SourceName name, Consumer<Chunk> sink) {
    requireSource(name);
    withConnection("chunks of " + name, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT symbol, " + dayExpr()
          + " FROM " + name.tableName() + " ORDER BY 1, 2")) {
        while (rs.next()) {
          sink.accept(new Chunk(name, storedSymbol(rs.getString(1), name, null), readDay(rs, 2)));
        }
      }
      return null;
    });
  }

  @Override
  public java.util.SortedMap<LocalDate, Long> rowsPerDay(SourceName name, Instant from) {
    requireSource(name);
    return withConnection("rows per day of " + name, c -> {
      java.util.SortedMap<LocalDate, Long> out = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + dayExpr() + ", COUNT(*) FROM " + name.tableName()
          + " WHERE \"timestamp\" >= ? GROUP BY 1")) {
        bindInstant(ps, 1, from);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(readDay(rs, 1), rs.getLong(2));
          }
        }
      }
      return out;
    });
  }

  // ---- validate summaries ---------------------------------------------------------------------

  /** Portable DDL (text and bigint only), made on the first record, so neither engine's schema changes. */
  private static final String VALIDATION_TABLE = "CREATE TABLE IF NOT EXISTS tickvault_validation ("
      + "source VARCHAR(40) PRIMARY KEY, validated_at TEXT NOT NULL, calendar TEXT NOT NULL, range_from TEXT, "
      + "range_to TEXT, rows_checked BIGINT NOT NULL, errors BIGINT NOT NULL, warnings BIGINT NOT NULL, "
      + "counts TEXT NOT NULL)";

  @Override
  public void recordValidation(io.tickvault.store.ValidationRecord r) {
    requireWritable("record the validate run of " + r.source());
    withConnection("record the validate run of " + r.source(), c -> {
      try (Statement s = c.createStatement()) {
        s.execute(VALIDATION_TABLE);
      }
      StringBuilder counts = new StringBuilder();
      new TreeMap<>(r.counts()).forEach((k, v) -> counts.append(counts.length() == 0 ? "" : ",").append(k)
          .append('=').append(v));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_validation (source, validated_at, calendar, "
          + "range_from, range_to, rows_checked, errors, warnings, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (source) DO UPDATE SET validated_at = excluded.validated_at, calendar = excluded.calendar, "
          + "range_from = excluded.range_from, range_to = excluded.range_to, rows_checked = excluded.rows_checked, "
          + "errors = excluded.errors, warnings = excluded.warnings, counts = excluded.counts")) {
        ps.setString(1, r.source().value());
        ps.setString(2, r.validatedAt().toString());
        ps.setString(3, r.calendar());
        ps.setString(4, r.from() == null ? null : r.from().toString());
        ps.setString(5, r.to() == null ? null : r.to().toString());
        ps.setLong(6, r.rows());
        ps.setLong(7, r.errors());
        ps.setLong(8, r.warnings());
        ps.setString(9, counts.toString());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<io.tickvault.store.ValidationRecord> lastValidation(SourceName source) {
    try (Connection c = connect();
         PreparedStatement ps = c.prepareStatement("SELECT validated_at, calendar, range_from, range_to, rows_checked, "
             + "errors, warnings, counts FROM tickvault_validation WHERE source = ?")) {
      ps.setString(1, source.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String part : rs.getString(8).split(",")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            counts.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
          }
        }
        String from = rs.getString(3);
        String to = rs.getString(4);
        return Optional.of(new io.tickvault.store.ValidationRecord(source, Instant.parse(rs.getString(1)),
            rs.getString(2), from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to),
            rs.getLong(5), rs.getLong(6), rs.getLong(7), counts));
      }
    } catch (SQLException e) {
      // no tickvault_validation yet (no validate run recorded, or a store made before it): nothing recorded
      return Optional.empty();
    }
  }

  // ---- ingest log -----------------------------------------------------------------------------

  @Override
  public long startIngest(SourceName source, String origin, String feed, String symbols, TimeRange range) {
    requireWritable("ingest into " + source);
    return withConnection("record ingest", c -> {
      ensureOwnerColumn(c);
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_ingest_log (source, origin, feed, symbols, "
          + "range_from, range_to, rows_written, started, status, owner) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'running', ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, source.value());
        ps.setString(2, origin);
        ps.setString(3, feed);
        ps.setString(4, symbols);
        bindInstant(ps, 5, range == null ? null : range.from());
        bindInstant(ps, 6, range == null ? null : range.to());
        bindInstant(ps, 7, Instant.now());
        ps.setString(8, io.tickvault.store.RunOwner.current());
        ps.executeUpdate();
        try (ResultSet rs = ps.getGeneratedKeys()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      markAbandoned(c, id);
      return id;
    });
  }

  /**
   * Marks {@code running} rows whose process is gone (killed, crashed) as {@code abandoned}, so
   * the log never shows a dead run as running. Only processes of this machine can be checked;
   * a row of another machine, or written by an earlier version (no owner), stays as it is.
   */
  private void markAbandoned(Connection c, long byRun) throws SQLException {
    Map<Long, String> running = new java.util.LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, owner FROM tickvault_ingest_log WHERE status = 'running' AND id <> ? AND owner IS NOT NULL")) {
      ps.setLong(1, byRun);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          running.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    for (Map.Entry<Long, String> r : running.entrySet()) {
      if (!io.tickvault.store.RunOwner.isGone(r.getValue())) {
        continue;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE tickvault_ingest_log SET status = 'abandoned', "
          + "finished = ?, detail = ? WHERE id = ? AND status = 'running'")) {
        bindInstant(ps, 1, Instant.now());
        ps.setString(2, "abandoned: " + io.tickvault.store.RunOwner.describe(r.getValue()) + " ended without "
            + "finishing this run (killed or crashed); its committed bars are kept; found by run " + byRun);
        ps.setLong(3, r.getKey());
        ps.executeUpdate();
      }
    }
  }

  private volatile boolean ownerColumn;

  /** Adds the {@code owner} column to the ingest log of a store made before it existed. */
  private void ensureOwnerColumn(Connection c) throws SQLException {
    if (ownerColumn) {
      return;
    }
    if (!hasColumn(c, "tickvault_ingest_log", "owner")) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE tickvault_ingest_log ADD COLUMN owner TEXT");
      } catch (SQLException e) {
        if (!hasColumn(c, "tickvault_ingest_log", "owner")) { // another process added it meanwhile: fine
          throw e;
        }
      }
    }
    ownerColumn = true;
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        if (column.equalsIgnoreCase(md.getColumnName(i))) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void finishIngest(long id, long rows, io.tickvault.store.IngestStatus status, String detail) {
    requireWritable("ingest");
    withConnection("record ingest", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE tickvault_ingest_log SET rows_written = ?, finished = ?, status = ?, detail = ? WHERE id = ?")) {
        ps.setLong(1, rows);
        bindInstant(ps, 2, Instant.now());
        ps.setString(3, status.label());
        ps.setString(4, io.tickvault.domain.Secrets.redact(detail)); // stored text never holds a secret
        ps.setLong(5, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<IngestRecord> ingestLog(SourceName source, int limit) {
    return withConnection("read ingest log", c -> {
      List<IngestRecord> out = new ArrayList<>();
      boolean owner = ownerColumn || hasColumn(c, "tickvault_ingest_log", "owner"); // a store older than owners
      try (PreparedStatement ps = c.prepareStatement("SELECT id, source, origin, feed, symbols, range_from, range_to, "
          + "rows_written, started, finished, status, detail, " + (owner ? "owner" : "NULL") + " FROM tickvault_ingest_log"
          + (source == null ? "" : " WHERE source = ?") + " ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        if (source != null) ps.setString(i++, source.value());
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new IngestRecord(rs.getLong(1), SourceName.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), readInstant(rs, 6), readInstant(rs, 7), rs.getLong(8), readInstant(rs, 9),
                readInstant(rs, 10), io.tickvault.store.IngestStatus.of(rs.getString(11), rs.getLong(1)),
                rs.getString(12), rs.getString(13)));
          }
        }
      }
      return out;
    });
  }

  // ---- identity -------------------------------------------------------------------------------

  /** Reads the store id, creating it on first use (writable stores only). */
  protected static String ensureStoreId(Connection c, boolean writable) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM tickvault_meta WHERE key = 'store_id'")) {
      if (rs.next()) {
        return rs.getString(1);
      }
    }
    if (!writable) {
      return null;
    }
    String id = UUID.randomUUID().toString();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO tickvault_meta (key, value) VALUES ('store_id', ?) ON CONFLICT (key) DO NOTHING")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    return ensureStoreId(c, false);
  }

  /** Wraps an unexpected failure of a background task into the store's exception type. */
  protected StoreException wrap(String what, Throwable t) {
    if (t instanceof StoreException se) {
      return se;
    }
    if (t instanceof TickvaultException te) {
      throw te;
    }
    return StoreException.failed(what, info.location(), t);
  }
}
