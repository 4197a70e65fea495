package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The sync contract with PostgreSQL production (TICKVAULT_TEST_PG_URL, else embedded), plus what
 * only PostgreSQL tracks: writers that bypass tickvault, and transactions that commit late.
 */
class PostgresMirrorSyncTest extends MirrorSyncContract {
  private String url;

  @Override
  protected BarStore newProduction() {
    String u = TestPostgres.newDatabase();
    if (url == null) {
      url = u;
    }
    return Stores.open(storeUrl(u));
  }

  /**
   * The URL tickvault opens production with, given a superuser's URL of its database (plain SQL
   * runs as that superuser). Here the superuser itself, so tickvault's own writes record their
   * changes themselves with the triggers off; {@link PostgresTriggerPathMirrorSyncTest} opens it as
   * a role without that privilege.
   */
  protected String storeUrl(String superuserUrl) {
    return superuserUrl;
  }

  /**
   * A copy of production's database made with {@code CREATE DATABASE ... TEMPLATE} (as a restore of a
   * dump would, it holds the same store id; no trigger fires while it is made).
   */
  @Override
  protected void backUpProduction() {
    production.close();
    TestPostgres.admin("CREATE DATABASE " + dbName() + "_bak TEMPLATE " + dbName());
    production = Stores.open(storeUrl(url));
  }

  /** Production's database dropped and created again from the backup, under the same name. */
  @Override
  protected void restoreProduction() {
    production.close();
    TestPostgres.admin("DROP DATABASE " + dbName(), "CREATE DATABASE " + dbName() + " TEMPLATE " + dbName() + "_bak");
    production = Stores.open(storeUrl(url));
  }

  private String dbName() {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/([a-z0-9_]+)(\\?|$)").matcher(url);
    assertTrue(m.find(), url);
    return m.group(1);
  }

  private Connection plainSql() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  protected void plainSql(String... statements) throws Exception {
    sql(statements);
  }

  @Override
  protected String legacyTableDdl(String table) {
    return io.tickvault.testing.LegacyTables.postgresDdl(table);
  }

  @Override
  protected String plainInsert(String table, String symbol, int minute) {
    return io.tickvault.testing.LegacyTables.postgresInsert(table, symbol, minute);
  }

  @Override
  protected String[] untrackedVolumeChange(String table, String symbol, long micros, long volume) {
    // a session that skips ordinary triggers, as logical replication and pg_restore --disable-triggers do
    return new String[] {"SET session_replication_role = replica", "UPDATE " + table + " SET volume = " + volume
        + " WHERE symbol = '" + symbol + "' AND \"timestamp\" = to_timestamp(" + micros + " / 1000000.0)",
        "SET session_replication_role = origin"};
  }

  /**
   * The role plain SQL runs as (by {@code SET ROLE}, so tables it makes belong to it), except for
   * statements that need the superuser; null: the superuser.
   */
  protected String plainSqlRole(String superuserUrl) {
    return null;
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = plainSql(); Statement s = c.createStatement()) {
      String role = plainSqlRole(url);
      if (role != null && java.util.Arrays.stream(statements).noneMatch(q -> q.contains("session_replication_role")
          || q.matches("(?s)(CREATE ROLE|GRANT|REVOKE|DROP ROLE) .*"))) {
        s.execute("SET ROLE " + role);
      }
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  @Test
  void rows_inserted_updated_and_deleted_with_plain_sql_are_synced() throws Exception {
    seed();
    sync();
    sql("INSERT INTO price_ticks_synthetic (symbol, price, \"timestamp\", open_price, high_price, low_price, "
            + "close_price, volume, trade_count, vwap, origin) VALUES "
            + "('NVDA', 140.5, '2025-01-15 15:00:00+00', 140, 141, 139.5, 140.5, 1000, 12, 140.25, 'synthetic'), "
            + "('NVDA', 140.75, '2025-01-15 15:01:00+00', 140.5, 141, 140.5, 140.75, 900, 11, NULL, 'synthetic')",
        "UPDATE price_ticks_synthetic SET price = 100.5, close_price = 100.5 WHERE symbol = 'AAPL' "
            + "AND \"timestamp\" = '2025-01-16 14:45:00+00'",
        "UPDATE price_ticks_alpaca SET volume = volume * 2",
        "DELETE FROM price_ticks_synthetic WHERE symbol = 'MSFT' AND \"timestamp\" >= '2025-01-18'");
    SyncReport r = sync();
    assertEquals(SyncRecord.Mode.INCREMENTAL, r.record().mode());
    assertEquals(2, r.record().rowsAdded());
    assertEquals(1 + 60, r.record().rowsChanged());
    assertEquals(60, r.record().rowsDeleted());
    assertEquals(4, r.record().chunksChecked()); // NVDA/15, AAPL/16, BRK.B/15, MSFT/18
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_table_created_and_filled_with_plain_sql_and_a_truncate_are_synced() throws Exception {
    seed();
    sync();
    production.createSource(SourceName.of("desk_feed"), SourceKind.VENDOR, "written by a service");
    sql("INSERT INTO price_ticks_desk_feed (symbol, price, \"timestamp\", origin) VALUES "
        + "('EURUSD', 1.0321, '2025-01-20 09:00:00+00', 'desk_feed')",
        "TRUNCATE price_ticks_alpaca");
    SyncReport r = sync();
    assertEquals(1, of(r, SourceName.of("desk_feed")).rowsAdded());
    assertEquals(60, of(r, ALPACA).rowsDeleted());
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA, SourceName.of("desk_feed")));
  }

  @Test
  void a_writer_that_started_before_a_sync_and_commits_after_it_is_picked_up_by_the_next_sync() throws Exception {
    seed();
    sync();
    try (Connection late = plainSql(); Statement s = late.createStatement()) {
      late.setAutoCommit(false);
      // the late writer takes its transaction id first...
      s.execute("INSERT INTO price_ticks_synthetic (symbol, price, \"timestamp\", origin) VALUES "
          + "('LATE', 10, '2025-01-15 15:00:00+00', 'synthetic')");
      // ...then a later transaction commits a change of its own
      sql("INSERT INTO price_ticks_synthetic (symbol, price, \"timestamp\", origin) VALUES "
          + "('EARLY', 20, '2025-01-15 15:00:00+00', 'synthetic')");
      SyncReport during = sync();
      assertEquals(1, during.record().rowsAdded(), "only the committed writer is visible");
      late.commit();
    }
    SyncReport after = sync();
    assertEquals(1, after.record().rowsAdded(), "the late commit is not skipped");
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void a_bar_that_fails_the_validation_gate_stops_the_sync_and_leaves_the_mirror_as_it_was() throws Exception {
    seed();
    sync();
    Lineage before = mirror.lineage().orElseThrow();
    sql("INSERT INTO price_ticks_synthetic (symbol, price, \"timestamp\", open_price, high_price, low_price, "
        + "close_price, origin) VALUES ('BAD', 10, '2025-01-15 15:00:00+00', 10, 9, 11, 10, 'synthetic')");
    MirrorException e = assertThrows(MirrorException.class, this::sync);
    assertTrue(e.getMessage().contains("BAD"), e.getMessage());
    assertTrue(e.getMessage().contains("low 11.0000 is above high 9.0000"), e.getMessage());
    assertTrue(mirror.verify(null, null).ok());
    assertEquals(1, mirror.lineage().orElseThrow().syncCount());
    // the mirror's data and lineage are as they were; only its log of attempts has one more, failed, entry
    assertEquals(before, mirror.lineage().orElseThrow(), "mirror unchanged");
    SyncLogEntry failed = mirror.syncLog(1).get(0);
    assertFalse(failed.ok());
    assertEquals(e.getMessage(), failed.error());
  }

  @Test
  void a_role_that_may_only_read_production_syncs_and_verifies_the_mirror() throws Exception {
    seed();
    String role = "tv_ro_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String db = url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
    sql("CREATE ROLE " + role + " LOGIN PASSWORD 'ro'", "GRANT CONNECT ON DATABASE " + db + " TO " + role,
        "GRANT USAGE ON SCHEMA public TO " + role, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
        "ALTER ROLE " + role + " SET default_transaction_read_only = on"); // as on a hot standby
    try (BarStore readOnly = Stores.open(url.replaceFirst("\\?.*$", "") + "?user=" + role + "&password=ro")) {
      assertEquals(production.info().storeId(), readOnly.info().storeId());
      SyncReport first = mirror.sync(readOnly, SyncOptions.INCREMENTAL);
      assertEquals(510, first.record().rowsAdded());
      production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-20T14:30:00Z", 7, SYN).iterator());
      SyncReport next = mirror.sync(readOnly, SyncOptions.INCREMENTAL);
      assertEquals(SyncRecord.Mode.INCREMENTAL, next.record().mode());
      assertEquals(7, next.record().rowsAdded());
      assertTrue(mirror.verify(readOnly, null).ok());
    }
    assertMirrorEqualsProduction(Set.of(SYN, ALPACA));
  }

  @Test
  void lineage_never_holds_credentials() {
    seed();
    sync();
    Lineage l = mirror.lineage().orElseThrow();
    String all = l.toString();
    assertFalse(all.contains("password"), all);
    assertFalse(all.contains("user="), all);
    assertEquals("postgresql", l.productionEngine());
    assertTrue(l.productionPort() > 0);
  }
}
