package io.tickvault.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.cli.ExitCodes;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault import parquet}: an export restored is identical to what was exported, origin
 * included, on SQLite and on PostgreSQL; bad files are refused naming the problem and change nothing.
 */
class ImportParquetTest {
  static final SourceName VEND = ExportCommandTest.VEND;

  @TempDir
  Path dir;

  CliHarness cli;
  String db;

  @BeforeEach
  void setUp() {
    db = dir.resolve("data/tickvault.db").toString();
    cli = new CliHarness(dir);
  }

  static List<Bar> all(BarStore s, SourceName n) {
    List<Bar> out = new ArrayList<>();
    s.read(n, BarFilter.ALL, out::add);
    return out;
  }

  /** Writes the crafted bars into source vend of the embedded store; returns them as stored. */
  List<Bar> seed() {
    try (BarStore s = Stores.open(db)) {
      s.createSource(VEND, SourceKind.VENDOR, "crafted", Timeframe.MIN_1, ZoneId.of("UTC"));
      s.write(VEND, Timeframe.MIN_1, ExportCommandTest.crafted().iterator());
      return all(s, VEND);
    }
  }

  @Test
  void sqlite_export_clean_restore_gives_identical_rows_with_their_origins() {
    List<Bar> before = seed();
    assertEquals(0, cli.run("export", "--source", "vend", "--output", "vend.parquet").code());
    assertEquals(0, cli.run("clean", "--source", "vend", "--confirm").code());
    Run r = cli.run("import", "parquet", "vend.parquet", "--source", "vend");
    assertEquals(0, r.code(), r.toString());
    assertEquals("restored 53 rows into vend from vend.parquet (origins: alpaca 26, vend 27): 53 added, 0 replaced "
        + "with different values, 0 unchanged\n", r.out());
    try (BarStore s = Stores.open(db)) {
      assertEquals(before, all(s, VEND));
    }
    Run again = cli.run("import", "parquet", "vend.parquet", "--source", "vend", "--format", "json");
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("\"added\" : 0,") && again.out().contains("\"unchanged\" : 53,"), again.out());
    // into a new source: created with the file's width and zone, kind from the origins
    Run created = cli.run("import", "parquet", "vend.parquet", "--source", "vend_copy", "--create");
    assertEquals(0, created.code(), created.toString());
    try (BarStore s = Stores.open(db)) {
      assertEquals(before, all(s, SourceName.of("vend_copy")));
      var rec = s.requireSource(SourceName.of("vend_copy"));
      assertEquals(SourceKind.VENDOR, rec.kind());
      assertEquals(Timeframe.MIN_1, rec.width());
      assertEquals(ZoneId.of("UTC"), rec.zone());
    }
  }

  @Test
  void postgres_restore_is_identical_to_the_sqlite_export() {
    List<Bar> before = seed();
    assertEquals(0, cli.run("export", "--source", "vend", "--output", "vend.parquet").code());
    String pg = TestPostgres.newDatabase();
    Run r = cli.run("import", "parquet", "vend.parquet", "--source", "vend", "--create", "--db", pg);
    assertEquals(0, r.code(), r.toString());
    try (BarStore s = Stores.open(pg)) {
      assertEquals(before, all(s, VEND));
    }
    // and back out of PostgreSQL: the same bytes of CSV as from SQLite
    Run fromPg = cli.run("export", "--source", "vend", "--db", pg);
    Run fromSqlite = cli.run("export", "--source", "vend");
    assertEquals(fromSqlite.out(), fromPg.out());
  }

  @Test
  void bad_files_are_refused_naming_the_problem_and_nothing_changes() throws Exception {
    List<Bar> before = seed();
    Files.writeString(dir.resolve("notes.parquet"), "symbol,timestamp\n");
    Run r = cli.run("import", "parquet", "notes.parquet", "--source", "vend");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().startsWith("tickvault: notes.parquet is not a readable Parquet file"), r.err());

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      // a Parquet file without the origin column, and one whose second row has a negative price
      st.execute("COPY (SELECT 'AAPL' AS symbol, TIMESTAMPTZ '2024-03-01 15:00:00+00' AS \"timestamp\", "
          + "1.0::DECIMAL(10,4) AS price, 1.0::DECIMAL(10,4) AS open_price, 1.0::DECIMAL(10,4) AS high_price, "
          + "1.0::DECIMAL(10,4) AS low_price, 1.0::DECIMAL(10,4) AS close_price, 5::BIGINT AS volume, 1 AS trade_count,"
          + " NULL::DECIMAL(10,4) AS vwap) TO '" + dir.resolve("no-origin.parquet") + "' (FORMAT parquet)");
      st.execute("COPY (SELECT * FROM (VALUES ('AAPL', TIMESTAMPTZ '2024-03-01 15:00:00+00', 1.0::DECIMAL(10,4)), "
          + "('AAPL', TIMESTAMPTZ '2024-03-01 15:01:00+00', -2.0::DECIMAL(10,4))) v(symbol, \"timestamp\", price), "
          + "LATERAL (SELECT price AS open_price, price AS high_price, price AS low_price, price AS close_price, "
          + "5::BIGINT AS volume, 1 AS trade_count, NULL::DECIMAL(10,4) AS vwap, 'vend' AS origin)) TO '"
          + dir.resolve("bad-row.parquet") + "' (FORMAT parquet)");
      st.execute("COPY (SELECT 'aapl' AS symbol, TIMESTAMPTZ '2024-03-01 15:00:00+00' AS \"timestamp\", "
          + "1.0::DECIMAL(10,4) AS price, 1.0::DECIMAL(10,4) AS open_price, 1.0::DECIMAL(10,4) AS high_price, "
          + "1.0::DECIMAL(10,4) AS low_price, 1.0::DECIMAL(10,4) AS close_price, 5::BIGINT AS volume, 1 AS trade_count,"
          + " 1.5::DOUBLE AS vwap, 'vend' AS origin) TO '" + dir.resolve("double-vwap.parquet") + "' (FORMAT parquet)");
      st.execute("COPY (SELECT 'AAPL' AS symbol, TIMESTAMPTZ '2024-03-01 15:00:00+00' AS \"timestamp\", "
          + "1.0::DECIMAL(10,4) AS price, 1.0::DECIMAL(10,4) AS open_price, 1.0::DECIMAL(10,4) AS high_price, "
          + "1.0::DECIMAL(10,4) AS low_price, 1.0::DECIMAL(10,4) AS close_price, 5::BIGINT AS volume, 1 AS trade_count,"
          + " NULL::DECIMAL(10,4) AS vwap, 'synthetic' AS origin) TO '" + dir.resolve("synthetic.parquet")
          + "' (FORMAT parquet)");
    }
    r = cli.run("import", "parquet", "no-origin.parquet", "--source", "vend");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("no-origin.parquet is not a tickvault bars file: column origin is missing"), r.err());
    r = cli.run("import", "parquet", "double-vwap.parquet", "--source", "vend");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("column vwap is DOUBLE, expected DECIMAL(10,4)"), r.err());
    r = cli.run("import", "parquet", "bad-row.parquet", "--source", "vend", "--timeframe", "1Min");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("row 2") && r.err().contains("-2"), r.err());
    r = cli.run("import", "parquet", "synthetic.parquet", "--source", "vend", "--timeframe", "1Min");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("import refused: 'vend' is a vendor source (real data) and the rows of "
        + "synthetic.parquet is generated"), r.err());
    r = cli.run("import", "parquet", "bad-row.parquet", "--source", "fresh", "--create", "--timeframe", "1Min");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    r = cli.run("import", "parquet", "synthetic.parquet", "--source", "nosuch");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("no source 'nosuch'") && r.err().contains("--create"), r.err());
    try (BarStore s = Stores.open(db)) {
      assertEquals(before, all(s, VEND), "no refused file changed the source");
      assertFalse(s.source(SourceName.of("fresh")).filter(x -> x.tableExists()).isPresent(),
          "a source created for a file whose rows were refused is dropped again");
    }
  }
}
