package io.tickvault.mirror;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.store.StoreException;
import io.tickvault.store.Stores;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * The whole-file check ({@code PRAGMA quick_check}) where it matters: an incremental sync of a
 * mirror that only syncs wrote since its last sync skips it (its cost grows with the file), and
 * runs it when anything else touched the file: a damaged page is still named, not synced over,
 * even right after a sync, with the file's modification time put back, or with production
 * unchanged (so the sync itself reads no damaged page). Full syncs and verify always check.
 */
class MirrorSealTest {
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
    }
    production.write(SYN, Timeframe.MIN_1, bars.iterator());
    mirror = new MirrorService(dir.resolve("mirror.db"), Clock.systemUTC());
    mirror.sync(production, SyncOptions.INCREMENTAL);
  }

  @AfterEach
  void tearDown() {
    production.close();
  }

  private void change(int minutes) {
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-20T14:30:00Z", minutes, SYN).iterator());
  }

  /** Flips the b-tree page header of the source table's root page, in place (same size). */
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

  private void assertNamedDamaged(SyncOptions o) {
    StoreException e = assertThrows(StoreException.class, () -> mirror.sync(production, o));
    assertTrue(e.getMessage().contains("is damaged on disk (SQLite quick_check: "), e.getMessage());
  }

  @Test
  void an_incremental_sync_of_a_file_only_syncs_wrote_does_not_check_the_whole_file() {
    assertTrue(Files.isRegularFile(FileSeal.of(mirror.file())), "a completed sync seals the file");
    long before = mirror.wholeFileChecks();
    change(10);
    assertEquals(10, mirror.sync(production, SyncOptions.INCREMENTAL).record().rowsAdded());
    assertEquals(SyncRecord.Mode.INCREMENTAL, mirror.sync(production, SyncOptions.INCREMENTAL).record().mode());
    assertEquals(before, mirror.wholeFileChecks(), "no whole-file check on a file only syncs wrote");
    // the sync that changed nothing kept the source's lineage (not recomputed from the chunk records)
    SourceLineage l = mirror.lineage().orElseThrow().sources().get(0);
    assertEquals(1_960, l.rows());
    assertEquals(1, l.symbols());
    assertEquals(java.time.Instant.parse("2025-01-20T14:39:00Z"), l.last());

    mirror.sync(production, SyncOptions.INCREMENTAL.withFull(true));
    assertEquals(before + 1, mirror.wholeFileChecks(), "a full sync always checks");
    assertTrue(mirror.verify(production, null).ok());
    assertEquals(before + 2, mirror.wholeFileChecks(), "verify always checks");
  }

  @Test
  void a_page_damaged_right_after_a_sync_is_named_by_the_next_incremental_sync_with_production_unchanged()
      throws Exception {
    rot(); // in the same clock tick as the sync's last write, possibly: the seal must still see it
    assertNamedDamaged(SyncOptions.INCREMENTAL);
    assertNamedDamaged(SyncOptions.INCREMENTAL); // a refused sync leaves no seal behind
  }

  @Test
  void putting_the_modification_time_back_does_not_hide_the_damage() throws Exception {
    FileTime sealed = Files.getLastModifiedTime(mirror.file());
    rot();
    Files.setLastModifiedTime(mirror.file(), sealed);
    assertEquals(sealed, Files.getLastModifiedTime(mirror.file()));
    assumeTrue(FileSeal.signature(mirror.file()) != null, "the file system keeps status-change times");
    assertNamedDamaged(SyncOptions.INCREMENTAL);
  }

  @Test
  void a_change_by_another_sqlite_writer_makes_the_next_sync_check_the_file_then_repair_the_chunk()
      throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + mirror.file());
         Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE price_ticks_synthetic SET volume = volume + 1 WHERE \"timestamp\" = "
          + "(SELECT MIN(\"timestamp\") FROM price_ticks_synthetic)");
    }
    assertFalse(FileSeal.intact(mirror.file()));
    long before = mirror.wholeFileChecks();
    SyncReport r = mirror.sync(production, SyncOptions.INCREMENTAL);
    assertEquals(before + 1, mirror.wholeFileChecks());
    assertEquals(1, r.record().rowsChanged());
    assertTrue(FileSeal.intact(mirror.file()), "sealed again by the sync that repaired it");
  }

  @Test
  void a_copy_of_the_mirror_without_its_seal_is_checked() throws Exception {
    Path copy = dir.resolve("copy.db");
    Files.copy(mirror.file(), copy);
    MirrorService other = new MirrorService(copy, Clock.systemUTC());
    other.sync(production, SyncOptions.INCREMENTAL);
    assertEquals(1, other.wholeFileChecks());
    other.sync(production, SyncOptions.INCREMENTAL);
    assertEquals(1, other.wholeFileChecks(), "sealed by its first sync");
  }
}
