package io.tickvault.mirror;

import static io.tickvault.testing.Bars.bar;
import static io.tickvault.mirror.PgSides.changedVolume;
import static io.tickvault.mirror.PgSides.marks;
import static io.tickvault.mirror.PgSides.sql;
import static io.tickvault.mirror.PgSides.strings;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Partitioning;
import io.tickvault.store.StoreException;
import io.tickvault.store.Stores;
import io.tickvault.store.postgres.PostgresBarStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.tickvault.mirror.PgSides.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source partitioned by month ({@code create --partition monthly}) on PostgreSQL: its months are
 * made by the writes, every write (tickvault's own, with or without the privilege that switches the
 * triggers off, and plain SQL into the parent or straight into a partition) leaves the marks an
 * unpartitioned table would, retention drops a month whole only when every row of it is archived,
 * and partitions changed by hand make the source compared in full until {@code create} adopts them.
 * Each step ends with an incremental sync that must bring the mirror exactly to production.
 */
class PostgresPartitionTest {
  private static final SourceName SRC = SourceName.of("bigmin");

  @TempDir
  Path dir;

  private PgSides sides;

  @BeforeEach
  void sides() {
    sides = new PgSides(dir);
  }

  @AfterEach
  void dropRolesAndDatabases() {
    sides.close();
  }

  private Side privileged() {
    return sides.privileged();
  }

  private Side unprivileged() {
    return sides.unprivileged();
  }

  private static PostgresBarStore pg(Side side) {
    return (PostgresBarStore) side.store();
  }

  /** The partitions of the source as the catalog has them, by name. */
  private static List<String> partitions(Side side) throws SQLException {
    return strings(side.admin(), "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        + "WHERE i.inhparent = 'price_ticks_bigmin'::regclass ORDER BY 1");
  }

  private static List<Bar> readAll(BarStore s) {
    return PgSides.readAll(s, SRC);
  }

  private static SyncReport syncAndCompare(Side side) {
    return PgSides.syncAndCompare(side, SRC);
  }

  private interface Step {
    void run(BarStore store) throws Exception;
  }

  /**
   * Runs one write on both sides; both change logs then hold {@code expected}, and an incremental
   * sync of each brings its mirror to production with the given rows added, changed and deleted.
   */
  private static void both(Side own, Side triggers, Step step, List<String> expected, long added, long changed,
      long deleted) throws Exception {
    for (Side s : List.of(own, triggers)) {
      sql(s.admin(), "DELETE FROM tickvault_changes");
      step.run(s.store());
      assertEquals(expected, marks(s), s.name() + ": marks");
      SyncReport r = syncAndCompare(s);
      assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode(), s.name());
      assertEquals(added, r.record().rowsAdded(), s.name() + ": added " + r);
      assertEquals(changed, r.record().rowsChanged(), s.name() + ": changed " + r);
      assertEquals(deleted, r.record().rowsDeleted(), s.name() + ": deleted " + r);
      assertTrue(r.warnings().isEmpty(), s.name() + ": " + r.warnings());
    }
  }

  private static List<Bar> month(BarStore s, String month) {
    YearMonth m = YearMonth.parse(month);
    List<Bar> out = new ArrayList<>();
    s.read(SRC, new BarFilter(null, new TimeRange(m.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
        m.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant())), out::add);
    return out;
  }

  @Test
  void months_are_made_by_the_writes_and_every_write_is_tracked_with_or_without_the_privilege() throws Exception {
    Side own = privileged();
    Side triggers = unprivileged();
    assertTrue(pg(own).recordsOwnChanges());
    assertFalse(pg(triggers).recordsOwnChanges());
    for (Side s : List.of(own, triggers)) {
      s.store().createSource(SRC, SourceKind.VENDOR, "minutes", Timeframe.MIN_1, null, Partitioning.MONTHLY);
      assertEquals(Partitioning.MONTHLY, s.store().partitioning(SRC));
      assertEquals(List.of(), partitions(s), "no month before the first bar");
      List<Bar> seed = new ArrayList<>(minutes("AAPL", "2025-01-31T23:00:00Z", 120, SRC)); // two months
      seed.addAll(minutes("MSFT", "2025-01-15T14:30:00Z", 10, SRC));
      s.store().write(SRC, Timeframe.MIN_1, seed.iterator());
      assertEquals(List.of("tvpart_bigmin_202501", "tvpart_bigmin_202502"), partitions(s), s.name());
      assertEquals(130, readAll(s.store()).size());
      assertEquals(SyncRecord.Mode.FIRST, syncAndCompare(s).record().mode());
    }
    // new rows of a new month only: the COPY fails on the month, the month is made, the spool copied again
    both(own, triggers, s -> s.write(SRC, Timeframe.MIN_1, minutes("NVDA", "2025-03-03T15:00:00Z", 30, SRC)
        .iterator()), List.of("bigmin/NVDA/2025-03-03"), 30, 0, 0);
    // a key that exists first, then a new month: the merge path, after the month is made
    both(own, triggers, s -> {
      List<Bar> in = new ArrayList<>(List.of(bar("AAPL", "2025-01-31T23:01:00Z", "123.4567", SRC)));
      in.addAll(minutes("AAPL", "2025-04-01T14:30:00Z", 5, SRC));
      s.write(SRC, Timeframe.MIN_1, in.iterator());
    }, List.of("bigmin/AAPL/2025-01-31", "bigmin/AAPL/2025-04-01"), 5, 1, 0);
    // a new month first, then a key that exists: the copy again fails on the key, then the merge
    both(own, triggers, s -> {
      List<Bar> in = new ArrayList<>(minutes("MSFT", "2025-05-01T14:30:00Z", 5, SRC));
      in.add(bar("MSFT", "2025-01-15T14:31:00Z", "99.9", SRC));
      s.write(SRC, Timeframe.MIN_1, in.iterator());
    }, List.of("bigmin/MSFT/2025-01-15", "bigmin/MSFT/2025-05-01"), 5, 1, 0);
    for (Side s : List.of(own, triggers)) {
      assertEquals(List.of("tvpart_bigmin_202501", "tvpart_bigmin_202502", "tvpart_bigmin_202503",
          "tvpart_bigmin_202504", "tvpart_bigmin_202505"), partitions(s), s.name());
    }
    // a rerun of everything, unchanged: no mark, nothing to sync, no month made
    both(own, triggers, s -> s.write(SRC, Timeframe.MIN_1, minutes("NVDA", "2025-03-03T15:00:00Z", 30, SRC)
        .iterator()), List.of(), 0, 0, 0);
    // a replace and a clean across months
    both(own, triggers, s -> s.replace(SRC, Timeframe.MIN_1, new BarFilter(Symbol.of("AAPL"), new TimeRange(
        Instant.parse("2025-02-01T00:00:00Z"), Instant.parse("2025-02-02T00:00:00Z"))), minutes("AAPL",
        "2025-02-01T00:00:00Z", 59, SRC).stream().map(b -> changedVolume(b, 5)).iterator()),
        List.of("bigmin/AAPL/2025-02-01"), 0, 59, 1);
    both(own, triggers, s -> assertEquals(35, s.delete(SRC, new BarFilter(null, new TimeRange(
        Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-05-01T00:00:00Z"))))),
        List.of("bigmin/AAPL/2025-04-01", "bigmin/NVDA/2025-03-03"), 0, 0, 35);
    // outside writers, plain SQL into the parent and straight into a partition: the triggers track both
    for (Side s : List.of(own, triggers)) {
      sql(s.admin(), "DELETE FROM tickvault_changes",
          "INSERT INTO price_ticks_bigmin (symbol, price, \"timestamp\", origin) VALUES "
              + "('TSLA', 250.5, '2025-01-21 15:00:00+00', 'bigmin')",
          "UPDATE tvpart_bigmin_202501 SET volume = 7 WHERE symbol = 'MSFT' AND \"timestamp\" = '2025-01-15 14:35:00+00'",
          "DELETE FROM tvpart_bigmin_202505 WHERE symbol = 'MSFT' AND \"timestamp\" = '2025-05-01 14:30:00+00'");
      assertEquals(List.of("bigmin/MSFT/2025-01-15", "bigmin/MSFT/2025-05-01", "bigmin/TSLA/2025-01-21"), marks(s),
          s.name());
      SyncReport r = syncAndCompare(s);
      assertEquals(1, r.record().rowsAdded());
      assertEquals(1, r.record().rowsChanged());
      assertEquals(1, r.record().rowsDeleted());
      assertTrue(r.warnings().isEmpty(), r.warnings().toString());
      // a TRUNCATE of one partition: the whole source is compared
      sql(s.admin(), "TRUNCATE tvpart_bigmin_202505");
      assertTrue(marks(s).contains("bigmin//1970-01-01"), marks(s).toString());
      assertEquals(4, syncAndCompare(s).record().rowsDeleted());
    }
  }

  @Test
  void retention_drops_a_month_whole_only_when_every_row_of_it_is_in_the_archive() throws Exception {
    Side own = privileged();
    Side triggers = unprivileged();
    for (Side s : List.of(own, triggers)) {
      s.store().createSource(SRC, SourceKind.VENDOR, "minutes", Timeframe.MIN_1, null, Partitioning.MONTHLY);
      List<Bar> seed = new ArrayList<>(minutes("AAPL", "2025-01-30T14:30:00Z", 60, SRC));
      seed.addAll(minutes("MSFT", "2025-01-02T14:30:00Z", 60, SRC));
      seed.addAll(minutes("AAPL", "2025-02-03T14:30:00Z", 60, SRC));
      seed.addAll(minutes("AAPL", "2025-03-03T14:30:00Z", 60, SRC));
      s.store().write(SRC, Timeframe.MIN_1, seed.iterator());
      syncAndCompare(s);
    }
    // January as archived, unchanged since: the partition is dropped, every chunk it held is marked
    both(own, triggers, s -> assertEquals(120, s.deleteRows(SRC, month(s, "2025-01").iterator())),
        List.of("bigmin/AAPL/2025-01-30", "bigmin/MSFT/2025-01-02"), 0, 0, 120);
    for (Side s : List.of(own, triggers)) {
      assertEquals(List.of("tvpart_bigmin_202502", "tvpart_bigmin_202503"), partitions(s), s.name());
      assertEquals(List.of("tvpart_bigmin_202502", "tvpart_bigmin_202503"), strings(s.admin(), "SELECT relid::regclass"
          + "::text FROM tickvault_partitions ORDER BY 1"), s.name() + ": tickvault's record of its partitions");
    }
    // February as archived, but one row changed since the archive was read: deleted row by row, the changed
    // row stays, and so does its partition
    both(own, triggers, s -> {
      List<Bar> copy = month(s, "2025-02");
      copy.set(7, changedVolume(copy.get(7), copy.get(7).volume() + 1));
      assertEquals(59, s.deleteRows(SRC, copy.iterator()));
    }, List.of("bigmin/AAPL/2025-02-03"), 0, 0, 59);
    // a copy that holds only part of March: row by row as well
    both(own, triggers, s -> assertEquals(10, s.deleteRows(SRC, month(s, "2025-03").subList(0, 10).iterator())),
        List.of("bigmin/AAPL/2025-03-03"), 0, 0, 10);
    for (Side s : List.of(own, triggers)) {
      assertEquals(List.of("tvpart_bigmin_202502", "tvpart_bigmin_202503"), partitions(s), s.name());
      assertEquals(51, readAll(s.store()).size());
      // the month comes back when bars of it are written again
      s.store().write(SRC, Timeframe.MIN_1, minutes("AAPL", "2025-01-30T14:30:00Z", 3, SRC).iterator());
      assertEquals(3, syncAndCompare(s).record().rowsAdded());
    }
  }

  @Test
  void a_partition_changed_by_hand_makes_the_source_compared_in_full_until_create_adopts_it() throws Exception {
    Side s = privileged();
    s.store().createSource(SRC, SourceKind.VENDOR, "minutes", Timeframe.MIN_1, null, Partitioning.MONTHLY);
    s.store().write(SRC, Timeframe.MIN_1, minutes("AAPL", "2025-01-31T23:00:00Z", 120, SRC).iterator());
    syncAndCompare(s);
    assertEquals(List.of(), s.store().changesSince(0).untracked().stream().toList());
    // detaching a month takes its rows out of the source, and fires no trigger
    sql(s.admin(), "ALTER TABLE price_ticks_bigmin DETACH PARTITION tvpart_bigmin_202501");
    assertEquals(List.of(SRC), s.store().changesSince(0).untracked().stream().toList());
    SyncReport r = syncAndCompare(s);
    assertEquals(60, r.record().rowsDeleted(), "the full compare finds the month gone");
    assertTrue(r.warnings().toString().contains("create --source bigmin"), r.warnings().toString());
    // still compared in full, until `create` adopts the partitions as they are now
    assertTrue(syncAndCompare(s).warnings().toString().contains("bigmin"));
    s.store().createSource(SRC, SourceKind.VENDOR, "minutes", Timeframe.MIN_1, null, Partitioning.MONTHLY);
    assertEquals(List.of(), s.store().changesSince(0).untracked().stream().toList());
    assertTrue(marks(s).contains("bigmin//1970-01-01"), "adopting marks the whole source changed");
    assertTrue(syncAndCompare(s).warnings().isEmpty());
    // the detached month's table keeps its name: a write into that month says what is in the way
    StoreException inTheWay = assertThrows(StoreException.class, () -> s.store().write(SRC, Timeframe.MIN_1,
        minutes("AAPL", "2025-01-30T14:30:00Z", 1, SRC).iterator()));
    assertTrue(inTheWay.getMessage().contains("(one detached by hand?) is in the way"), inTheWay.getMessage());
    // a partition attached by hand without tickvault's triggers: its own writes would go unseen
    sql(s.admin(), "CREATE TABLE hand_made (LIKE price_ticks_bigmin INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
        "INSERT INTO hand_made (symbol, price, \"timestamp\", origin) VALUES ('IBM', 10, '2025-06-02 14:30:00+00', "
            + "'bigmin')",
        "ALTER TABLE price_ticks_bigmin ATTACH PARTITION hand_made FOR VALUES FROM ('2025-06-01 00:00:00+00') "
            + "TO ('2025-07-01 00:00:00+00')");
    assertEquals(List.of(SRC), s.store().changesSince(0).untracked().stream().toList());
    assertEquals(1, syncAndCompare(s).record().rowsAdded());
    s.store().createSource(SRC, SourceKind.VENDOR, null, null, null); // installs its triggers, adopts it
    assertEquals(List.of(), s.store().changesSince(0).untracked().stream().toList());
    assertEquals(4, strings(s.admin(), "SELECT tgname FROM pg_trigger WHERE tgrelid = 'hand_made'::regclass").size());
    assertEquals(Partitioning.MONTHLY, s.store().partitioning(SRC), "create without --partition leaves the layout");
  }

  @Test
  void partitioning_is_refused_where_it_cannot_be_kept() throws Exception {
    Side s = privileged();
    SourceName plain = SourceName.of("plainmin");
    s.store().createSource(plain, SourceKind.VENDOR, null, Timeframe.MIN_1, null);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.store().createSource(plain,
        SourceKind.VENDOR, null, null, null, Partitioning.MONTHLY));
    assertTrue(e.getMessage().contains("cannot be partitioned in place") && e.getMessage().contains("migrate"),
        e.getMessage());
    assertEquals(Partitioning.NONE, s.store().partitioning(plain));
    // idempotent for a partitioned one
    s.store().createSource(SRC, SourceKind.VENDOR, null, Timeframe.MIN_1, null, Partitioning.MONTHLY);
    s.store().createSource(SRC, SourceKind.VENDOR, null, Timeframe.MIN_1, null, Partitioning.MONTHLY);
    assertEquals(Partitioning.MONTHLY, s.store().partitioning(SRC));
    // SQLite holds a source in one table
    try (BarStore lite = Stores.open(dir.resolve("prod.db").toString())) {
      InvalidInputException l = assertThrows(InvalidInputException.class, () -> lite.createSource(SRC,
          SourceKind.VENDOR, null, null, null, Partitioning.MONTHLY));
      assertTrue(l.getMessage().contains("needs a PostgreSQL store"), l.getMessage());
      assertTrue(lite.source(SRC).isEmpty(), "nothing created");
    }
    // a month some partition made by hand already covers, under another name: the write fails, naming it
    sql(s.admin(), "CREATE TABLE my_january PARTITION OF price_ticks_bigmin FOR VALUES FROM ('2025-01-01 00:00:00+00') "
        + "TO ('2025-01-20 00:00:00+00')");
    StoreException w = assertThrows(StoreException.class, () -> s.store().write(SRC, Timeframe.MIN_1, minutes("AAPL",
        "2025-01-30T14:30:00Z", 3, SRC).iterator()));
    assertTrue(w.getMessage().contains("partition of 2025-01") && w.getMessage().contains("overlap"), w.getMessage());
    assertEquals(List.of(), readAll(s.store()));
    assertEquals(List.of("my_january"), partitions(s), "nothing made");
  }

  @Test
  void a_row_that_breaks_a_check_of_the_table_fails_the_write_after_its_month_is_made_and_leaves_nothing()
      throws Exception {
    Side s = privileged();
    s.store().createSource(SRC, SourceKind.VENDOR, null, Timeframe.MIN_1, null, Partitioning.MONTHLY);
    s.store().write(SRC, Timeframe.MIN_1, minutes("AAPL", "2025-01-30T14:30:00Z", 3, SRC).iterator());
    // a check added by hand, which the gate does not know: a row of a new month breaking it fails the first COPY
    // like a missing month does (both are check violations); the second COPY, into the made month, says which
    sql(s.admin(), "ALTER TABLE price_ticks_bigmin ADD CONSTRAINT small_volume CHECK (volume < 1005)");
    List<Bar> in = minutes("AAPL", "2025-02-03T14:30:00Z", 10, SRC); // volumes 1000..1009
    StoreException e = assertThrows(StoreException.class, () -> s.store().write(SRC, Timeframe.MIN_1, in.iterator()));
    assertTrue(e.getMessage().contains("small_volume"), e.getMessage());
    assertEquals(List.of("tvpart_bigmin_202501"), partitions(s), "the month made for the write is rolled back too");
    assertEquals(3, readAll(s.store()).size());
  }

  @Test
  void a_bulk_load_analyzes_the_months_it_filled_not_every_partition() throws Exception {
    Side s = privileged();
    s.store().createSource(SRC, SourceKind.VENDOR, null, Timeframe.MIN_1, null, Partitioning.MONTHLY);
    List<Bar> in = new ArrayList<>(minutes("AAPL", "2025-01-01T00:00:00Z", 60_000, SRC)); // Jan 1 .. Feb 11
    in.addAll(minutes("AAPL", "2025-03-03T14:30:00Z", 10, SRC));
    s.store().write(SRC, Timeframe.MIN_1, in.iterator());
    // 44,640 minutes of January, 15,360 of February, 10 of March: none but the write of 60,010 rows is bulk,
    // and no month took 50,000
    assertEquals(List.of(), strings(s.admin(), "SELECT relname FROM pg_stat_user_tables WHERE relname LIKE 'tvpart%' "
        + "AND last_analyze IS NOT NULL"));
    // two symbols of 30,000 minutes from January 1st: 60,000 rows into January, nothing elsewhere
    List<Bar> january = new ArrayList<>(minutes("MSFT", "2025-01-01T00:00:00Z", 30_000, SRC));
    january.addAll(minutes("NVDA", "2025-01-01T00:00:00Z", 30_000, SRC));
    s.store().write(SRC, Timeframe.MIN_1, january.iterator());
    assertEquals(List.of("tvpart_bigmin_202501"), strings(s.admin(), "SELECT relname FROM pg_stat_user_tables "
        + "WHERE relname LIKE 'tvpart%' AND last_analyze IS NOT NULL ORDER BY 1"));
  }

  @Test
  void two_writers_reaching_a_new_month_together_make_it_once() throws Exception {
    Side s = privileged();
    s.store().createSource(SRC, SourceKind.VENDOR, null, Timeframe.MIN_1, null, Partitioning.MONTHLY);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String symbol : List.of("AAPL", "MSFT")) {
        done.add(pool.submit((Callable<Void>) () -> {
          for (int month = 1; month <= 6; month++) {
            s.store().write(SRC, Timeframe.MIN_1, minutes(symbol, "2025-0" + month + "-02T14:30:00Z", 30, SRC)
                .iterator());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(6, partitions(s).size());
    assertEquals(360, readAll(s.store()).size());
    assertEquals(SyncRecord.Mode.FIRST, syncAndCompare(s).record().mode());
  }
}
