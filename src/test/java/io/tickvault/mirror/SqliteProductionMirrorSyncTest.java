package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.Sqlite3Shell;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sync contract with the embedded production store (a SQLite file). */
class SqliteProductionMirrorSyncTest extends MirrorSyncContract {
  @Override
  protected BarStore newProduction() {
    return Stores.open(dir.resolve("production-" + UUID.randomUUID() + ".db").toString());
  }

  @Override
  protected void plainSql(String... statements) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + production.info().database());
         java.sql.Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  @Override
  protected String legacyTableDdl(String table) {
    return io.tickvault.testing.LegacyTables.sqliteDdl(table);
  }

  @Override
  protected String plainInsert(String table, String symbol, int minute) {
    return io.tickvault.testing.LegacyTables.sqliteInsert(table, symbol, minute);
  }

  @Override
  protected String[] untrackedVolumeChange(String table, String symbol, long micros, long volume) {
    // REPLACE deletes the old row without firing DELETE triggers, and there is no INSERT trigger
    return new String[] {"INSERT OR REPLACE INTO " + table + " SELECT symbol, price, \"timestamp\", open_price, "
        + "high_price, low_price, close_price, " + volume + ", trade_count, vwap, origin FROM " + table
        + " WHERE symbol = '" + symbol + "' AND \"timestamp\" = " + micros};
  }

  /** The production file (and its write-ahead log, if one is left) copied aside, as a backup script would. */
  @Override
  protected void backUpProduction() throws Exception {
    java.nio.file.Path db = java.nio.file.Path.of(production.info().database());
    for (String suffix : new String[] {"", "-wal"}) {
      java.nio.file.Path f = java.nio.file.Path.of(db + suffix);
      java.nio.file.Path b = dir.resolve("backup.db" + suffix);
      java.nio.file.Files.deleteIfExists(b);
      if (java.nio.file.Files.exists(f)) {
        java.nio.file.Files.copy(f, b);
      }
    }
  }

  /** The backup copied back over the production file; a stale -wal or -shm of the newer file is removed. */
  @Override
  protected void restoreProduction() throws Exception {
    production.close();
    java.nio.file.Path db = java.nio.file.Path.of(production.info().database());
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      java.nio.file.Path f = java.nio.file.Path.of(db + suffix);
      java.nio.file.Path b = dir.resolve("backup.db" + suffix);
      java.nio.file.Files.deleteIfExists(f);
      if (java.nio.file.Files.exists(b)) {
        java.nio.file.Files.copy(b, f);
      }
    }
    production = Stores.open(db.toString());
  }

  @Test
  void updates_and_deletes_made_with_plain_sql_on_the_embedded_store_are_tracked() throws Exception {
    seed();
    sync();
    Sqlite3Shell.run(java.nio.file.Path.of(production.info().database()),
        "UPDATE price_ticks_synthetic SET volume = volume + 5 WHERE symbol = 'AAPL' AND \"timestamp\" < 1736985600000000;"
            + "DELETE FROM price_ticks_alpaca WHERE \"timestamp\" >= 1736952600000000 + 600000000;");
    SyncReport r = sync();
    assertEquals(120, r.record().rowsChanged());
    assertEquals(30, r.record().rowsDeleted()); // 15:00..15:29
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void the_production_file_itself_is_never_used_as_a_mirror() {
    seed();
    MirrorService wrong = new MirrorService(java.nio.file.Path.of(production.info().database()),
        java.time.Clock.systemUTC());
    MirrorException e = assertThrows(MirrorException.class, () -> wrong.sync(production, SyncOptions.INCREMENTAL));
    assertTrue(e.getMessage().contains("production store"), e.getMessage());
    // nor a production store that is not the configured one
    BarStore other = newProduction();
    try {
      other.createSource(SYN, io.tickvault.domain.SourceKind.GENERATED, "x");
      other.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, SYN).iterator());
      MirrorService intoOther = new MirrorService(java.nio.file.Path.of(other.info().database()),
          java.time.Clock.systemUTC());
      MirrorException e2 = assertThrows(MirrorException.class,
          () -> intoOther.sync(production, SyncOptions.INCREMENTAL));
      assertTrue(e2.getMessage().contains("not a tickvault mirror"), e2.getMessage());
      assertEquals(3, readAll(other, SYN).size());
    } finally {
      other.close();
    }
  }
}
