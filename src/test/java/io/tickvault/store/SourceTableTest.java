package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.postgres.PostgresBarStore;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one definition of a source table's columns is what both engines really create: names in
 * order, types, NOT NULL and the CHECKs, read back from each engine's catalog.
 */
class SourceTableTest {
  private static final SourceName SRC = SourceName.of("layout");

  @TempDir
  Path dir;

  /** name type notnull, per column in table order, as the definition says for a dialect. */
  private static List<String> expected(SourceTable.Dialect d) {
    List<String> out = new ArrayList<>();
    for (SourceTable.Column c : SourceTable.COLUMNS) {
      out.add(c.name() + " " + d.type(c.type()).toLowerCase(java.util.Locale.ROOT) + " " + c.notNull());
    }
    return out;
  }

  @Test
  void sqlite_creates_the_defined_table() throws Exception {
    String file = dir.resolve("p.db").toString();
    try (BarStore s = Stores.open(file)) {
      s.createSource(SRC, SourceKind.GENERATED, "generated");
    }
    List<String> actual = new ArrayList<>();
    try (Connection c = Stores.connectRaw(file); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT name, type, \"notnull\" FROM pragma_table_info('price_ticks_layout') "
          + "ORDER BY cid")) {
        while (rs.next()) {
          actual.add(rs.getString(1) + " " + rs.getString(2).toLowerCase(java.util.Locale.ROOT) + " " + (rs.getInt(3) == 1));
        }
      }
      assertEquals(expected(SqliteBarStore.DIALECT), actual);
      try (ResultSet rs = s.executeQuery("SELECT group_concat(name, ', ') FROM (SELECT name FROM "
          + "pragma_index_info((SELECT name FROM pragma_index_list('price_ticks_layout') WHERE origin = 'pk')) "
          + "ORDER BY seqno)")) {
        rs.next();
        assertEquals("symbol, timestamp", rs.getString(1));
      }
      assertChecks(s, "INSERT INTO price_ticks_layout (symbol, price, \"timestamp\") VALUES ('AAPL', 1, 0)",
          "('aapl', 1, 1)", "('AAPL', 0, 2)", "('AAPL', 1, 3, -1)");
      try (ResultSet rs = s.executeQuery("SELECT origin, volume, trade_count FROM price_ticks_layout")) {
        rs.next();
        assertEquals("layout 0 0", rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3), "the defaults");
      }
    }
  }

  @Test
  void postgres_creates_the_defined_table() throws Exception {
    String url = TestPostgres.newDatabase();
    try (BarStore s = Stores.open(url)) {
      s.createSource(SRC, SourceKind.GENERATED, "generated");
    }
    List<String> actual = new ArrayList<>();
    try (Connection c = Stores.connectRaw(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
          + "FROM pg_attribute a WHERE a.attrelid = 'price_ticks_layout'::regclass AND a.attnum > 0 "
          + "AND NOT a.attisdropped ORDER BY a.attnum")) {
        while (rs.next()) {
          actual.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
        }
      }
      List<String> wanted = expected(PostgresBarStore.DIALECT).stream()
          .map(l -> l.replace("varchar(", "character varying(").replace("decimal(", "numeric(")
              .replace("timestamptz", "timestamp with time zone").replace("bigint", "bigint"))
          .toList();
      assertEquals(wanted, actual);
      assertChecks(s, "INSERT INTO price_ticks_layout (symbol, price, \"timestamp\") VALUES ('AAPL', 1, to_timestamp(0))",
          "('aapl', 1, to_timestamp(1))", "('AAPL', 0, to_timestamp(2))", "('AAPL', 1, to_timestamp(3), -1)");
    }
  }

  /** The first insert passes; each other row (lower-case symbol, zero price, negative volume) is refused. */
  private static void assertChecks(Statement s, String good, String... bad) throws SQLException {
    s.execute(good);
    String prefix = good.substring(0, good.indexOf(" VALUES"));
    for (String row : bad) {
      String sql = row.chars().filter(ch -> ch == ',').count() >= 3
          ? prefix.replace("\"timestamp\")", "\"timestamp\", volume)") + " VALUES " + row
          : prefix + " VALUES " + row;
      assertThrows(SQLException.class, () -> s.execute(sql), sql);
    }
  }

  @Test
  void the_definition_renders_each_part() {
    SourceTable.Dialect d = SqliteBarStore.DIALECT;
    String bare = SourceTable.create("t", d, null, EnumSet.noneOf(SourceTable.Part.class));
    assertEquals("CREATE TABLE t (\n  symbol TEXT NOT NULL,\n  price INTEGER NOT NULL,\n  \"timestamp\" INTEGER NOT NULL,\n"
        + "  open_price INTEGER,\n  high_price INTEGER,\n  low_price INTEGER,\n  close_price INTEGER,\n"
        + "  volume INTEGER NOT NULL,\n  trade_count INTEGER NOT NULL,\n  vwap INTEGER,\n  origin TEXT NOT NULL)", bare);
    String full = SourceTable.createIfMissing("t", d, "x", SourceTable.FULL);
    assertEquals(true, full.startsWith("CREATE TABLE IF NOT EXISTS t (\n  symbol TEXT NOT NULL CHECK (length(symbol)"), full);
    assertEquals(true, full.endsWith("  origin TEXT NOT NULL DEFAULT 'x',\n  PRIMARY KEY (symbol, \"timestamp\")) WITHOUT ROWID"),
        full);
    assertEquals("symbol, \"timestamp\", price, open_price, high_price, low_price, close_price, volume, trade_count, vwap, "
        + "origin", SourceTable.SELECT_LIST);
  }
}
