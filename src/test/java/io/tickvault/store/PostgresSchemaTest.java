package io.tickvault.store;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.postgres.PostgresBarStore;
import io.tickvault.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL production must do about tables, triggers, schemas and roles it did not set up
 * itself: change tracking on tables created outside tickvault, renamed tables, a schema named after
 * the user first in {@code search_path}, and opening an initialised store without DDL (read-only
 * roles, replicas).
 */
class PostgresSchemaTest {
  private static final SourceName LEGACY = SourceName.of("legacy");
  private static final String LEGACY_DDL = "CREATE TABLE price_ticks_legacy (symbol VARCHAR(10) NOT NULL, "
      + "price DECIMAL(10,4) NOT NULL, \"timestamp\" TIMESTAMPTZ NOT NULL, open_price DECIMAL(10,4), "
      + "high_price DECIMAL(10,4), low_price DECIMAL(10,4), close_price DECIMAL(10,4), volume BIGINT NOT NULL DEFAULT 0, "
      + "trade_count INTEGER NOT NULL DEFAULT 0, vwap DECIMAL(10,4), origin VARCHAR(40) NOT NULL DEFAULT 'legacy', "
      + "PRIMARY KEY (symbol, \"timestamp\"))";
  private static final Chunk AAPL_15 = new Chunk(LEGACY, Symbol.of("AAPL"), LocalDate.parse("2025-01-15"));

  private String url;

  @BeforeEach
  void database() {
    url = TestPostgres.newDatabase();
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  private static final String INSERT_AAPL = "INSERT INTO price_ticks_legacy (symbol, price, \"timestamp\") "
      + "VALUES ('AAPL', 10, '2025-01-15 15:00:00+00')";

  @Test
  void a_table_created_with_plain_sql_is_reported_as_untracked_until_create_installs_the_triggers() throws Exception {
    try (BarStore p = Stores.open(url)) {
      sql(LEGACY_DDL);
      long t0 = p.changesSince(-1).token();
      sql(INSERT_AAPL);
      ChangeSet before = p.changesSince(t0);
      assertTrue(before.wholeSources().contains(LEGACY), "no triggers: compare the table whole " + before);
      assertTrue(before.untracked().contains(LEGACY), before.toString());

      p.createSource(LEGACY, SourceKind.VENDOR, "made by hand"); // `tickvault create --source legacy`
      long t1 = p.changesSince(-1).token();
      sql("UPDATE price_ticks_legacy SET volume = 7");
      ChangeSet after = p.changesSince(t1);
      assertEquals(List.of(AAPL_15), after.chunks());
      assertFalse(after.wholeSources().contains(LEGACY), after.toString());
      assertTrue(after.untracked().isEmpty(), after.toString());
    }
  }

  @Test
  void a_source_whose_triggers_were_dropped_or_disabled_is_reported_until_create_reinstalls_them() throws Exception {
    try (BarStore p = Stores.open(url)) {
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      long t0 = p.changesSince(-1).token();
      sql("DROP TRIGGER tickvault_track_del ON price_ticks_legacy");
      assertTrue(p.changesSince(t0).untracked().contains(LEGACY));
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      assertTrue(p.changesSince(t0).untracked().isEmpty());

      sql("ALTER TABLE price_ticks_legacy ENABLE REPLICA TRIGGER tickvault_track_upd"); // fires only for replicas
      assertTrue(p.changesSince(t0).untracked().contains(LEGACY));
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      assertTrue(p.changesSince(t0).untracked().isEmpty());

      sql("ALTER TABLE price_ticks_legacy DISABLE TRIGGER tickvault_track_ins");
      assertTrue(p.changesSince(t0).wholeSources().contains(LEGACY));
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      long t1 = p.changesSince(-1).token();
      sql(INSERT_AAPL);
      ChangeSet cs = p.changesSince(t1);
      assertEquals(List.of(AAPL_15), cs.chunks());
      assertTrue(cs.wholeSources().isEmpty(), cs.toString());
    }
  }

  @Test
  void a_renamed_table_records_its_changes_under_its_new_source_name() throws Exception {
    try (BarStore p = Stores.open(url)) {
      p.createSource(SourceName.of("old_feed"), SourceKind.VENDOR, null);
      sql("ALTER TABLE price_ticks_old_feed RENAME TO price_ticks_legacy");
      long t0 = p.changesSince(-1).token();
      sql(INSERT_AAPL);
      ChangeSet cs = p.changesSince(t0);
      assertEquals(List.of(AAPL_15), cs.chunks(), "recorded under the table's current name");
    }
  }

  @Test
  void a_schema_named_after_the_user_first_in_the_search_path_is_used_for_every_statement() throws Exception {
    sql("CREATE SCHEMA " + user());
    try (BarStore p = Stores.open(url)) {
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      p.createSource(LEGACY, SourceKind.VENDOR, null); // failed before: checked public., created in current_schema()
      p.write(LEGACY, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, LEGACY).iterator());
      assertEquals(3, p.stats(LEGACY, BarFilter.ALL).rows());
      long t0 = p.changesSince(-1).token();
      // a writer whose search_path does not hold tickvault's schema still gets its change recorded
      sql("SET search_path = public; INSERT INTO " + user() + ".price_ticks_legacy (symbol, price, \"timestamp\") "
          + "VALUES ('AAPL', 10, '2025-01-15 15:00:00+00')");
      assertEquals(List.of(AAPL_15), p.changesSince(t0).chunks());
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT table_schema FROM information_schema.tables "
             + "WHERE table_name = 'price_ticks_legacy'")) {
      assertTrue(rs.next());
      assertEquals(user(), rs.getString(1));
      assertFalse(rs.next(), "one table, in the user's schema");
    }
  }

  @Test
  void an_initialised_store_opens_without_ddl_for_a_role_that_may_only_read() throws Exception {
    try (BarStore owner = Stores.open(url)) {
      owner.createSource(LEGACY, SourceKind.VENDOR, null);
      owner.write(LEGACY, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 5, LEGACY).iterator());
    }
    String readerUrl = role("tv_reader", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
        // what a hot standby does to every transaction: any DDL or write fails
        "ALTER ROLE {role} SET default_transaction_read_only = on");
    try (BarStore reader = Stores.open(readerUrl)) {
      assertEquals(List.of(LEGACY), reader.sources().stream().map(SourceRecord::name).toList());
      assertEquals(5, reader.stats(LEGACY, BarFilter.ALL).rows());
      ChangeSet cs = reader.changesSince(-1);
      assertTrue(cs.token() > 0);
      assertNotNull(reader.generation(LEGACY));
      assertNotNull(reader.info().storeId());
    }
  }

  @Test
  void a_store_of_an_earlier_version_is_upgraded_once_by_the_first_open() throws Exception {
    try (BarStore p = Stores.open(url)) {
      p.createSource(LEGACY, SourceKind.VENDOR, null);
    }
    // as an earlier tickvault left it: no schema version, functions that take the source from TG_ARGV
    sql("DELETE FROM tickvault_meta WHERE key = 'schema_version'",
        "CREATE OR REPLACE FUNCTION tickvault_track_new() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
            + "INSERT INTO tickvault_changes (source, symbol, day, xid) SELECT DISTINCT TG_ARGV[0], symbol, "
            + "(\"timestamp\" AT TIME ZONE 'UTC')::date, pg_current_xact_id() FROM new_rows "
            + "ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid; RETURN NULL; END $f$");
    try (BarStore p = Stores.open(url)) {
      long t0 = p.changesSince(-1).token();
      sql(INSERT_AAPL);
      assertEquals(List.of(AAPL_15), p.changesSince(t0).chunks(), "the old trigger now calls the new function");
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM tickvault_meta WHERE key = 'schema_version'")) {
      assertTrue(rs.next());
      assertEquals(Integer.toString(PostgresBarStore.SCHEMA_VERSION), rs.getString(1));
    }
  }

  @Test
  void a_role_that_may_only_read_is_told_what_to_do_on_a_database_tickvault_never_set_up() throws Exception {
    String readerUrl = role("tv_reader", "ALTER ROLE {role} SET default_transaction_read_only = on");
    StoreException e = assertThrows(StoreException.class, () -> Stores.open(readerUrl).close());
    assertTrue(e.getMessage().contains("needs " + PostgresBarStore.SCHEMA_VERSION), e.getMessage());
    assertTrue(e.getMessage().contains("open the store once with a role that may create tables"), e.getMessage());
    assertFalse(e.getMessage().contains("password=reader"), e.getMessage());
  }

  @Test
  void a_writer_that_does_not_own_an_untracked_table_still_writes_and_the_table_stays_reported() throws Exception {
    try (BarStore owner = Stores.open(url)) {
      sql(LEGACY_DDL);
      String writerUrl = role("tv_writer", "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
          + "TO {role}", "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}");
      try (BarStore writer = Stores.open(writerUrl)) {
        writer.createSource(LEGACY, SourceKind.VENDOR, "ingest role"); // cannot install triggers: not the owner
        writer.write(LEGACY, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 5, LEGACY).iterator());
        assertEquals(5, writer.stats(LEGACY, BarFilter.ALL).rows());
      }
      assertTrue(owner.changesSince(-1).untracked().contains(LEGACY));
      owner.createSource(LEGACY, SourceKind.VENDOR, "ingest role"); // the owner can
      assertTrue(owner.changesSince(-1).untracked().isEmpty());
    }
  }

  /**
   * Creates a login role with the given grants on this database ({@code {role}} in them stands for
   * its name, unique: roles belong to the whole server); returns a store URL for it.
   */
  private String role(String prefix, String... grants) throws SQLException {
    String name = prefix + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < grants.length; i++) {
      grants[i] = grants[i].replace("{role}", name);
    }
    String db = url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
    sql("CREATE ROLE " + name + " LOGIN PASSWORD 'reader'", "GRANT CONNECT ON DATABASE " + db + " TO " + name,
        "GRANT USAGE ON SCHEMA public TO " + name);
    sql(grants);
    return url.replaceFirst("\\?.*$", "") + "?user=" + name + "&password=reader";
  }

  @Test
  void the_generation_of_a_source_changes_when_its_table_is_dropped_and_created_again() throws Exception {
    try (BarStore p = Stores.open(url)) {
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      String g1 = p.generation(LEGACY);
      assertEquals(g1, p.generation(LEGACY));
      sql("DROP TABLE price_ticks_legacy");
      assertEquals(null, p.generation(LEGACY));
      p.createSource(LEGACY, SourceKind.VENDOR, null);
      assertNotEquals(g1, p.generation(LEGACY));
      long t0 = p.changesSince(-1).token();
      p.dropSource(LEGACY);
      assertTrue(p.changesSince(t0).wholeSources().contains(LEGACY), "a drop is recorded as a whole-source change");
    }
  }

  private String user() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
