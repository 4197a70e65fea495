package io.tickvault.mirror;

import static io.tickvault.testing.Bars.bar;
import static io.tickvault.mirror.PgSides.changedVolume;
import static io.tickvault.mirror.PgSides.marks;
import static io.tickvault.mirror.PgSides.readAll;
import static io.tickvault.mirror.PgSides.sql;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.StoreException;
import io.tickvault.store.postgres.PostgresBarStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import io.tickvault.mirror.PgSides.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tickvault's own writes into PostgreSQL are tracked two ways: with the change-tracking triggers
 * switched off and the chunks recorded by tickvault itself (a role that may set
 * {@code session_replication_role}), or by the triggers (any other role). Both paths run the same
 * writes side by side, each in its own database; after every write the marks of both must be
 * equal, and an incremental sync must bring the mirror exactly to production. A mark too few is a
 * mirror that silently misses a change.
 */
class PostgresOwnChangesTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

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

  private Side unprivileged(String... grants) {
    return sides.unprivileged(grants);
  }

  private static void clearMarks(Side... sides) throws SQLException {
    for (Side s : sides) {
      sql(s.admin(), "DELETE FROM tickvault_changes");
    }
  }

  private static SyncReport syncAndCompare(Side side) {
    return PgSides.syncAndCompare(side, SYN);
  }

  private interface Step {
    void run(BarStore store) throws Exception;
  }

  /**
   * Runs one write on both sides, then: both change logs hold the same marks, which are
   * {@code expected}; an incremental sync of each side brings its mirror to production with the
   * given counts of rows added, changed and deleted.
   */
  private static void both(Side own, Side triggers, Step step, List<String> expected, long added, long changed,
      long deleted) throws Exception {
    clearMarks(own, triggers);
    step.run(own.store());
    step.run(triggers.store());
    assertEquals(marks(triggers), marks(own), "marks of the own path vs the triggers'");
    assertEquals(expected, marks(own), "marks");
    for (Side s : List.of(own, triggers)) {
      SyncReport r = syncAndCompare(s);
      assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode(), s.name());
      assertEquals(added, r.record().rowsAdded(), s.name() + ": added " + r);
      assertEquals(changed, r.record().rowsChanged(), s.name() + ": changed " + r);
      assertEquals(deleted, r.record().rowsDeleted(), s.name() + ": deleted " + r);
    }
  }

  @Test
  void the_role_decides_the_path_and_a_granted_parameter_is_enough() {
    Side own = privileged();
    assertTrue(((PostgresBarStore) own.store()).recordsOwnChanges());
    assertFalse(((PostgresBarStore) unprivileged().store()).recordsOwnChanges());
    // PostgreSQL 15 and later: SET on the one parameter, without superuser
    assertTrue(((PostgresBarStore) unprivileged("GRANT SET ON PARAMETER session_replication_role TO {role}").store())
        .recordsOwnChanges());
  }

  @Test
  void every_own_write_gives_the_marks_the_triggers_give_and_the_mirror_follows_exactly() throws Exception {
    Side own = privileged();
    Side triggers = unprivileged();
    assertTrue(((PostgresBarStore) own.store()).recordsOwnChanges());
    assertFalse(((PostgresBarStore) triggers.store()).recordsOwnChanges());
    for (Side s : List.of(own, triggers)) {
      s.store().createSource(SYN, SourceKind.GENERATED, "generated");
      List<Bar> seed = new ArrayList<>();
      seed.addAll(minutes("AAPL", "2025-01-15T14:30:00Z", 120, SYN));
      seed.addAll(minutes("AAPL", "2025-01-16T14:30:00Z", 120, SYN));
      seed.addAll(minutes("MSFT", "2025-01-17T23:00:00Z", 120, SYN)); // crosses midnight: two chunks
      s.store().write(SYN, Timeframe.MIN_1, seed.iterator());
      assertEquals(SyncRecord.Mode.FIRST, syncAndCompare(s).record().mode());
    }
    // new rows only: the COPY path
    both(own, triggers, s -> s.write(SYN, Timeframe.MIN_1, minutes("NVDA", "2025-01-15T15:00:00Z", 30, SYN)
        .iterator()), List.of("synthetic/NVDA/2025-01-15"), 30, 0, 0);
    // a rerun of one day (unchanged: no mark), one corrected bar and new bars: the merge path
    both(own, triggers, s -> {
      List<Bar> in = new ArrayList<>(minutes("AAPL", "2025-01-15T14:30:00Z", 120, SYN));
      in.add(bar("AAPL", "2025-01-16T14:31:00Z", "123.4567", SYN));
      in.addAll(minutes("MSFT", "2025-01-20T14:30:00Z", 10, SYN));
      s.write(SYN, Timeframe.MIN_1, in.iterator());
    }, List.of("synthetic/AAPL/2025-01-16", "synthetic/MSFT/2025-01-20"), 10, 1, 0);
    // a rerun of everything, unchanged: no mark at all, nothing to sync
    both(own, triggers, s -> s.write(SYN, Timeframe.MIN_1, minutes("NVDA", "2025-01-15T15:00:00Z", 30, SYN)
        .iterator()), List.of(), 0, 0, 0);
    // a replace: the cleared range (two days of MSFT) and the rows written back into one of them
    both(own, triggers, s -> s.replace(SYN, Timeframe.MIN_1, new BarFilter(Symbol.of("MSFT"),
        new TimeRange(Instant.parse("2025-01-17T00:00:00Z"), Instant.parse("2025-01-19T00:00:00Z"))),
        minutes("MSFT", "2025-01-17T23:00:00Z", 60, SYN).stream().map(b -> changedVolume(b, 5)).iterator()),
        List.of("synthetic/MSFT/2025-01-17", "synthetic/MSFT/2025-01-18"), 0, 60, 60);
    // a delete by filter (clean)
    both(own, triggers, s -> assertEquals(30, s.delete(SYN, new BarFilter(Symbol.of("NVDA"), TimeRange.ALL))),
        List.of("synthetic/NVDA/2025-01-15"), 0, 0, 30);
    // deleting rows still equal to a copy (retention after archiving): the day whose rows changed since
    // the copy keeps them and gets no mark
    both(own, triggers, s -> {
      List<Bar> copy = new ArrayList<>();
      s.read(SYN, new BarFilter(Symbol.of("AAPL"), TimeRange.day(LocalDate.parse("2025-01-15"))), copy::add);
      s.read(SYN, new BarFilter(Symbol.of("MSFT"), TimeRange.day(LocalDate.parse("2025-01-20"))),
          b -> copy.add(changedVolume(b, b.volume() + 1)));
      assertEquals(120, s.deleteRows(SYN, copy.iterator()));
    }, List.of("synthetic/AAPL/2025-01-15"), 0, 0, 120);
    // an outside writer, plain SQL through another connection (the store's own role): the triggers track it
    for (Side s : List.of(own, triggers)) {
      clearMarks(s);
      sql(s.url(), "INSERT INTO price_ticks_synthetic (symbol, price, \"timestamp\", origin) VALUES "
          + "('TSLA', 250.5, '2025-01-21 15:00:00+00', 'synthetic')",
          "UPDATE price_ticks_synthetic SET volume = 7 WHERE symbol = 'AAPL' AND \"timestamp\" = '2025-01-16 14:40:00+00'",
          "DELETE FROM price_ticks_synthetic WHERE symbol = 'MSFT' AND \"timestamp\" = '2025-01-20 14:35:00+00'");
      assertEquals(List.of("synthetic/AAPL/2025-01-16", "synthetic/MSFT/2025-01-20", "synthetic/TSLA/2025-01-21"),
          marks(s), s.name());
      SyncReport r = syncAndCompare(s);
      assertEquals(1, r.record().rowsAdded());
      assertEquals(1, r.record().rowsChanged());
      assertEquals(1, r.record().rowsDeleted());
    }
  }

  @Test
  void own_writes_of_the_privileged_path_never_fire_the_triggers() throws Exception {
    Side own = privileged();
    own.store().createSource(SYN, SourceKind.GENERATED, "generated");
    own.store().write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 60, SYN).iterator());
    syncAndCompare(own);
    // every tracking function now fails: a write that fired one would fail with it
    for (String f : List.of("tickvault_track_new", "tickvault_track_old", "tickvault_track_both")) {
      sql(own.admin(), "CREATE OR REPLACE FUNCTION " + f + "() RETURNS trigger LANGUAGE plpgsql AS "
          + "$f$ BEGIN RAISE EXCEPTION 'trigger fired'; END $f$");
    }
    clearMarks(own);
    own.store().write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-16T14:30:00Z", 60, SYN).iterator()); // COPY
    own.store().write(SYN, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:31:00Z", "99.5", SYN)).iterator()); // merge
    own.store().replace(SYN, Timeframe.MIN_1, new BarFilter(Symbol.of("AAPL"), TimeRange.day(LocalDate.parse(
        "2025-01-16"))), minutes("AAPL", "2025-01-16T15:00:00Z", 5, SYN).iterator());
    own.store().delete(SYN, new BarFilter(null, new TimeRange(Instant.parse("2025-01-15T15:00:00Z"),
        Instant.parse("2025-01-15T15:10:00Z"))));
    assertEquals(List.of("synthetic/AAPL/2025-01-15", "synthetic/AAPL/2025-01-16"), marks(own));
    SyncReport r = syncAndCompare(own);
    assertEquals(5, r.record().rowsAdded());
    assertEquals(1, r.record().rowsChanged());
    assertEquals(10, r.record().rowsDeleted());
    // and a plain SQL writer still runs the triggers (here: the failing one)
    SQLException e = assertThrows(SQLException.class, () -> sql(own.admin(),
        "DELETE FROM price_ticks_synthetic WHERE symbol = 'AAPL'"));
    assertTrue(e.getMessage().contains("trigger fired"), e.getMessage());
  }

  @Test
  void a_table_with_another_trigger_or_a_foreign_key_keeps_the_trigger_path_so_nothing_is_skipped() throws Exception {
    Side own = privileged();
    own.store().createSource(SYN, SourceKind.GENERATED, "generated");
    sql(own.admin(), "CREATE TABLE audit (n INTEGER)",
        "CREATE FUNCTION audit_it() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO audit VALUES (1); "
            + "RETURN NULL; END $f$",
        "CREATE TRIGGER audit_writes AFTER INSERT OR UPDATE OR DELETE ON price_ticks_synthetic "
            + "FOR EACH STATEMENT EXECUTE FUNCTION audit_it()");
    own.store().write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 60, SYN).iterator());
    own.store().delete(SYN, new BarFilter(null, new TimeRange(Instant.parse("2025-01-15T15:00:00Z"), null)));
    assertEquals(2, count(own, "SELECT count(*) FROM audit"), "the audit trigger fired for both writes");
    assertEquals(List.of("synthetic/AAPL/2025-01-15"), marks(own));
    syncAndCompare(own);
    // a foreign key into the bars: its check (an internal trigger) must not be switched off either
    sql(own.admin(), "DROP TRIGGER audit_writes ON price_ticks_synthetic", "CREATE TABLE notes (symbol VARCHAR(10), "
        + "t TIMESTAMPTZ, FOREIGN KEY (symbol, t) REFERENCES price_ticks_synthetic (symbol, \"timestamp\"))",
        "INSERT INTO notes VALUES ('AAPL', '2025-01-15 14:30:00+00')");
    assertThrows(StoreException.class, () -> own.store().delete(SYN, new BarFilter(Symbol.of("AAPL"), TimeRange.ALL)));
    assertEquals(30, readAll(own.store(), SYN).size());
  }

  private static long count(Side s, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(s.admin()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
