package io.tickvault.store.jdbc;

import io.tickvault.domain.Bar;
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
import io.tickvault.store.SymbolStats;
import io.tickvault.store.WriteResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
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
  protected static final String COLUMNS =
      "symbol, \"timestamp\", price, open_price, high_price, low_price, close_price, volume, trade_count, vwap, origin";

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

  /** SQL for the UTC day of the timestamp column, as the engine's day type. */
  protected abstract String dayExpr();

  protected abstract LocalDate readDay(ResultSet rs, int index) throws SQLException;

  protected abstract void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException;

  /** SQL expression bucketing the timestamp column into buckets of {@code seconds} (same type). */
  protected abstract String bucketExpr(long seconds);

  /** Creates the table (and engine-specific triggers) if missing. */
  protected abstract void createTable(Connection c, SourceName name) throws SQLException;

  /** Names of existing {@code price_ticks_*} tables. */
  protected abstract List<String> tableNames(Connection c) throws SQLException;

  /**
   * Bulk-writes already validated, normalised bars inside the caller's transaction (auto-commit
   * off). Returns the rows written.
   */
  protected abstract long bulkWrite(Connection c, SourceName target, Iterator<Bar> bars) throws SQLException;

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
      throw StoreException.failed(what, info.location(), e);
    }
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  protected <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw StoreException.failed(what, info.location(), e);
    }
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
  public SourceRecord createSource(SourceName name, SourceKind kind, String description) {
    requireWritable("create source " + name);
    inTransaction("create source " + name, c -> {
      createTable(c, name);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO tickvault_sources (name, kind, description, created_at) VALUES (?, ?, ?, ?) "
              + "ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, name.value());
        ps.setString(2, kind.label());
        ps.setString(3, description);
        bindInstant(ps, 4, Instant.now());
        ps.executeUpdate();
      }
      return null;
    });
    return requireSource(name);
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
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT name, kind, description, created_at FROM tickvault_sources")) {
        while (rs.next()) {
          SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
          if (n == null) {
            continue; // a registry row written by hand with an invalid name: never used for SQL
          }
          out.put(n, new SourceRecord(n, SourceKind.parse(rs.getString(2)), rs.getString(3), readInstant(rs, 4),
              true, tables.contains(n)));
        }
      }
      for (SourceName n : tables) {
        out.putIfAbsent(n, new SourceRecord(n, SourceKind.defaultFor(n), null, null, false, true));
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
  public WriteResult write(SourceName target, Iterator<Bar> bars) {
    return writeAfterClearing(target, null, bars);
  }

  @Override
  public WriteResult replace(SourceName target, BarFilter clear, Iterator<Bar> bars) {
    return writeAfterClearing(target, clear, bars);
  }

  private WriteResult writeAfterClearing(SourceName target, BarFilter clear, Iterator<Bar> bars) {
    requireWritable("write into " + target);
    requireSource(target);
    Set<Chunk> chunks = new HashSet<>();
    long rows = inTransaction("write into " + target, c -> {
      if (clear != null) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + target.tableName() + where(clear))) {
          bindFilter(ps, 1, clear);
          ps.executeUpdate();
        }
        afterDelete(c, target, clear);
      }
      GateIterator gate = new GateIterator(bars, target, chunks);
      long n = bulkWrite(c, target, gate);
      if (gate.hasNext()) {
        throw new IllegalStateException("engine stopped before the end of the input");
      }
      afterWrite(c, target, chunks);
      return n;
    });
    return new WriteResult(rows, Set.copyOf(chunks));
  }

  /** A validation gate over {@code in} for writes into {@code target}, collecting touched chunks. */
  protected static GateIterator newGate(Iterator<Bar> in, SourceName target, Set<Chunk> chunks) {
    return new GateIterator(in, target, chunks);
  }

  /**
   * Validates and normalises bars as the engine pulls them, counting rows so a failure names the
   * row, and collecting the chunks touched. {@link #sorted()} tells whether every key so far was
   * strictly increasing in (symbol, timestamp), i.e. the input cannot hold duplicate keys.
   */
  protected static final class GateIterator implements Iterator<Bar> {
    private final Iterator<Bar> in;
    private final SourceName target;
    private final Set<Chunk> chunks;
    private long row;
    private Bar prev;
    private boolean sorted = true;
    private Symbol chunkSymbol;
    private long chunkEpochDay = Long.MIN_VALUE;

    GateIterator(Iterator<Bar> in, SourceName target, Set<Chunk> chunks) {
      this.in = in;
      this.target = target;
      this.chunks = chunks;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public Bar next() {
      if (!in.hasNext()) {
        throw new NoSuchElementException();
      }
      Bar b = in.next();
      row++;
      if (b == null) {
        throw new InvalidInputException("rejected row " + row + ": empty bar; nothing was written");
      }
      BarRules.check(b, "row " + row);
      Bar n = b.normalized();
      if (prev != null && sorted) {
        int c = prev.symbol().compareTo(n.symbol());
        sorted = c < 0 || (c == 0 && prev.timestamp().isBefore(n.timestamp()));
      }
      prev = n;
      long epochDay = Math.floorDiv(n.timestamp().getEpochSecond(), 86_400L);
      if (!n.symbol().equals(chunkSymbol) || epochDay != chunkEpochDay) {
        chunkSymbol = n.symbol();
        chunkEpochDay = epochDay;
        chunks.add(new Chunk(target, chunkSymbol, LocalDate.ofEpochDay(epochDay)));
      }
      return n;
    }

    /** Rows pulled so far. */
    public long rows() {
      return row;
    }

    /** True while every key pulled so far was strictly greater than the one before. */
    public boolean sorted() {
      return sorted;
    }
  }

  @Override
  public long delete(SourceName name, BarFilter filter) {
    requireWritable("clean " + name);
    requireSource(name);
    return inTransaction("delete from " + name, c -> {
      long n;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName() + where(filter))) {
        bindFilter(ps, 1, filter);
        n = ps.executeUpdate();
      }
      afterDelete(c, name, filter);
      return n;
    });
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
    requireSource(name);
    BarFilter f = new BarFilter(symbol, range);
    String t = name.tableName();
    // Buckets first (one pass over the range, using the primary key), then the open and close of
    // each bucket by primary-key lookups of its first and last timestamps.
    String sql = "SELECT g.b, "
        + "(SELECT COALESCE(o.open_price, o.price) FROM " + t + " o WHERE o.symbol = ? AND o.\"timestamp\" = g.f), "
        + "g.h, g.l, (SELECT e.price FROM " + t + " e WHERE e.symbol = ? AND e.\"timestamp\" = g.z), g.v, "
        + "g.n, g.w1, g.vv, g.vwv, g.tc "
        + "FROM (SELECT " + bucketExpr(width.duration().toSeconds()) + " AS b, MIN(\"timestamp\") AS f, "
        + "MAX(\"timestamp\") AS z, MAX(COALESCE(high_price, price)) AS h, MIN(COALESCE(low_price, price)) AS l, "
        + "SUM(volume) AS v, COUNT(*) AS n, MAX(vwap) AS w1, SUM(vwap * volume) AS vv, "
        + "SUM(CASE WHEN vwap IS NULL THEN 0 ELSE volume END) AS vwv, SUM(trade_count) AS tc "
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
              BigDecimal weighted = readPrice(rs, 9);
              long weight = rs.getLong(10);
              vwap = weighted == null || weight <= 0 ? null
                  : weighted.divide(BigDecimal.valueOf(weight), Prices.SCALE, RoundingMode.HALF_EVEN);
            }
            sink.accept(new Candle(readInstant(rs, 1), readPrice(rs, 2), readPrice(rs, 3), readPrice(rs, 4),
                readPrice(rs, 5), rs.getLong(6), vwap, rs.getLong(11)));
            n++;
          }
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

  // ---- ingest log -----------------------------------------------------------------------------

  @Override
  public long startIngest(SourceName source, String origin, String feed, String symbols, TimeRange range) {
    requireWritable("ingest into " + source);
    return withConnection("record ingest", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_ingest_log (source, origin, feed, symbols, "
          + "range_from, range_to, rows_written, started, status) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'running')",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, source.value());
        ps.setString(2, origin);
        ps.setString(3, feed);
        ps.setString(4, symbols);
        bindInstant(ps, 5, range == null ? null : range.from());
        bindInstant(ps, 6, range == null ? null : range.to());
        bindInstant(ps, 7, Instant.now());
        ps.executeUpdate();
        try (ResultSet rs = ps.getGeneratedKeys()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public void finishIngest(long id, long rows, String status, String detail) {
    requireWritable("ingest");
    withConnection("record ingest", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE tickvault_ingest_log SET rows_written = ?, finished = ?, status = ?, detail = ? WHERE id = ?")) {
        ps.setLong(1, rows);
        bindInstant(ps, 2, Instant.now());
        ps.setString(3, status);
        ps.setString(4, detail);
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
      try (PreparedStatement ps = c.prepareStatement("SELECT id, source, origin, feed, symbols, range_from, range_to, "
          + "rows_written, started, finished, status, detail FROM tickvault_ingest_log"
          + (source == null ? "" : " WHERE source = ?") + " ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        if (source != null) ps.setString(i++, source.value());
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new IngestRecord(rs.getLong(1), SourceName.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), readInstant(rs, 6), readInstant(rs, 7), rs.getLong(8), readInstant(rs, 9),
                readInstant(rs, 10), rs.getString(11), rs.getString(12)));
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
