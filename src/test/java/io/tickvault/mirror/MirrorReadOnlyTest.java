package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.StoreException;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.testing.DbFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every write path is refused on the mirror with one typed exception that points at
 * {@code tickvault sync}, and nothing reaches the disk: the mirror file's SHA-256 stays the same and
 * its write-ahead log gets no frame.
 */
class MirrorReadOnlyTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

  @TempDir
  Path dir;

  private Path file;
  private DbFiles.State synced;

  @BeforeEach
  void syncedMirror() throws Exception {
    file = dir.resolve("mirror.db");
    try (BarStore production = Stores.open(dir.resolve("production.db").toString())) {
      production.createSource(SYN, SourceKind.GENERATED, "generated");
      production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 30, SYN).iterator());
      new MirrorService(file, Clock.systemUTC()).sync(production, SyncOptions.INCREMENTAL);
    }
    synced = DbFiles.snapshot(file);
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private void assertRefused(String what, Executable write) throws Exception {
    MirrorReadOnlyException e = assertThrows(MirrorReadOnlyException.class, write, what);
    assertTrue(e.getMessage().contains("the mirror is read-only"), e.getMessage());
    assertTrue(e.getMessage().contains("tickvault sync"), e.getMessage());
    DbFiles.assertUnchanged(synced, what);
  }

  @Test
  void every_write_path_of_the_store_is_refused_and_the_file_is_unchanged() throws Exception {
    try (io.tickvault.store.sqlite.SqliteMirrorStore m = io.tickvault.store.sqlite.SqliteMirrorStore.open(file,
        SqliteBarStore.Mode.READ_ONLY)) {
      assertTrue(m.readOnly());
      assertRefused("write", () -> m.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-16T14:30:00Z", 3, SYN).iterator()));
      assertRefused("clean", () -> m.delete(SYN, BarFilter.ALL));
      assertRefused("clean before a date", () -> m.delete(SYN, new BarFilter(null,
          new TimeRange(null, java.time.Instant.parse("2025-01-16T00:00:00Z")))));
      assertRefused("create", () -> m.createSource(SourceName.of("scratch"), SourceKind.GENERATED, "x"));
      assertRefused("drop", () -> m.dropSource(SYN));
      assertRefused("ingest start", () -> m.startIngest(SYN, "synthetic", "x", "AAPL", TimeRange.ALL));
      assertRefused("ingest finish", () -> m.finishIngest(1, 0, io.tickvault.store.IngestStatus.OK, null));
      assertRefused("sync transaction on a read-only handle", () -> m.inSyncTransaction(tx -> null));
      assertEquals(30, m.stats(SYN, BarFilter.ALL).rows(), "reads still work");
    }
  }

  @Test
  void the_connection_itself_is_opened_with_the_read_only_flag() throws Exception {
    try (SqliteBarStore m = SqliteBarStore.open(file, SqliteBarStore.Mode.READ_ONLY)) {
      StoreException e = assertThrows(StoreException.class, () -> m.withReadConnection(c -> {
        try (Statement s = c.createStatement()) {
          return s.executeUpdate("DELETE FROM price_ticks_synthetic");
        }
      }));
      assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("readonly"), e.getMessage());
    }
    DbFiles.assertUnchanged(synced, "a write on a read-only connection");
  }

  @Test
  void opening_the_mirror_file_as_a_production_store_is_refused_before_anything_is_written() throws Exception {
    assertRefused("open as production", () -> SqliteBarStore.open(file, SqliteBarStore.Mode.PRODUCTION));
    assertRefused("Stores.open", () -> Stores.open(file.toString()));
    // another spelling of the same file
    assertRefused("Stores.open, another path", () -> Stores.open(dir.resolve("sub/../mirror.db").toString()));
    Settings s = Settings.load(Map.of(Settings.DATABASE_URL, file.toString(), Settings.MIRROR, file.toString()), dir);
    try (Workspace w = new Workspace(s)) {
      assertRefused("the workspace's production store", w::production);
    }
    try (SqliteBarStore m = SqliteBarStore.open(file, SqliteBarStore.Mode.READ_ONLY)) {
      int changeLogs = m.withReadConnection(c -> {
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'tickvault_changes'")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertEquals(0, changeLogs, "no change log was created in the mirror");
    }
    try (BarStore production = Stores.open(dir.resolve("production.db").toString())) {
      production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-16T14:30:00Z", 3, SYN).iterator());
      SyncReport r = new MirrorService(file, Clock.systemUTC()).sync(production, SyncOptions.INCREMENTAL);
      assertEquals(3, r.record().rowsAdded(), "the mirror still syncs");
    }
  }

  @Test
  void data_mode_mirror_gives_every_command_the_read_only_mirror() throws Exception {
    Settings s = Settings.load(Map.of(Settings.DATA_MODE, "mirror", Settings.MIRROR, file.toString(),
        Settings.DATABASE_URL, dir.resolve("production.db").toString()), dir);
    try (Workspace w = new Workspace(s)) {
      BarStore store = w.store();
      assertTrue(store.readOnly());
      assertEquals("sqlite:" + file.toAbsolutePath().normalize(), store.info().location());
      assertRefused("ingest in mirror mode", () -> store.write(SYN, Timeframe.MIN_1,
          minutes("MSFT", "2025-01-15T14:30:00Z", 3, SYN).iterator()));
      assertRefused("migrate in mirror mode", () -> store.createSource(SourceName.TEST, SourceKind.GENERATED, "x"));
    }
    DbFiles.assertUnchanged(synced, "mirror mode");
  }

  @Test
  void data_mode_test_uses_a_separate_store_that_is_neither_production_nor_the_mirror() throws Exception {
    Path prod = dir.resolve("production.db");
    Settings s = Settings.load(Map.of(Settings.DATA_MODE, "test", Settings.MIRROR, file.toString(),
        Settings.DATABASE_URL, prod.toString(), Settings.TEST_DATABASE_URL, dir.resolve("test.db").toString()), dir);
    String prodSha = sha256(prod);
    try (Workspace w = new Workspace(s)) {
      BarStore store = w.store();
      store.createSource(SourceName.TEST, SourceKind.GENERATED, "scratch");
      store.write(SourceName.TEST, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, SourceName.TEST).iterator());
      assertEquals(List.of(), store.sources().stream().filter(r -> r.name().equals(SYN)).toList());
    }
    DbFiles.assertUnchanged(synced, "test mode");
    assertEquals(prodSha, sha256(prod));
  }
}
