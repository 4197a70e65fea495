package io.tickvault.store.jdbc;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.Candle;
import io.tickvault.store.OriginCount;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SourceStats;
import io.tickvault.store.SourceTable;
import io.tickvault.store.StoredDataException;
import io.tickvault.store.SymbolStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every read of source tables both engines share: bars in key order, statistics, candles, chunks,
 * rows per day. Portable SQL; the {@link SqlDialect} supplies the types and the day and bucket
 * expressions. Thread-safe: each read borrows its own connection.
 */
public final class BarReads {
  /** The columns of a source table, in the order every SELECT of this class uses. */
  static final String COLUMNS = SourceTable.SELECT_LIST;

  private final JdbcBarStore store;
  private final Connections connections;
  private final SqlDialect dialect;
  private final Registry registry;

  BarReads(JdbcBarStore store, Connections connections, SqlDialect dialect, Registry registry) {
    this.store = store;
    this.connections = connections;
    this.dialect = dialect;
    this.registry = registry;
  }

  /** WHERE clause (starting with " WHERE" or empty) for a filter; bind with {@link #bindFilter}. */
  public static String where(BarFilter f) {
    List<String> parts = new ArrayList<>();
    if (f.symbol() != null) parts.add("symbol = ?");
    if (f.range().from() != null) parts.add("\"timestamp\" >= ?");
    if (f.range().to() != null) parts.add("\"timestamp\" < ?");
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  /** Binds a filter's values from {@code index}; returns the next free index. */
  public int bindFilter(PreparedStatement ps, int index, BarFilter f) throws SQLException {
    if (f.symbol() != null) ps.setString(index++, f.symbol().value());
    if (f.range().from() != null) dialect.bindInstant(ps, index++, f.range().from());
    if (f.range().to() != null) dialect.bindInstant(ps, index++, f.range().to());
    return index;
  }

  // ---- statistics -----------------------------------------------------------------------------

  public SourceStats stats(SourceName name, BarFilter filter) {
    return onSource("stats of " + name, name, c -> stats(c, name, filter));
  }

  /** Runs {@code work} on one borrowed connection after finding the source there (not found: refused). */
  private <T> T onSource(String what, SourceName name, Connections.Work<T> work) {
    return connections.with(what, c -> {
      registry.require(c, name);
      return work.apply(c);
    });
  }

  private SourceStats stats(Connection c, SourceName name, BarFilter filter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT symbol), MIN(\"timestamp\"), "
        + "MAX(\"timestamp\") FROM " + name.tableName() + where(filter))) {
      bindFilter(ps, 1, filter);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new SourceStats(rs.getLong(1), rs.getLong(2), dialect.readInstant(rs, 3), dialect.readInstant(rs, 4));
      }
    }
  }

  /**
   * One index lookup per symbol on the (symbol, timestamp) key: the distinct symbols are walked
   * with a recursive query (each step the next symbol, from the index), so the cost is symbols x
   * log rows on both engines, not a scan of the table.
   */
  public Instant firstTimestamp(SourceName name) {
    String t = name.tableName();
    return onSource("first bar of " + name, name, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("WITH RECURSIVE s(sym) AS ("
          + "SELECT MIN(symbol) FROM " + t + " UNION ALL SELECT (SELECT MIN(symbol) FROM " + t
          + " WHERE symbol > s.sym) FROM s WHERE s.sym IS NOT NULL) SELECT MIN((SELECT MIN(\"timestamp\") FROM " + t
          + " WHERE symbol = s.sym)) FROM s WHERE s.sym IS NOT NULL")) {
        rs.next();
        return dialect.readInstant(rs, 1);
      }
    });
  }

  public List<SymbolStats> symbolStats(SourceName name) {
    return onSource("symbol stats of " + name, name, c -> {
      List<SymbolStats> out = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT symbol, COUNT(*), "
          + "MIN(\"timestamp\"), MAX(\"timestamp\") FROM " + name.tableName() + " GROUP BY symbol ORDER BY symbol")) {
        while (rs.next()) {
          out.add(new SymbolStats(storedSymbol(rs.getString(1), name, null), rs.getLong(2), dialect.readInstant(rs, 3),
              dialect.readInstant(rs, 4)));
        }
      }
      return out;
    });
  }

  public List<OriginCount> origins(SourceName name, BarFilter filter) {
    return onSource("origins of " + name, name, c -> {
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

  // ---- reads ----------------------------------------------------------------------------------

  /**
   * Reads a row of {@code source}'s table, reusing the symbol and origin of {@code previous} (the
   * row before, or null) when they are the same text: rows come ordered by symbol, and validating
   * names costs a regex match. Stored text is taken as it is, never normalised: a symbol or origin
   * that is not valid exactly as stored (e.g. {@code 'btc/usd'} written by plain SQL) fails with an
   * {@link InvalidInputException} naming the row, because guessing would make a later
   * {@code WHERE symbol = ?} miss it.
   */
  public Bar readBar(ResultSet rs, Bar previous, SourceName source) throws SQLException {
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
    return new Bar(symbol, dialect.readInstant(rs, 2), dialect.readPrice(rs, 3), dialect.readPrice(rs, 4),
        dialect.readPrice(rs, 5), dialect.readPrice(rs, 6), dialect.readPrice(rs, 7), rs.getLong(8), rs.getInt(9), dialect.readPrice(rs, 10), o);
  }

  /**
   * A symbol exactly as stored in {@code source}'s table; an {@link InvalidInputException} naming
   * the row when it is not a valid symbol as it stands. {@code rs} (may be null) is positioned on
   * the row, with the timestamp in column 2.
   */
  public Symbol storedSymbol(String raw, SourceName source, ResultSet rs) throws SQLException {
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
      Instant t = dialect.readInstant(rs, 2);
      at = t == null ? "" : " at " + t;
    }
    return new InvalidInputException("rejected row" + at + " in " + source.tableName() + " [store="
        + store.info().location() + "]: " + why, cause);
  }

  /**
   * A symbol read from a change log: null when it names no single chunk (the empty text of a
   * whole-source change, or text that is not a valid symbol exactly as stored, whose rows can only
   * be found by reading the whole source).
   */
  public static Symbol changedSymbol(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return new Symbol(raw);
    } catch (InvalidInputException e) {
      return null;
    }
  }

  public long read(SourceName name, BarFilter filter, Consumer<Bar> sink) {
    return connections.streaming("read " + name, c -> {
      registry.require(c, name);
      dialect.beforeKeyOrderedRead(c);
      return streamBars(c, name, filter, sink);
    });
  }

  /**
   * Streams the selected bars of a table on the given connection, ordered by symbol then
   * timestamp; the one read loop of both engines (the caller prepares the connection).
   */
  public long streamBars(Connection c, SourceName name, BarFilter filter, Consumer<Bar> sink) throws SQLException {
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

  public Optional<Bar> last(SourceName name, Symbol symbol) {
    return onSource("last bar of " + symbol, name, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + name.tableName()
          + " WHERE symbol = ? ORDER BY \"timestamp\" DESC LIMIT 1")) {
        ps.setString(1, symbol.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(readBar(rs, null, name)) : Optional.<Bar>empty();
        }
      }
    });
  }

  public Optional<Instant> nthTimestamp(SourceName name, Symbol symbol, TimeRange range, long n) {
    if (n < 0) {
      throw new IllegalArgumentException("bar number " + n + " is negative");
    }
    BarFilter f = new BarFilter(symbol, range);
    return onSource("bar " + n + " of " + symbol, name, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT \"timestamp\" FROM " + name.tableName() + where(f)
          + " ORDER BY \"timestamp\" LIMIT 1 OFFSET ?")) {
        int next = bindFilter(ps, 1, f);
        ps.setLong(next, n);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(dialect.readInstant(rs, 1)) : Optional.<Instant>empty();
        }
      }
    });
  }

  /**
   * Candles of one symbol, on one connection: the source's zone, the range's ends when open, and the
   * candles are read together (one connection per request, and one snapshot where the engine gives one).
   */
  public long aggregate(SourceName name, Symbol symbol, TimeRange range, Timeframe width, Consumer<Candle> sink) {
    return connections.streaming("history of " + symbol, c -> aggregate(c, name, symbol, range, width, sink));
  }

  private long aggregate(Connection c, SourceName name, Symbol symbol, TimeRange range, Timeframe width,
      Consumer<Candle> sink) throws SQLException {
    SourceRecord rec = registry.require(c, name);
    ZoneId zone = rec.zone();
    BarFilter f = new BarFilter(symbol, range);
    String t = name.tableName();
    TimeRange span = range;
    if (range.from() == null || range.to() == null) {
      SourceStats st = stats(c, name, f);
      if (st.rows() == 0) {
        return 0;
      }
      span = new TimeRange(range.from() != null ? range.from() : st.first(),
          range.to() != null ? range.to() : st.last().plusSeconds(1));
    }
    String offset = offsetExpr(zone, span);
    SqlDialect.WeightedVwap weighted = dialect.weightedVwap();
    // Buckets first (one pass over the range, using the primary key), then the open and close of
    // each bucket by primary-key lookups of its first and last timestamps; the lookups repeat the
    // range, so on a table partitioned by month they are planned against the range's partitions only
    // (not pruned again, among every month's, for each bucket)
    String within = " AND \"timestamp\" >= ? AND \"timestamp\" < ?";
    String sql = "SELECT g.b, "
        + "(SELECT COALESCE(o.open_price, o.price) FROM " + t + " o WHERE o.symbol = ? AND o.\"timestamp\" = g.f"
        + within.replace("\"timestamp\"", "o.\"timestamp\"") + "), g.h, g.l, (SELECT e.price FROM " + t
        + " e WHERE e.symbol = ? AND e.\"timestamp\" = g.z" + within.replace("\"timestamp\"", "e.\"timestamp\"")
        + "), g.v, "
        + "g.n, g.w1, g.vwv, g.tc" + weighted.outer() + " "
        + "FROM (SELECT " + dialect.bucketExpr(width, offset) + " AS b, MIN(\"timestamp\") AS f, "
        + "MAX(\"timestamp\") AS z, MAX(COALESCE(high_price, price)) AS h, MIN(COALESCE(low_price, price)) AS l, "
        + "SUM(volume) AS v, COUNT(*) AS n, MAX(vwap) AS w1, "
        + "SUM(CASE WHEN vwap IS NULL THEN 0 ELSE volume END) AS vwv, SUM(trade_count) AS tc" + weighted.inner() + " "
        + "FROM " + t + where(f) + " GROUP BY 1) g ORDER BY g.b";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(5000);
      for (int lookup = 0; lookup < 2; lookup++) {
        ps.setString(1 + 3 * lookup, symbol.value());
        dialect.bindInstant(ps, 2 + 3 * lookup, span.from());
        dialect.bindInstant(ps, 3 + 3 * lookup, span.to());
      }
      bindFilter(ps, 7, f);
      long n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // vwap of a bucket: the volume-weighted mean of its bars' vwaps, over bars that have one,
          // divided here in exact decimals (SQLite would divide integers); a single bar keeps its own
          BigDecimal vwap;
          if (rs.getLong(7) == 1) {
            vwap = dialect.readPrice(rs, 8);
          } else {
            BigDecimal sum = weighted.read(rs, 11);
            long weight = exactSum(rs, 9, name, symbol);
            vwap = sum == null || weight <= 0 ? null
                : sum.divide(BigDecimal.valueOf(weight), Prices.SCALE, RoundingMode.HALF_EVEN);
          }
          sink.accept(new Candle(dialect.readBucket(rs, 1, width, zone), dialect.readPrice(rs, 2), dialect.readPrice(rs, 3),
              dialect.readPrice(rs, 4), dialect.readPrice(rs, 5), exactSum(rs, 6, name, symbol), vwap, rs.getLong(10)));
          n++;
        }
      } catch (SQLException e) {
        if (dialect.overflowed(e)) {
          throw StoredDataException.volumeOverflow(name, symbol, e);
        }
        throw e;
      }
      return n;
    }
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
  String offsetExpr(ZoneId zone, TimeRange span) {
    java.time.zone.ZoneRules rules = zone.getRules();
    Instant lo = span.from().minus(java.time.Duration.ofDays(1));
    Instant hi = span.to().plus(java.time.Duration.ofDays(1));
    StringBuilder b = new StringBuilder();
    int offset = rules.getOffset(lo).getTotalSeconds();
    java.time.zone.ZoneOffsetTransition next = rules.nextTransition(lo);
    int branches = 0;
    while (next != null && next.getInstant().isBefore(hi)) {
      b.append(" WHEN \"timestamp\" < ").append(dialect.instantLiteral(next.getInstant())).append(" THEN ").append(offset);
      offset = next.getOffsetAfter().getTotalSeconds();
      next = rules.nextTransition(next.getInstant());
      branches++;
    }
    return branches == 0 ? "(" + offset + ")" : "(CASE" + b + " ELSE " + offset + " END)";
  }

  public void chunks(SourceName name, Consumer<Chunk> sink) {
    onSource("chunks of " + name, name, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT symbol, " + dialect.dayExpr()
          + " FROM " + name.tableName() + " ORDER BY 1, 2")) {
        while (rs.next()) {
          sink.accept(new Chunk(name, storedSymbol(rs.getString(1), name, null), dialect.readDay(rs, 2)));
        }
      }
      return null;
    });
  }

  public java.util.SortedMap<LocalDate, Long> rowsPerDay(SourceName name, Instant from) {
    return onSource("rows per day of " + name, name, c -> {
      java.util.SortedMap<LocalDate, Long> out = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + dialect.dayExpr() + ", COUNT(*) FROM " + name.tableName()
          + " WHERE \"timestamp\" >= ? GROUP BY 1")) {
        dialect.bindInstant(ps, 1, from);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(dialect.readDay(rs, 1), rs.getLong(2));
          }
        }
      }
      return out;
    });
  }
}
