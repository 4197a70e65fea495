package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.bar;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.mirror.SyncReport.Action;
import io.tickvault.mirror.SyncReport.SourceSync;
import io.tickvault.mirror.VerifyReport.Problem;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.testing.Sqlite3Shell;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync behaviour every production engine must give: real production store (PostgreSQL or a SQLite
 * file), real SQLite mirror file. After every sync the mirror equals production row for row and
 * {@code verify} passes against production and against the recorded checksums.
 */
abstract class MirrorSyncContract {
  protected static final SourceName SYN = SourceName.SYNTHETIC;
  protected static final SourceName ALPACA = SourceName.ALPACA;
  protected static final SourceName TEST = SourceName.TEST;

  @TempDir
  Path dir;

  protected BarStore production;
  protected MirrorService mirror;

  /** A fresh, empty production store of the engine under test. */
  protected abstract BarStore newProduction();

  /** Runs statements on production with plain SQL, as a writer that bypasses tickvault. */
  protected abstract void plainSql(String... statements) throws Exception;

  /** DDL of a source table made by hand: tickvault's columns, no symbol CHECK, no change tracking. */
  protected abstract String legacyTableDdl(String table);

  /** A plain-SQL INSERT of one bar (price 10) with the given symbol text on 2025-01-15 at 15:0{@code minute}. */
  protected abstract String plainInsert(String table, String symbol, int minute);

  /**
   * Statements that change the volume of the bar of {@code symbol} at {@code micros} (microseconds
   * since the epoch) in the table the way a writer production's change tracking does not see:
   * {@code INSERT OR REPLACE} on the embedded store, a session with {@code session_replication_role
   * = replica} (which skips triggers) on PostgreSQL.
   */
  protected abstract String[] untrackedVolumeChange(String table, String symbol, long micros, long volume);

  /** Takes a backup of production the way an operator would (production is closed and reopened). */
  protected abstract void backUpProduction() throws Exception;

  /** Puts the backup taken by {@link #backUpProduction} back in production's place (closed and reopened). */
  protected abstract void restoreProduction() throws Exception;

  /** A plain-SQL UPDATE setting the volume of every row of the table with the given symbol text. */
  protected String plainUpdateVolume(String table, String symbol, long volume) {
    return "UPDATE " + table + " SET volume = " + volume + " WHERE symbol = '" + symbol + "'";
  }

  @BeforeEach
  void setUp() {
    production = newProduction();
    mirror = new MirrorService(dir.resolve("mirror.db"), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    production.close();
  }

  // ---- helpers --------------------------------------------------------------------------------

  protected void seed() {
    production.createSource(SYN, SourceKind.GENERATED, "generated");
    production.createSource(ALPACA, SourceKind.VENDOR, "real");
    List<Bar> syn = new ArrayList<>();
    syn.addAll(minutes("AAPL", "2025-01-15T14:30:00Z", 120, SYN));
    syn.addAll(minutes("AAPL", "2025-01-16T14:30:00Z", 120, SYN));
    syn.addAll(minutes("MSFT", "2025-01-15T14:30:00Z", 90, SYN));
    syn.addAll(minutes("MSFT", "2025-01-17T23:00:00Z", 120, SYN)); // crosses midnight: two chunks
    production.write(SYN, Timeframe.MIN_1, syn.iterator());
    production.write(ALPACA, Timeframe.MIN_1, minutes("BRK.B", "2025-01-15T14:30:00Z", 60, ALPACA).iterator());
  }

  protected SyncReport sync() {
    return mirror.sync(production, SyncOptions.INCREMENTAL);
  }

  protected static List<Bar> readAll(BarStore s, SourceName src) {
    List<Bar> out = new ArrayList<>();
    s.read(src, BarFilter.ALL, out::add);
    return out;
  }

  /** The mirror holds exactly the selected production sources, row for row, and verify passes. */
  protected void assertMirrorEqualsProduction(Set<SourceName> selected) {
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      Set<SourceName> inMirror = new TreeSet<>();
      for (SourceRecord r : m.sources()) {
        if (r.tableExists()) {
          inMirror.add(r.name());
        }
      }
      assertEquals(selected, inMirror, "sources in the mirror");
      for (SourceName s : selected) {
        assertEquals(readAll(production, s), readAll(m, s), "rows of " + s);
        assertEquals(production.requireSource(s).kind(), m.requireSource(s).kind(), "kind of " + s);
      }
    }
    VerifyReport v = mirror.verify(production, null);
    assertTrue(v.ok(), () -> "verify against production: " + v.differences());
    assertTrue(v.comparedWith().contains("production"), v.comparedWith());
    VerifyReport offline = mirror.verify(null, "offline");
    assertTrue(offline.ok(), () -> "verify against recorded checksums: " + offline.differences());
  }

  protected Set<SourceName> allProductionSources() {
    Set<SourceName> out = new TreeSet<>();
    for (SourceRecord r : production.sources()) {
      if (r.tableExists()) {
        out.add(r.name());
      }
    }
    return out;
  }

  protected static SourceSync of(SyncReport r, SourceName s) {
    return r.sources().stream().filter(x -> x.source().equals(s)).findFirst().orElseThrow(
        () -> new AssertionError("no entry for " + s + " in " + r.sources()));
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void first_sync_copies_every_production_source_and_verify_passes() {
    seed();
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.FIRST, r.record().mode());
    assertEquals(510, r.record().rowsAdded());
    assertEquals(0, r.record().rowsChanged() + r.record().rowsDeleted());
    assertEquals(Action.COPIED, of(r, SYN).action());
    assertEquals(5, of(r, SYN).chunksChanged()); // AAPL 15,16; MSFT 15,17,18
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_second_sync_without_changes_reads_and_writes_nothing() {
    seed();
    sync();
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode());
    assertEquals(0, r.rowsRead());
    assertEquals(0, r.record().chunksChecked());
    assertFalse(r.changedRows());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void new_bars_written_through_tickvault_are_synced_by_reading_only_their_chunk() {
    seed();
    sync();
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-16T18:00:00Z", 30, SYN).iterator()); // 30 new bars, one chunk
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode());
    assertEquals(1, r.record().chunksChecked(), r.toString());
    assertEquals(150, r.rowsRead()); // that one chunk, not the store
    assertEquals(30, r.record().rowsAdded());
    assertEquals(0, r.record().rowsChanged());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_corrected_bar_and_a_deleted_day_are_synced_as_changed_and_deleted_rows() {
    seed();
    sync();
    production.write(SYN, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:31:00Z", "123.4567", SYN)).iterator());
    long gone = production.delete(SYN, new io.tickvault.store.BarFilter(Symbol.of("MSFT"),
        TimeRange.day(LocalDate.parse("2025-01-15"))));
    assertEquals(90, gone);
    SyncReport r = sync();
    assertEquals(1, r.record().rowsChanged());
    assertEquals(90, r.record().rowsDeleted());
    assertEquals(0, r.record().rowsAdded());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_new_source_table_in_production_is_copied_by_the_next_sync() {
    seed();
    sync();
    production.createSource(TEST, SourceKind.GENERATED, "integration");
    production.write(TEST, Timeframe.MIN_1, minutes("ETH/USD", "2025-02-01T00:00:00Z", 50, TEST).iterator());
    SyncReport r = sync();
    assertEquals(Action.COPIED, of(r, TEST).action());
    assertEquals(50, of(r, TEST).rowsAdded());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA, TEST));
  }

  @Test
  void a_source_removed_from_the_selection_is_dropped_and_the_selection_is_remembered() {
    seed();
    sync();
    SyncReport r = mirror.sync(production, new SyncOptions(Set.of(SYN), null, false, false));
    assertEquals(Action.DROPPED, of(r, ALPACA).action());
    assertEquals(60, of(r, ALPACA).rowsDeleted());
    assertMirrorEqualsProduction(Set.of(SYN));

    production.write(ALPACA, Timeframe.MIN_1, minutes("BRK.B", "2025-01-16T14:30:00Z", 10, ALPACA).iterator());
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-20T14:30:00Z", 10, SYN).iterator());
    sync(); // keeps the selection
    assertMirrorEqualsProduction(Set.of(SYN));
    assertEquals("synthetic", mirror.lineage().orElseThrow().selection().recorded());

    mirror.sync(production, new SyncOptions(Set.of(), null, false, false)); // all sources again
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_source_dropped_in_production_is_dropped_from_the_mirror() {
    seed();
    sync();
    production.dropSource(ALPACA);
    SyncReport r = sync();
    assertEquals(Action.DROPPED, of(r, ALPACA).action());
    assertMirrorEqualsProduction(Set.of(SYN));
  }

  @Test
  void a_refused_first_sync_leaves_no_mirror_file_behind() {
    seed();
    assertThrows(io.tickvault.domain.NotFoundException.class,
        () -> mirror.sync(production, new SyncOptions(Set.of(SourceName.of("nosuch")), null, false, false)));
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      assertFalse(java.nio.file.Files.exists(Path.of(mirror.file() + suffix)), "left behind: " + mirror.file() + suffix);
    }
  }

  @Test
  void an_unknown_source_in_the_selection_is_refused_and_nothing_changes() {
    seed();
    sync();
    Lineage before = mirror.lineage().orElseThrow();
    assertThrows(io.tickvault.domain.NotFoundException.class,
        () -> mirror.sync(production, new SyncOptions(Set.of(SourceName.of("nosuch")), null, false, false)));
    assertEquals(before, mirror.lineage().orElseThrow());
  }

  @Test
  void since_limits_the_mirrored_days_and_moving_it_back_fetches_the_older_days() {
    seed();
    mirror.sync(production, new SyncOptions(null, LocalDate.parse("2025-01-16"), false, false));
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      for (Bar b : readAll(m, SYN)) {
        assertFalse(b.timestamp().isBefore(java.time.Instant.parse("2025-01-16T00:00:00Z")), b.toString());
      }
      assertEquals(120 + 60 + 60, readAll(m, SYN).size());
      assertEquals(0, readAll(m, ALPACA).size());
    }
    assertTrue(mirror.verify(production, null).ok());
    // a change before the window is not mirrored
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-14T14:30:00Z", 5, SYN).iterator());
    assertEquals(0, sync().record().rowsAdded());
    assertEquals(LocalDate.parse("2025-01-16"), mirror.lineage().orElseThrow().since());

    mirror.sync(production, new SyncOptions(null, null, true, false));
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_row_slipped_into_the_mirror_before_the_since_day_is_removed_by_the_next_sync() throws Exception {
    seed();
    mirror.sync(production, new SyncOptions(null, LocalDate.parse("2025-01-16"), false, false));
    Sqlite3Shell.run(mirror.file(), "INSERT INTO price_ticks_synthetic (symbol, price, \"timestamp\", volume, "
        + "trade_count, origin) VALUES ('AAPL', 1000000, 1736951400000000, 1, 1, 'synthetic');");
    assertFalse(mirror.verify(null, null).ok());
    SyncReport r = sync();
    assertEquals(1, r.record().rowsDeleted());
    assertTrue(mirror.verify(production, null).ok());
    assertTrue(mirror.verify(null, null).ok());
  }

  @Test
  void a_mirror_refuses_another_production_store_unless_full() {
    seed();
    sync();
    BarStore other = newProduction();
    try {
      other.createSource(SYN, SourceKind.GENERATED, "other");
      other.write(SYN, Timeframe.MIN_1, minutes("IBM", "2025-03-03T15:00:00Z", 7, SYN).iterator());
      Lineage before = mirror.lineage().orElseThrow();
      MirrorException e = assertThrows(MirrorException.class, () -> mirror.sync(other, SyncOptions.INCREMENTAL));
      assertTrue(e.getMessage().contains("another production store"), e.getMessage());
      assertTrue(e.getMessage().contains("--full"), e.getMessage());
      assertEquals(before, mirror.lineage().orElseThrow());

      SyncReport r = mirror.sync(other, SyncOptions.INCREMENTAL.withFull(true));
      assertEquals(SyncRecord.Mode.FIRST, r.record().mode());
      assertEquals(other.info().storeId(), mirror.lineage().orElseThrow().productionStoreId());
      BarStore keep = production;
      production = other;
      try {
        assertMirrorEqualsProduction(Set.of(SYN));
      } finally {
        production = keep;
      }
    } finally {
      other.close();
    }
  }

  @Test
  void lineage_records_production_identity_ranges_counts_and_sync_log() {
    seed();
    sync();
    production.write(SYN, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:30:00Z", "99.5", SYN)).iterator());
    sync();
    Lineage l = mirror.lineage().orElseThrow();
    assertEquals(production.info().engine(), l.productionEngine());
    assertEquals(production.info().storeId(), l.productionStoreId());
    assertEquals(production.info().location(), l.productionLocation());
    assertEquals(2, l.syncCount());
    assertEquals("*", l.selection().recorded());
    SourceLineage syn = l.sources().stream().filter(s -> s.source().equals(SYN)).findFirst().orElseThrow();
    assertEquals(450, syn.rows());
    assertEquals(2, syn.symbols());
    assertEquals(SourceKind.GENERATED, syn.kind());
    assertEquals(java.time.Instant.parse("2025-01-15T14:30:00Z"), syn.first());
    assertEquals(java.time.Instant.parse("2025-01-18T00:59:00Z"), syn.last());
    assertEquals(2, l.recentSyncs().size());
    SyncRecord newest = l.recentSyncs().get(0);
    assertEquals(SyncRecord.Mode.INCREMENTAL, newest.mode());
    assertEquals(1, newest.rowsChanged());
    assertEquals(510, l.recentSyncs().get(1).rowsAdded());
    assertEquals(l.lastSyncAt(), newest.finished());
  }

  @Test
  void a_byte_changed_with_the_sqlite3_shell_is_found_by_verify_and_repaired_by_the_next_sync() throws Exception {
    seed();
    sync();
    // change one price in place, as someone poking at the file would
    Sqlite3Shell.run(mirror.file(), "UPDATE price_ticks_synthetic SET close_price = close_price + 1, "
        + "price = price + 1 WHERE symbol = 'MSFT' AND \"timestamp\" = (SELECT MIN(\"timestamp\") "
        + "FROM price_ticks_synthetic WHERE symbol = 'MSFT');");
    VerifyReport offline = mirror.verify(null, null);
    assertFalse(offline.ok());
    assertEquals(1, offline.differences().size(), offline.differences().toString());
    VerifyReport.Difference d = offline.differences().get(0);
    assertEquals(new Chunk(SYN, Symbol.of("MSFT"), LocalDate.parse("2025-01-15")), d.chunk());
    assertEquals(Problem.MIRROR_CHANGED, d.problem());
    assertEquals(90, d.mirrorRows());
    VerifyReport online = mirror.verify(production, null);
    assertEquals(1, online.differences().size(), online.differences().toString()); // one line per chunk
    assertEquals(Problem.MIRROR_CHANGED, online.differences().get(0).problem());
    assertTrue(online.pending().isEmpty(), online.pending().toString());

    SyncReport r = sync();
    assertEquals(1, r.record().rowsChanged());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void rows_edited_into_values_no_bar_can_hold_are_reported_and_the_source_is_rebuilt() throws Exception {
    seed();
    sync();
    // the tables refuse such symbols (CHECK); someone determined switches the checks off first
    Sqlite3Shell.run(mirror.file(), "PRAGMA ignore_check_constraints = ON; "
        + "UPDATE price_ticks_alpaca SET symbol = 'x y' WHERE \"timestamp\" = "
        + "(SELECT MIN(\"timestamp\") FROM price_ticks_alpaca); UPDATE price_ticks_synthetic SET origin = 'Not valid' "
        + "WHERE symbol = 'MSFT' AND \"timestamp\" = (SELECT MAX(\"timestamp\") FROM price_ticks_synthetic);");
    VerifyReport v = mirror.verify(null, null);
    assertFalse(v.ok());
    assertEquals(2, v.unreadable().size(), v.unreadable().toString());
    assertTrue(v.unreadable().get(0).startsWith("alpaca: rejected row"), v.unreadable().toString());
    assertTrue(v.unreadable().get(0).contains("stored symbol 'x y'"), v.unreadable().toString());
    SyncReport r = sync();
    assertEquals(60, of(r, ALPACA).rowsDeleted());
    assertEquals(60, of(r, ALPACA).rowsAdded());
    assertEquals(Action.COPIED, of(r, SYN).action());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_change_made_after_removing_the_guards_is_repaired_by_a_full_sync() throws Exception {
    seed();
    sync();
    Sqlite3Shell.run(mirror.file(), "DROP TRIGGER tickvault_guard_del_alpaca; "
        + "DELETE FROM price_ticks_alpaca WHERE (\"timestamp\" / 60000000) % 2 = 0;");
    assertFalse(mirror.verify(null, null).ok());
    SyncReport r = sync(); // missing guards: the source is compared in full
    assertEquals(30, r.record().rowsAdded());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));

    Sqlite3Shell.run(mirror.file(), "DELETE FROM tickvault_chunks WHERE symbol = 'AAPL';");
    assertFalse(mirror.verify(null, null).ok());
    mirror.sync(production, SyncOptions.INCREMENTAL.withFull(true));
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_production_restored_from_an_older_backup_and_written_to_is_compared_in_full() throws Exception {
    seed();
    sync();
    backUpProduction();
    // after the backup: new bars, a corrected bar and a deleted day, all followed by the mirror
    production.write(SYN, Timeframe.MIN_1, minutes("NVDA", "2025-01-20T14:30:00Z", 60, SYN).iterator());
    production.write(SYN, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:31:00Z", "123.4567", SYN)).iterator());
    production.delete(SYN, new BarFilter(Symbol.of("MSFT"), TimeRange.day(LocalDate.parse("2025-01-15"))));
    assertEquals(SyncRecord.Mode.INCREMENTAL, sync().record().mode());
    restoreProduction();
    // a few writes after the restore take production's change log past the position the mirror followed
    for (int day = 21; day <= 26; day++) {
      production.write(ALPACA, Timeframe.MIN_1, minutes("SPY", "2025-01-" + day + "T14:30:00Z", 5, ALPACA).iterator());
    }
    VerifyReport before = mirror.verify(production, null);
    assertTrue(before.ok(), () -> "the next sync repairs it, so it is pending: " + before.differences());
    assertEquals(9, before.pending().size(), () -> before.pending().toString()); // NVDA/20, AAPL/15, MSFT/15, SPY 21-26
    assertTrue(before.note() != null && before.note().contains("compares every chunk in full"), before.note());
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.FULL, r.record().mode(), r.toString());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("compared every chunk with production in full")),
        r.warnings().toString());
    assertEquals(60, r.record().rowsDeleted(), "NVDA's bars, written after the backup");
    assertEquals(1, r.record().rowsChanged(), "the corrected AAPL bar is back to the backup's value");
    assertEquals(90 + 6 * 5, r.record().rowsAdded(), "MSFT's day deleted after the backup, and SPY's new bars");
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
    // the new mark proves the log continues: the next sync is incremental again
    production.write(ALPACA, Timeframe.MIN_1, minutes("SPY", "2025-01-27T14:30:00Z", 5, ALPACA).iterator());
    SyncReport next = sync();
    assertEquals(SyncRecord.Mode.INCREMENTAL, next.record().mode(), next.warnings().toString());
    assertEquals(5, next.record().rowsAdded());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void production_changes_made_after_the_last_sync_are_pending_not_differences() {
    seed();
    sync();
    production.write(ALPACA, io.tickvault.domain.Timeframe.MIN_1, minutes("BRK.B", "2025-01-21T14:30:00Z", 3, ALPACA).iterator());
    production.write(SYN, io.tickvault.domain.Timeframe.MIN_1, minutes("AAPL", "2025-01-15T16:30:00Z", 2, SYN).iterator()); // grows a mirrored chunk
    production.delete(SYN, new BarFilter(Symbol.of("MSFT"), TimeRange.ofDays(LocalDate.parse("2025-01-17"),
        LocalDate.parse("2025-01-17"))));
    production.createSource(TEST, SourceKind.GENERATED, "new since the sync");
    production.write(TEST, io.tickvault.domain.Timeframe.MIN_1, minutes("SPY", "2025-01-15T14:30:00Z", 4, TEST).iterator());
    VerifyReport v = mirror.verify(production, null);
    assertTrue(v.ok(), () -> "pending chunks are not faults: " + v.differences());
    assertEquals(List.of(
        new VerifyReport.Difference(new Chunk(ALPACA, Symbol.of("BRK.B"), LocalDate.parse("2025-01-21")), 0, 3,
            Problem.PENDING),
        new VerifyReport.Difference(new Chunk(SYN, Symbol.of("AAPL"), LocalDate.parse("2025-01-15")), 120, 122,
            Problem.PENDING),
        new VerifyReport.Difference(new Chunk(SYN, Symbol.of("MSFT"), LocalDate.parse("2025-01-17")), 60, 0,
            Problem.PENDING),
        new VerifyReport.Difference(new Chunk(TEST, Symbol.of("SPY"), LocalDate.parse("2025-01-15")), 0, 4,
            Problem.PENDING)), v.pending());
    assertEquals(8, v.chunksChecked(), "6 mirrored chunks and 2 new ones in production");
    assertTrue(mirror.verify(null, null).ok(), "the mirror itself is intact");
    sync();
    VerifyReport after = mirror.verify(production, null);
    assertTrue(after.ok() && after.pending().isEmpty(), () -> after.pending().toString());
  }

  @Test
  void a_change_production_made_without_a_change_record_is_a_difference_that_sync_full_repairs() throws Exception {
    seed();
    sync();
    long micros = java.time.Instant.parse("2025-01-16T14:31:00Z").getEpochSecond() * 1_000_000L;
    plainSql(untrackedVolumeChange("price_ticks_synthetic", "AAPL", micros, 4242));
    production.write(ALPACA, io.tickvault.domain.Timeframe.MIN_1, minutes("BRK.B", "2025-01-21T14:30:00Z", 3, ALPACA).iterator()); // tracked
    Chunk aapl16 = new Chunk(SYN, Symbol.of("AAPL"), LocalDate.parse("2025-01-16"));
    // PostgreSQL's log position is the oldest running transaction of the whole server: while another
    // session's transaction is open (other builds on a shared server), the log also names chunks
    // written before the last sync, and the next plain sync compares them with production again.
    // Pending means exactly that, so the chunk is pending iff the log names it.
    boolean logNamesIt = production.changesSince(mirror.withReadOnly(io.tickvault.store.MirrorStore::state).token()).chunks()
        .contains(aapl16);
    VerifyReport v = mirror.verify(production, null);
    if (logNamesIt) {
      assertTrue(v.ok(), v.differences().toString());
      assertTrue(v.pending().contains(new VerifyReport.Difference(aapl16, 120, 120, Problem.PENDING)), v.toString());
      sync();
      assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
      return;
    }
    assertFalse(v.ok());
    assertEquals(List.of(new VerifyReport.Difference(aapl16, 120, 120, Problem.DIFFERS_FROM_PRODUCTION)),
        v.differences());
    assertEquals(1, v.pending().size(), v.pending().toString());
    assertEquals(1, v.chunksDiffering());
    sync(); // follows the change log: copies the tracked chunk, cannot see the other
    VerifyReport still = mirror.verify(production, null);
    assertEquals(1, still.differences().size(), still.differences().toString());
    assertTrue(still.pending().isEmpty(), still.pending().toString());
    mirror.sync(production, SyncOptions.INCREMENTAL.withFull(true));
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void tampering_is_a_difference_even_where_production_changed_too() throws Exception {
    seed();
    sync();
    production.write(SYN, io.tickvault.domain.Timeframe.MIN_1, minutes("MSFT", "2025-01-15T20:00:00Z", 3, SYN).iterator());
    Sqlite3Shell.run(mirror.file(), "UPDATE price_ticks_synthetic SET volume = volume + 1 WHERE symbol = 'MSFT' "
        + "AND \"timestamp\" < 1736985600000000;");
    VerifyReport v = mirror.verify(production, null);
    assertEquals(List.of(new VerifyReport.Difference(new Chunk(SYN, Symbol.of("MSFT"), LocalDate.parse("2025-01-15")),
        90, 90, Problem.MIRROR_CHANGED)), v.differences());
    assertTrue(v.pending().isEmpty(), "the chunk is listed once, as its fault: " + v.pending());
    sync();
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void every_sync_of_a_narrowed_mirror_says_what_production_holds_outside_it() {
    seed();
    SyncReport r = mirror.sync(production, new SyncOptions(Set.of(SYN), LocalDate.parse("2025-01-16"), false, false));
    LeftOut expected = new LeftOut(List.of(ALPACA), LocalDate.parse("2025-01-16"), List.of(SYN),
        java.time.Instant.parse("2025-01-15T14:30:00Z"));
    assertEquals(expected, r.leftOut());
    assertEquals(List.of("production has 1 source outside this mirror's selection: alpaca; add it with --sources all",
        "production has bars before 2025-01-16 (from 2025-01-15, in synthetic) that this mirror leaves out "
            + "(--since 2025-01-16); add them with --since all"), r.leftOut().notes());
    assertEquals(expected, sync().leftOut(), "a later sync keeps the selection and says it again");
    assertEquals(expected, mirror.leftOut());
    production.createSource(TEST, SourceKind.GENERATED, "new");
    assertEquals(List.of(ALPACA, TEST), sync().leftOut().sources());

    SyncReport all = mirror.sync(production, new SyncOptions(Set.of(), null, true, false));
    assertTrue(all.leftOut().isEmpty(), all.leftOut().toString());
    assertEquals(LeftOut.NOTHING, mirror.leftOut());
  }

  @Test
  void the_first_bar_of_a_source_is_found_through_the_key() {
    seed();
    assertEquals(java.time.Instant.parse("2025-01-15T14:30:00Z"), production.firstTimestamp(SYN));
    production.write(SYN, io.tickvault.domain.Timeframe.MIN_1, minutes("ZZZ", "2024-12-31T23:59:00Z", 1, SYN).iterator());
    assertEquals(java.time.Instant.parse("2024-12-31T23:59:00Z"), production.firstTimestamp(SYN));
    production.createSource(TEST, SourceKind.GENERATED, "empty");
    assertNull(production.firstTimestamp(TEST));
  }

  @Test
  void a_first_sync_from_a_production_without_sources_is_refused_and_creates_nothing() {
    MirrorException e = assertThrows(MirrorException.class, this::sync);
    assertTrue(e.getMessage().contains("has no sources yet"), e.getMessage());
    assertFalse(mirror.exists(), "no mirror file was created");
  }

  @Test
  void two_syncs_at_once_run_one_after_the_other() throws Exception {
    seed();
    sync();
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-22T14:30:00Z", 200, SYN).iterator());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(this::sync);
      var b = pool.submit(this::sync);
      long added = a.get().record().rowsAdded() + b.get().record().rowsAdded();
      assertEquals(200, added, "one of them copies the new day, the other finds nothing left to do");
    } finally {
      pool.shutdown();
    }
    assertEquals(3, mirror.lineage().orElseThrow().syncCount());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_mirror_that_never_synced_fails_verify_and_is_stale() {
    assertFalse(mirror.exists());
    assertTrue(mirror.lineage().isEmpty());
    Freshness f = mirror.freshness(java.time.Duration.ofDays(7));
    assertTrue(f.stale());
    assertNull(f.lastSync());
  }

  @Test
  void checksums_are_identical_whichever_engine_the_rows_come_from() {
    seed();
    sync();
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      ChunkDigest a = new ChunkDigest();
      ChunkDigest b = new ChunkDigest();
      production.read(SYN, BarFilter.of(Symbol.of("AAPL")), x -> {
        if (x.timestamp().isBefore(java.time.Instant.parse("2025-01-16T00:00:00Z"))) {
          a.add(x);
        }
      });
      m.read(SYN, BarFilter.of(Symbol.of("AAPL")), x -> {
        if (x.timestamp().isBefore(java.time.Instant.parse("2025-01-16T00:00:00Z"))) {
          b.add(x);
        }
      });
      assertEquals(120, a.rows());
      String sa = a.finish();
      assertEquals(sa, b.finish());
      assertNotEquals(new ChunkDigest().finish(), sa);
    }
  }

  // ---- tables replaced, made by hand, or holding values no bar can hold ----------------------

  @Test
  void a_source_dropped_and_created_again_between_syncs_keeps_none_of_its_old_rows() {
    seed();
    sync();
    production.dropSource(SYN);
    production.createSource(SYN, SourceKind.GENERATED, "generated again");
    production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-16T14:30:00Z", 10, SYN).iterator());
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode());
    // the old AAPL, MSFT days are gone; the 10 new bars equal the first 10 old ones of 2025-01-16
    assertEquals(450 - 10, of(r, SYN).rowsDeleted(), r.toString());
    assertEquals(0, of(r, SYN).rowsAdded() + of(r, SYN).rowsChanged(), r.toString());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
    assertEquals(10, readAll(production, SYN).size());
    sync();
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_table_dropped_with_plain_sql_and_created_again_is_compared_in_full() throws Exception {
    seed();
    sync();
    plainSql("DROP TABLE " + ALPACA.tableName());
    production.createSource(ALPACA, SourceKind.VENDOR, "re-created");
    production.write(ALPACA, Timeframe.MIN_1, minutes("BRK.B", "2025-01-20T14:30:00Z", 5, ALPACA).iterator());
    SyncReport r = sync();
    assertEquals(60, of(r, ALPACA).rowsDeleted(), r.toString());
    assertEquals(5, of(r, ALPACA).rowsAdded(), r.toString());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_table_without_change_tracking_is_compared_in_full_every_sync_with_a_warning() throws Exception {
    seed();
    SourceName legacy = SourceName.of("legacy");
    plainSql(legacyTableDdl(legacy.tableName()), plainInsert(legacy.tableName(), "EURUSD", 0),
        plainInsert(legacy.tableName(), "EURUSD", 1));
    SyncReport first = sync();
    assertEquals(2, of(first, legacy).rowsAdded());
    plainSql(plainUpdateVolume(legacy.tableName(), "EURUSD", 77), plainInsert(legacy.tableName(), "GBPUSD", 2));
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode());
    assertEquals(2, of(r, legacy).rowsChanged(), r.toString());
    assertEquals(1, of(r, legacy).rowsAdded(), r.toString());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("tickvault create --source legacy")), r.warnings()
        .toString());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA, legacy));

    production.createSource(legacy, SourceKind.VENDOR, "tracked now"); // installs the tracking
    plainSql(plainUpdateVolume(legacy.tableName(), "GBPUSD", 5));
    SyncReport tracked = sync();
    assertEquals(List.of(), tracked.warnings());
    assertEquals(1, of(tracked, legacy).rowsChanged());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA, legacy));
  }

  @Test
  void a_stored_symbol_that_is_not_valid_stops_the_sync_by_name_and_leaves_the_mirror_as_it_was() throws Exception {
    seed();
    SourceName legacy = SourceName.of("legacy");
    plainSql(legacyTableDdl(legacy.tableName())); // no CHECK on the symbol, as tables of earlier versions
    production.createSource(legacy, SourceKind.VENDOR, "made by hand");
    production.write(legacy, Timeframe.MIN_1, minutes("BTC/USD", "2025-01-15T14:30:00Z", 40, legacy).iterator());
    sync();
    Lineage before = mirror.lineage().orElseThrow();
    plainSql(plainInsert(legacy.tableName(), "btc/usd", 0), plainUpdateVolume(legacy.tableName(), "btc/usd", 5));
    MirrorException e = assertThrows(MirrorException.class, this::sync);
    assertTrue(e.getMessage().contains("rejected row"), e.getMessage());
    assertTrue(e.getMessage().contains("'btc/usd'"), e.getMessage());
    // the mirror is as it was; only its log of attempts has one more, failed, entry
    assertEquals(before, mirror.lineage().orElseThrow(), "mirror unchanged");
    SyncLogEntry failed = mirror.syncLog(1).get(0);
    assertFalse(failed.ok());
    assertEquals(e.getMessage(), failed.error());
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      assertEquals(40, readAll(m, legacy).size(), "no BTC/USD row deleted");
    }
    assertTrue(mirror.verify(null, null).ok());
  }

  @Test
  void the_mirror_copies_each_source_width_and_zone_and_sync_refuses_bars_off_that_width() throws Exception {
    seed();
    SourceName hk = SourceName.of("hkex");
    java.time.ZoneId zone = java.time.ZoneId.of("Asia/Hong_Kong");
    production.createSource(hk, SourceKind.VENDOR, "HKEX", Timeframe.DAY_1, zone);
    production.write(hk, Timeframe.DAY_1, List.of(bar("0005.HK", "2024-03-03T16:00:00Z", "60", hk)).iterator());
    sync();
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      assertEquals(Timeframe.MIN_1, m.requireSource(SYN).width());
      assertEquals(Timeframe.DAY_1, m.requireSource(hk).width());
      assertEquals(zone, m.requireSource(hk).zone());
    }
    // a registry edited by hand says alpaca holds daily bars; its minute rows are then not on that grid
    plainSql("UPDATE tickvault_sources SET timeframe = '1Day' WHERE name = 'alpaca'",
        plainInsert(ALPACA.tableName(), "IBM", 5));
    List<Bar> before;
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      before = readAll(m, ALPACA);
    }
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> mirror.sync(production, new SyncOptions(null, null, false, true)));
    assertTrue(e.getMessage().contains("not on the 1Day grid"), e.getMessage());
    try (SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      assertEquals(before, readAll(m, ALPACA), "the mirror was not changed");
      assertEquals(Timeframe.MIN_1, m.requireSource(ALPACA).width());
    }
  }
}
