package io.tickvault.mirror;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.StoreException;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit rot in a real mirror file: a data page's header flipped on disk. Sync and verify say the file
 * is damaged and what to do (instead of "0 rows added" and a bare exit 4), and
 * {@link MirrorService#rebuild} builds a new file from production and swaps it in.
 */
class MirrorDamageTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

  @TempDir
  Path dir;

  private BarStore production;
  private MirrorService mirror;

  @BeforeEach
  void setUp() {
    production = Stores.open(dir.resolve("production.db").toString());
    production.createSource(SYN, SourceKind.GENERATED, "generated");
    List<Bar> bars = new ArrayList<>();
    for (int d = 13; d <= 17; d++) {
      bars.addAll(minutes("AAPL", "2025-01-" + d + "T14:30:00Z", 390, SYN));
      bars.addAll(minutes("MSFT", "2025-01-" + d + "T14:30:00Z", 390, SYN));
    }
    production.write(SYN, Timeframe.MIN_1, bars.iterator());
    mirror = new MirrorService(dir.resolve("mirror.db"), Clock.systemUTC());
    mirror.sync(production, SyncOptions.INCREMENTAL);
  }

  @AfterEach
  void tearDown() {
    production.close();
  }

  /** Flips the first 8 bytes (the b-tree page header) of the root page of the source's table. */
  private void rot() throws Exception {
    long root;
    long pageSize;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + mirror.file() + "?mode=ro");
         Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 'price_ticks_synthetic'")) {
        rs.next();
        root = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getLong(1);
      }
    }
    assertTrue(root > 1, "a table's root is never the first page");
    try (RandomAccessFile f = new RandomAccessFile(mirror.file().toFile(), "rw")) {
      byte[] header = new byte[8];
      f.seek((root - 1) * pageSize);
      f.readFully(header);
      for (int i = 0; i < header.length; i++) {
        header[i] ^= (byte) 0xA5;
      }
      f.seek((root - 1) * pageSize);
      f.write(header);
    }
  }

  private static List<Bar> rows(BarStore s) {
    List<Bar> out = new ArrayList<>();
    s.read(SYN, BarFilter.ALL, out::add);
    return out;
  }

  @Test
  void a_damaged_page_is_named_by_sync_and_verify_and_a_rebuild_replaces_the_file() throws Exception {
    rot();
    for (SyncOptions o : List.of(SyncOptions.INCREMENTAL, SyncOptions.INCREMENTAL.withFull(true))) {
      StoreException e = assertThrows(StoreException.class, () -> mirror.sync(production, o));
      assertTrue(e.getMessage().contains("is damaged on disk (SQLite quick_check: ")
          && e.getMessage().contains("run `tickvault sync --full --rebuild`"), e.getMessage());
    }
    StoreException v = assertThrows(StoreException.class, () -> mirror.verify(production, null));
    assertTrue(v.getMessage().contains("is damaged on disk"), v.getMessage());

    SyncReport r = mirror.rebuild(production, SyncOptions.INCREMENTAL, null);
    assertEquals(SyncRecord.Mode.FIRST, r.record().mode());
    assertEquals(3_900, r.record().rowsAdded());
    assertTrue(r.warnings().get(0).startsWith("rebuilt the mirror from production into a new file"), r.warnings()
        .toString());
    assertTrue(Files.isRegularFile(dir.resolve("mirror.db.damaged")), "the damaged file is kept");
    assertTrue(!Files.exists(dir.resolve("mirror.db.rebuild.db")), "no temporary file is left");
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      assertEquals(rows(production), rows(m));
    }
    assertTrue(mirror.verify(production, null).ok());
    // and it is an ordinary mirror again
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-20T14:30:00Z", 10, SYN).iterator());
    SyncReport next = mirror.sync(production, SyncOptions.INCREMENTAL);
    assertEquals(SyncRecord.Mode.INCREMENTAL, next.record().mode());
    assertEquals(10, next.record().rowsAdded());
  }

  @Test
  void a_rebuild_keeps_the_old_mirrors_selection() {
    production.createSource(SourceName.ALPACA, SourceKind.VENDOR, "real");
    production.write(SourceName.ALPACA, Timeframe.MIN_1,
        minutes("SPY", "2025-01-13T14:30:00Z", 5, SourceName.ALPACA).iterator());
    mirror.sync(production, new SyncOptions(java.util.Set.of(SYN), null, false, false));
    SyncReport r = mirror.rebuild(production, SyncOptions.INCREMENTAL, null);
    assertEquals(List.of(SYN), r.sources().stream().map(SyncReport.SourceSync::source).toList());
  }
}
