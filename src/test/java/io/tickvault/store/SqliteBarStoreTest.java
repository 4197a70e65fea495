package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on SQLite, in a temporary file. */
class SqliteBarStoreTest extends BarStoreContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore newStore() {
    return SqliteBarStore.open(dir.resolve("store.db"), SqliteBarStore.Mode.PRODUCTION);
  }

  @Test
  void a_store_of_an_earlier_version_gets_generations_for_its_tracked_tables_when_opened() throws Exception {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.close();
    // as an earlier tickvault left it: the DELETE trigger without a generation, no schema version
    try (Connection c = plainSql(); Statement s = c.createStatement()) {
      s.execute("DROP TRIGGER tickvault_track_del_synthetic");
      s.execute("CREATE TRIGGER tickvault_track_del_synthetic AFTER DELETE ON price_ticks_synthetic BEGIN "
          + "INSERT INTO tickvault_changes (source, symbol, day, seq) VALUES ('synthetic', OLD.symbol, "
          + "OLD.\"timestamp\" / 86400000000, 0) ON CONFLICT (source, symbol, day) DO NOTHING; END");
      s.execute("DELETE FROM tickvault_meta WHERE key = 'schema_version'");
      s.execute(legacyTableDdl("price_ticks_by_hand"));
    }
    store = newStore();
    assertNotNull(store.generation(SYN));
    assertEquals(Set.of(SourceName.of("by_hand")), store.changesSince(-1).untracked(), "only the table made by hand");
  }

  @Override
  protected Connection plainSql() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
  }

  @Override
  protected String legacyTableDdl(String table) {
    return io.tickvault.testing.LegacyTables.sqliteDdl(table);
  }

  @Override
  protected String plainInsert(String table, String symbol, int minute) {
    return io.tickvault.testing.LegacyTables.sqliteInsert(table, symbol, minute);
  }

  @Test
  void a_store_file_deleted_under_an_open_store_is_an_error_never_a_new_empty_store() throws Exception {
    store.createSource(SYN, io.tickvault.domain.SourceKind.GENERATED, null);
    java.nio.file.Path f = dir.resolve("store.db");
    for (String suffix : java.util.List.of("", "-wal", "-shm")) {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(f + suffix));
    }
    StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.sources());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(f), "no empty store was created in its place");
  }
}
