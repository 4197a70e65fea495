package io.tickvault.mirror;

import static io.tickvault.testing.Bars.bar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.DbFiles;
import io.tickvault.testing.Sqlite3Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code decoded_price_ticks_<source>} views of the mirror (and of the embedded store) are for
 * SQL tools: prices are numbers, so {@code max}, {@code min} and {@code >} compare values, not text
 * (with text prices {@code max(close_price)} of 99.99 and 179.26 was 99.99). Run with the real
 * sqlite3 shell, SQLite's JDBC driver on a read-only connection, and DuckDB on a CSV export.
 */
@Timeout(120)
class DecodedViewTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;
  private static final String VIEW = "decoded_price_ticks_synthetic";

  @TempDir
  Path dir;

  private Path productionFile;
  private Path mirrorFile;

  @BeforeEach
  void setUp() {
    productionFile = dir.resolve("tickvault.db");
    mirrorFile = dir.resolve("mirror.db");
    try (BarStore p = Stores.open(productionFile.toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
      // closes whose text order is not their numeric order
      List<Bar> bars = List.of(bar("AAPL", "2025-01-15T14:30:00Z", "99.99", SYN),
          bar("AAPL", "2025-01-15T14:31:00Z", "179.26", SYN), bar("AAPL", "2025-01-15T14:32:00Z", "10.0043", SYN),
          bar("AAPL", "2025-01-15T14:33:00Z", "2.1936", SYN), bar("AAPL", "2025-01-15T14:34:00Z", "100.5", SYN),
          bar("MSFT", "2025-01-16T20:59:00Z", "999999.9999", SYN), bar("MSFT", "2025-01-16T21:00:00Z", "0.0001", SYN));
      p.write(SYN, io.tickvault.domain.Timeframe.MIN_1, bars.iterator());
      new MirrorService(mirrorFile, Clock.systemUTC()).sync(p, SyncOptions.INCREMENTAL);
    }
  }

  @Test
  void the_sqlite3_shell_computes_on_numbers() throws Exception {
    String out = Sqlite3Shell.run(mirrorFile, "SELECT max(close_price), min(close_price), "
        + "sum(close_price > 100), typeof(close_price), typeof(unix_time) FROM " + VIEW + " WHERE symbol = 'AAPL';");
    assertEquals("179.26|2.1936|2|real|real\n", out);
    // exact to the 4th decimal, printed as the decimal it is
    assertEquals("999999.9999\n0.0001\n", Sqlite3Shell.run(mirrorFile, "SELECT close_price FROM " + VIEW
        + " WHERE symbol = 'MSFT' ORDER BY \"timestamp\";"));
    assertEquals("100.5000\n", Sqlite3Shell.run(mirrorFile, "SELECT printf('%.4f', close_price) FROM " + VIEW
        + " WHERE symbol = 'AAPL' AND close_price BETWEEN 100.1 AND 101;"));
    // time: ISO-8601 text that SQLite's date functions read, and unix seconds
    assertEquals("2025-01-15T14:33:00.000000Z|2025-01-15 14:33:00|2025-01-15 14:33:00|1736951580.0\n",
        Sqlite3Shell.run(mirrorFile, "SELECT \"timestamp\", datetime(\"timestamp\"), datetime(unix_time, "
            + "'unixepoch'), unix_time FROM " + VIEW + " WHERE close_price = 2.1936;"));
  }

  @Test
  void jdbc_reads_numbers_and_declared_types() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + mirrorFile + "?mode=ro");
         Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT max(close_price), min(close_price), count(*) FROM " + VIEW
          + " WHERE symbol = 'AAPL' AND close_price > 100")) {
        rs.next();
        assertEquals(179.26, rs.getDouble(1));
        assertEquals(100.5, rs.getDouble(2));
        assertEquals(2, rs.getLong(3));
      }
      Map<String, String> types = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + VIEW + ")")) {
        while (rs.next()) {
          types.put(rs.getString("name"), rs.getString("type"));
        }
      }
      // tools that take column types from the schema (DuckDB's SQLite reader) see numbers and text
      assertEquals("{symbol=TEXT, timestamp=TEXT, unix_time=REAL, price=REAL, open_price=REAL, high_price=REAL, "
          + "low_price=REAL, close_price=REAL, volume=INTEGER, trade_count=INTEGER, vwap=REAL, origin=TEXT}",
          types.toString());
    }
  }

  @Test
  void duckdb_computes_the_right_maximum_from_a_csv_export() throws Exception {
    Path csv = dir.resolve("aapl.csv");
    Files.writeString(csv, Sqlite3Shell.run(mirrorFile, "SELECT * FROM " + VIEW + " WHERE symbol = 'AAPL';", "-csv",
        "-header"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT max(close_price), min(close_price), count(*) FILTER (close_price > 100), "
             + "max(\"timestamp\"::TIMESTAMPTZ) = to_timestamp(max(unix_time)) FROM read_csv('" + csv + "')")) {
      rs.next();
      assertEquals(179.26, rs.getDouble(1));
      assertEquals(2.1936, rs.getDouble(2));
      assertEquals(2, rs.getLong(3));
      assertTrue(rs.getBoolean(4), "the ISO text and the unix seconds are the same instant");
    }
  }

  @Test
  void a_text_view_of_an_earlier_tickvault_is_replaced_by_the_next_sync_and_on_opening_the_store() throws Exception {
    String old = "DROP VIEW " + VIEW + "; CREATE VIEW " + VIEW + " AS SELECT symbol, printf('%d.%04d', close_price "
        + "/ 10000, close_price % 10000) AS close_price FROM price_ticks_synthetic;";
    Sqlite3Shell.run(mirrorFile, old);
    Sqlite3Shell.run(productionFile, old);
    assertEquals("99.9900\n", Sqlite3Shell.run(mirrorFile, "SELECT max(close_price) FROM " + VIEW
        + " WHERE symbol = 'AAPL';"),
        "the old view compares text");
    try (BarStore p = Stores.open(productionFile.toString())) {
      assertEquals("179.26\n", Sqlite3Shell.run(productionFile, "SELECT max(close_price) FROM " + VIEW
          + " WHERE symbol = 'AAPL';"));
      new MirrorService(mirrorFile, Clock.systemUTC()).sync(p, SyncOptions.INCREMENTAL);
    }
    assertEquals("179.26\n", Sqlite3Shell.run(mirrorFile, "SELECT max(close_price) FROM " + VIEW
        + " WHERE symbol = 'AAPL';"));
    // a current view is left alone: opening the store again writes nothing
    var before = DbFiles.snapshot(productionFile);
    try (BarStore p = Stores.open(productionFile.toString())) {
      assertFalse(p.sources().isEmpty());
    }
    DbFiles.assertUnchanged(before, "opening a store whose views are current");
  }
}
