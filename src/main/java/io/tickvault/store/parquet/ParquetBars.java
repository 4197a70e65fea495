package io.tickvault.store.parquet;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.store.SourceTable;
import io.tickvault.store.StoreException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes and reads bars as Parquet files through an in-memory DuckDB (no Hadoop). Stateless and
 * thread-safe: every call opens and closes its own DuckDB instance.
 *
 * <p>The file layout (one row group per 122,880 rows, zstd): {@link #COLUMNS}, with {@code
 * timestamp} a {@code TIMESTAMP(isAdjustedToUTC=true, MICROS)}, the prices {@code DECIMAL(10,4)},
 * {@code volume} INT64, {@code trade_count} INT32 and the key-value metadata {@code
 * tickvault.format}, {@code tickvault.source}, {@code tickvault.timeframe} and {@code
 * tickvault.timezone} (see {@link #META_KEYS}). pandas, polars, pyarrow and DuckDB read it as is.
 *
 * <p>A write goes to a hidden temporary file in the target's folder, which is flushed to disk and
 * then renamed over the target: a failed or interrupted write never leaves a partial file under the
 * target's name.
 */
public final class ParquetBars {
  /** The columns, in file order; the same names as the store's columns. */
  public static final List<String> COLUMNS = SourceTable.SELECT_ORDER;
  /** The key-value metadata keys tickvault writes. */
  public static final List<String> META_KEYS = List.of("tickvault.format", "tickvault.source", "tickvault.timeframe",
      "tickvault.timezone");
  /** The value of {@code tickvault.format}. */
  public static final String FORMAT = "tickvault-bars-1";

  /** DuckDB's types for the columns (exact decimals, UTC instants). */
  private static final SourceTable.Dialect DUCKDB = new SourceTable.Dialect() {
    @Override
    public String type(SourceTable.Type type) {
      return switch (type) {
        case SYMBOL, ORIGIN -> "VARCHAR";
        case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
        case PRICE -> "DECIMAL(10,4)";
        case VOLUME -> "BIGINT";
        case COUNT -> "INTEGER";
      };
    }

    @Override
    public String symbolCheck() {
      return null;
    }
  };

  private static final List<String> TYPES = SourceTable.inSelectOrder().stream().map(c -> DUCKDB.type(c.type())).toList();

  private ParquetBars() {}

  /**
   * Writes the bars (in the order given) to {@code file}, replacing it; {@code meta} values (keys
   * of {@link #META_KEYS} without the {@code tickvault.} prefix, e.g. {@code source}) must be plain
   * names: letters, digits, {@code _ / - .}. {@code progress} is told the rows written so far.
   * Returns the number of rows.
   */
  public static long write(Path file, Iterator<Bar> bars, Map<String, String> meta, LongConsumer progress) {
    Path target = file.toAbsolutePath().normalize();
    Path tmp = null;
    try {
      tmp = partialName(target);
      long rows;
      try (Connection c = open()) {
        try (Statement s = c.createStatement()) {
          StringBuilder ddl = new StringBuilder("CREATE TABLE bars (");
          for (int i = 0; i < COLUMNS.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append('"').append(COLUMNS.get(i)).append("\" ").append(TYPES.get(i));
          }
          s.execute(ddl.append(')').toString());
        }
        rows = 0;
        try (DuckDBAppender a = ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "bars")) {
          while (bars.hasNext()) {
            Bar b = bars.next();
            a.beginRow();
            a.append(b.symbol().value());
            a.appendEpochMicros(micros(b.timestamp()));
            decimal(a, b.price());
            decimal(a, b.open());
            decimal(a, b.high());
            decimal(a, b.low());
            decimal(a, b.close());
            a.append(b.volume());
            a.append(b.tradeCount());
            decimal(a, b.vwap());
            a.append(b.origin().value());
            a.endRow();
            rows++;
            if ((rows & 0xFFFF) == 0) {
              progress.accept(rows);
            }
          }
        }
        try (Statement s = c.createStatement()) {
          s.execute("COPY bars TO " + literal(tmp.toString()) + " (FORMAT parquet, COMPRESSION zstd"
              + kvMetadata(meta) + ")");
        }
      }
      progress.accept(rows);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      return rows;
    } catch (SQLException e) {
      throw new StoreException("writing Parquet file " + target + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StoreException("writing Parquet file " + target + " failed: " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a hidden .partial file may remain
        }
      }
    }
  }

  /** What a Parquet file of bars holds, read from its metadata without reading the rows. */
  public record Description(long rows, Map<String, String> meta) {
    /** A tickvault metadata value ({@code source}, {@code timeframe}, {@code timezone}), or null. */
    public String meta(String key) {
      return meta.get("tickvault." + key);
    }
  }

  /**
   * Checks that {@code file} is a Parquet file with tickvault's columns (names and types), and
   * returns its row count and metadata. Throws {@link InvalidInputException} naming the problem
   * (not Parquet, a missing column, a column of another type).
   */
  public static Description describe(Path file) {
    try (Connection c = open()) {
      checkSchema(c, file);
      return new Description(rowCount(c, file), kv(c, file));
    } catch (SQLException e) {
      throw new StoreException("reading Parquet file " + file + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Reads every row of {@code file} (checked as in {@link #describe}) in file order and hands it to
   * {@code sink}, so a row's position is the same for this reader, the write gate and other tools. A row that cannot be a bar (a bad symbol or origin, a
   * missing price) is an {@link InvalidInputException} naming the row (1-based, in file order) and
   * the column. Returns the number of rows.
   */
  public static long read(Path file, Consumer<Bar> sink) {
    try (Connection c = open()) {
      checkSchema(c, file);
      StringBuilder cols = new StringBuilder();
      for (String col : COLUMNS) {
        cols.append('"').append(col).append("\", ");
      }
      // epoch_us keeps the exact microseconds; file_row_number names the row in error messages
      String sql = "SELECT " + cols + "epoch_us(\"timestamp\") AS us, file_row_number FROM read_parquet(?, "
          + "file_row_number = true) ORDER BY file_row_number";
      long n = 0;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, file.toString());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long row = rs.getLong("file_row_number") + 1;
            sink.accept(bar(rs, row));
            n++;
          }
        }
      }
      return n;
    } catch (SQLException e) {
      throw new StoreException("reading Parquet file " + file + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The origins of the file's rows with their counts, by name (checked as in {@link #describe}). An
   * origin that is not a valid source name is an {@link InvalidInputException} naming its first row.
   */
  public static List<io.tickvault.store.OriginCount> origins(Path file) {
    try (Connection c = open()) {
      checkSchema(c, file);
      List<io.tickvault.store.OriginCount> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT \"origin\", count(*), min(file_row_number) FROM "
          + "read_parquet(?, file_row_number = true) GROUP BY \"origin\" ORDER BY \"origin\"")) {
        ps.setString(1, file.toString());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long row = rs.getLong(3) + 1;
            try {
              out.add(new io.tickvault.store.OriginCount(SourceName.of(required(rs.getString(1), "origin", row)),
                  rs.getLong(2)));
            } catch (InvalidInputException e) {
              throw new InvalidInputException("row " + row + ", column origin: " + e.getMessage());
            }
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading Parquet file " + file + " failed: " + e.getMessage(), e);
    }
  }

  private static Bar bar(ResultSet rs, long row) throws SQLException {
    Symbol symbol;
    SourceName origin;
    String rawSymbol = rs.getString("symbol");
    String rawOrigin = rs.getString("origin");
    try {
      symbol = Symbol.of(required(rawSymbol, "symbol", row));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("row " + row + ", column symbol: " + e.getMessage());
    }
    try {
      origin = SourceName.of(required(rawOrigin, "origin", row));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("row " + row + ", column origin: " + e.getMessage());
    }
    long us = rs.getLong("us");
    if (rs.wasNull()) {
      throw new InvalidInputException("row " + row + ", column timestamp: missing");
    }
    BigDecimal price = rs.getBigDecimal("price");
    if (price == null) {
      throw new InvalidInputException("row " + row + ", column price: missing");
    }
    long volume = rs.getLong("volume");
    if (rs.wasNull()) {
      throw new InvalidInputException("row " + row + ", column volume: missing");
    }
    int trades = rs.getInt("trade_count");
    if (rs.wasNull()) {
      throw new InvalidInputException("row " + row + ", column trade_count: missing");
    }
    Instant t = Instant.EPOCH.plus(us, ChronoUnit.MICROS);
    return new Bar(symbol, t, price, rs.getBigDecimal("open_price"), rs.getBigDecimal("high_price"),
        rs.getBigDecimal("low_price"), rs.getBigDecimal("close_price"), volume, trades,
        rs.getBigDecimal("vwap"), origin);
  }

  private static String required(String v, String column, long row) {
    if (v == null) {
      throw new InvalidInputException("row " + row + ", column " + column + ": missing");
    }
    return v;
  }

  private static void checkSchema(Connection c, Path file) throws SQLException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("no such file: " + file);
    }
    Map<String, String> found = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?)")) {
      ps.setString(1, file.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new InvalidInputException(file.getFileName() + " is not a readable Parquet file: " + firstLine(e), e);
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < COLUMNS.size(); i++) {
      String col = COLUMNS.get(i);
      String type = found.get(col);
      if (type == null) {
        problems.add("column " + col + " is missing");
      } else if (!compatible(TYPES.get(i), type)) {
        problems.add("column " + col + " is " + type + ", expected " + TYPES.get(i));
      }
    }
    for (String col : found.keySet()) {
      if (!COLUMNS.contains(col)) {
        problems.add("column " + Text.quote(col) + " is not a tickvault column");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(file.getFileName() + " is not a tickvault bars file: " + String.join("; ",
          problems) + " (expected the columns " + String.join(", ", COLUMNS) + ", as tickvault export writes them)");
    }
  }

  private static boolean compatible(String expected, String actual) {
    String a = actual.toUpperCase(Locale.ROOT);
    if (expected.equals("VARCHAR")) {
      return a.equals("VARCHAR");
    }
    if (expected.startsWith("TIMESTAMP")) {
      return a.equals("TIMESTAMP WITH TIME ZONE");
    }
    if (expected.startsWith("DECIMAL")) {
      return a.equals("DECIMAL(10,4)");
    }
    if (expected.equals("BIGINT")) {
      return a.equals("BIGINT");
    }
    return a.equals("INTEGER");
  }

  private static long rowCount(Connection c, Path file) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(?)")) {
      ps.setString(1, file.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Map<String, String> kv(Connection c, Path file) throws SQLException {
    Map<String, String> m = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)")) {
      ps.setString(1, file.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return m;
  }

  private static Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    p.setProperty("threads", "2");
    // where DuckDB spills a table larger than its memory limit: the system's temp folder, not ./.tmp
    p.setProperty("temp_directory", Path.of(System.getProperty("java.io.tmpdir"), "tickvault-duckdb").toString());
    try {
      return new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", p);
    } catch (SQLException e) {
      throw new StoreException("cannot start DuckDB (used for Parquet files): " + e.getMessage(), e);
    }
  }

  private static void decimal(DuckDBAppender a, BigDecimal v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.appendDecimal(Prices.toScaled(v));
    }
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /**
   * A hidden name beside {@code target} for writing it ({@code .NAME.<random>.partial}), not created
   * yet: the file is made by its writer with the usual permissions (umask), not a temp file's 0600.
   */
  public static Path partialName(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    String random = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    return abs.resolveSibling("." + abs.getFileName() + "." + random + ".partial");
  }

  /** A string literal: single quotes doubled; control characters refused. */
  private static String literal(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new InvalidInputException("cannot write to a path with a control character: " + Text.quote(s));
      }
    }
    return "'" + s.replace("'", "''") + "'";
  }

  private static String kvMetadata(Map<String, String> meta) {
    if (meta == null || meta.isEmpty()) {
      return ", KV_METADATA {'tickvault.format': '" + FORMAT + "'}";
    }
    StringBuilder b = new StringBuilder(", KV_METADATA {'tickvault.format': '" + FORMAT + "'");
    for (Map.Entry<String, String> e : meta.entrySet()) {
      if (!META_KEYS.contains("tickvault." + e.getKey())) {
        throw new IllegalArgumentException("unknown Parquet metadata key " + e.getKey());
      }
      if (e.getValue() == null) {
        continue;
      }
      if (!e.getValue().matches("[A-Za-z0-9_/+.-]{1,64}")) {
        throw new IllegalArgumentException("Parquet metadata value of " + e.getKey() + " is not a plain name");
      }
      b.append(", 'tickvault.").append(e.getKey()).append("': '").append(e.getValue()).append('\'');
    }
    return b.append('}').toString();
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
