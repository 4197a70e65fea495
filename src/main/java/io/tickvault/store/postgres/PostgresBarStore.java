package io.tickvault.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.Partitioning;
import io.tickvault.store.SourceTable;
import io.tickvault.store.StoreException;
import io.tickvault.store.StoreInfo;
import io.tickvault.store.jdbc.BarReads;
import io.tickvault.store.jdbc.GateIterator;
import io.tickvault.store.jdbc.JdbcBarStore;
import io.tickvault.store.jdbc.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.sql.Savepoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import io.tickvault.store.BarFilter;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The PostgreSQL engine (production). Writes stream through {@code COPY} into a temporary staging
 * table and are merged with one {@code INSERT ... ON CONFLICT} that leaves unchanged rows alone.
 * Change tracking is done by statement-level triggers with transition tables, so it sees every
 * writer (COPY, plain SQL, other services); each trigger records the touched (source, symbol,
 * day) chunks with the writing transaction's id ({@code xid8}), the source being taken from the
 * table's current name ({@code TG_TABLE_NAME}), so a renamed table records under its new name.
 *
 * <p>Every object lives in {@code current_schema()} (the first existing schema of the
 * {@code search_path}); the trigger functions name tickvault's change log with that schema, so
 * writers with another {@code search_path} are tracked too. Opening a store whose schema is at
 * {@link #SCHEMA_VERSION} runs no DDL and writes nothing, so read-only roles and hot standbys can
 * open it (for {@code list}, {@code sync}, {@code verify}, {@code serve}); the first open after an
 * upgrade needs a role that may create tables and functions. Thread-safe (pooled connections).
 */
public final class PostgresBarStore extends JdbcBarStore {
  /**
   * Version of tickvault's own tables, functions and triggers, kept in {@code tickvault_meta}
   * ({@code schema_version}). 2: functions take the source from {@code TG_TABLE_NAME} and write to
   * the schema-qualified change log. 3: the registry keeps each source's width, time zone and mixed
   * mark (recorded from the rows of sources made before). 4: sources partitioned by month; the
   * functions find a partition's source through its parent, {@code tickvault_partitions} records the
   * partitions tickvault made.
   */
  public static final int SCHEMA_VERSION = 4;

  /** PostgreSQL's SQL dialect (types of a source table and all). */
  public static final PostgresDialect DIALECT = PostgresDialect.INSTANCE;

  /** The names of the trigger functions; a trigger calling one of them is tickvault's tracking. */
  private static final String TRACKING_FUNCTION_PATTERN = "tickvault\\_track\\_%";

  /** INSERT, DELETE, UPDATE and TRUNCATE bits of {@code pg_trigger.tgtype}. */
  private static final int ALL_WRITES = 4 | 8 | 16 | 32;

  /**
   * Bits of {@code tgtype} covered by tickvault triggers of a table that fire for ordinary writers
   * ({@code tgenabled} O: origin, A: always; not D: disabled, R: replica only); 60 when tracked.
   */
  private static final String TRACKED_BITS = trackedBits("c");

  /** {@link #TRACKED_BITS} of the table {@code alias} (a {@code pg_class} row). */
  private static String trackedBits(String alias) {
    return "COALESCE((SELECT bit_or(tg.tgtype::int) & " + ALL_WRITES
        + " FROM pg_trigger tg JOIN pg_proc pr ON pr.oid = tg.tgfoid WHERE tg.tgrelid = " + alias + ".oid "
        + "AND tg.tgenabled IN ('O', 'A') AND pr.proname LIKE '" + TRACKING_FUNCTION_PATTERN + "'), 0)";
  }

  /**
   * True for a source table {@code c} whose writes may escape the change log: it or one of its
   * partitions lacks enabled tracking triggers, or its partitions are not those tickvault made and
   * dropped (a partition attached, detached or dropped by hand changes the source's rows and fires
   * no trigger).
   */
  private static final String UNTRACKED = "(" + TRACKED_BITS + " <> " + ALL_WRITES + " OR (c.relkind = 'p' AND ("
      + "EXISTS (SELECT 1 FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.level > 0 "
      + "AND " + trackedBits("pc") + " <> " + ALL_WRITES + ") "
      + "OR EXISTS (SELECT relid FROM pg_partition_tree(c.oid) WHERE level > 0 "
      + "EXCEPT SELECT relid FROM tickvault_partitions WHERE source = substr(c.relname, 13)) "
      + "OR EXISTS (SELECT relid FROM tickvault_partitions WHERE source = substr(c.relname, 13) "
      + "EXCEPT SELECT relid FROM pg_partition_tree(c.oid) WHERE level > 0))))";

  /** Source tables of the current schema, as {@code pg_class c}. */
  private static final String SOURCE_TABLES = "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
      + "AND c.relname LIKE 'price\\_ticks\\_%'";

  /**
   * The trigger functions, writing to {@code <schema>.tickvault_changes} ({@code %1$s}). Each finds
   * its source with {@code tickvault_source_of}: the table's own name for a source table, its
   * parent's for a month partition of one (a write aimed straight at a partition fires the
   * partition's triggers, not the parent's), null for anything else.
   */
  private static final String TRACKING_FUNCTIONS = """
      CREATE OR REPLACE FUNCTION %1$s.tickvault_source_of(t name, rel oid) RETURNS text LANGUAGE sql STABLE AS $f$
        SELECT CASE WHEN left(t, 12) = 'price_ticks_' THEN CASE WHEN length(t) <= 52 THEN substr(t, 13) END
          ELSE (SELECT substr(p.relname, 13) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                WHERE i.inhrelid = rel AND left(p.relname, 12) = 'price_ticks_' AND length(p.relname) <= 52) END
      $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_new() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE src text := %1$s.tickvault_source_of(TG_TABLE_NAME, TG_RELID);
      BEGIN
        IF src IS NOT NULL THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            SELECT DISTINCT src, symbol, ("timestamp" AT TIME ZONE 'UTC')::date, pg_current_xact_id()
            FROM new_rows ORDER BY 2, 3
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_old() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE src text := %1$s.tickvault_source_of(TG_TABLE_NAME, TG_RELID);
      BEGIN
        IF src IS NOT NULL THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            SELECT DISTINCT src, symbol, ("timestamp" AT TIME ZONE 'UTC')::date, pg_current_xact_id()
            FROM old_rows ORDER BY 2, 3
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_both() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE src text := %1$s.tickvault_source_of(TG_TABLE_NAME, TG_RELID);
      BEGIN
        IF src IS NOT NULL THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            SELECT DISTINCT src, symbol, ("timestamp" AT TIME ZONE 'UTC')::date, pg_current_xact_id()
            FROM (SELECT symbol, "timestamp" FROM old_rows UNION ALL SELECT symbol, "timestamp" FROM new_rows) r
            ORDER BY 2, 3
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_truncate() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE src text := %1$s.tickvault_source_of(TG_TABLE_NAME, TG_RELID);
      BEGIN
        IF src IS NOT NULL THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            VALUES (src, '', DATE '1970-01-01', pg_current_xact_id())
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_row() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE src text := %1$s.tickvault_source_of(TG_TABLE_NAME, TG_RELID);
      BEGIN
        IF src IS NULL THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            VALUES (src, OLD.symbol, (OLD."timestamp" AT TIME ZONE 'UTC')::date, pg_current_xact_id())
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            VALUES (src, NEW.symbol, (NEW."timestamp" AT TIME ZONE 'UTC')::date, pg_current_xact_id())
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      """;

  private final HikariDataSource pool;
  private final boolean timescale;

  private PostgresBarStore(StoreInfo info, HikariDataSource pool, boolean timescale) {
    super(info, PostgresDialect.INSTANCE);
    this.pool = pool;
    this.timescale = timescale;
  }

  /**
   * A session advisory lock on a connection of the pool held until the handle is closed; the
   * key is the first 8 bytes of SHA-256 of the schema and {@code name}. The server drops it when
   * the process dies (the connection closes).
   */
  @Override
  public Optional<AutoCloseable> tryLock(String name) {
    requireWritable("lock " + name);
    Connection c = null;
    try {
      c = connect();
      String schema;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
        rs.next();
        schema = rs.getString(1);
      }
      long key = java.nio.ByteBuffer.wrap(java.security.MessageDigest.getInstance("SHA-256")
          .digest(("tickvault:" + schema + ":" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8))).getLong();
      boolean got;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          got = rs.getBoolean(1);
        }
      }
      if (!got) {
        c.close();
        return Optional.empty();
      }
      Connection held = c;
      return Optional.of(() -> {
        try (held; PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          ps.setLong(1, key);
          ps.execute();
        }
      });
    } catch (SQLException | java.security.NoSuchAlgorithmException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw wrap("lock " + name, e);
    }
  }

  /**
   * Opens a PostgreSQL store. The first open (and the first after an upgrade of tickvault's schema)
   * creates tickvault's tables and functions; later opens only read {@code tickvault_meta}.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/db} without credentials
   */
  public static PostgresBarStore open(String jdbcUrl, String user, String password, String host, int port,
      String database) {
    return open(jdbcUrl, user, password, host, port, database, true);
  }

  /**
   * {@link #open(String, String, String, String, int, String)}; unless {@code mayCreate}, a database
   * without tickvault's tables is a {@link NotFoundException} and nothing is created in it.
   */
  public static PostgresBarStore open(String jdbcUrl, String user, String password, String host, int port,
      String database, boolean mayCreate) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(jdbcUrl);
    if (user != null) cfg.setUsername(user);
    if (password != null) cfg.setPassword(password);
    cfg.setMaximumPoolSize(6);
    cfg.setMinimumIdle(0);
    cfg.setPoolName("tickvault-pg");
    cfg.setInitializationFailTimeout(-1);
    cfg.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
    cfg.addDataSourceProperty("ApplicationName", "tickvault");
    cfg.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    String location = "postgresql://" + host + ":" + port + "/" + database;
    // The first connection goes straight to the driver: a refused connection or an unknown host
    // fails at once (the pool would retry it for its whole connection timeout), while a slow but
    // reachable server still gets CONNECT_TIMEOUT_SECONDS to connect and to log in.
    Connection first;
    try {
      first = DriverManager.getConnection(jdbcUrl, driverProperties(user, password));
    } catch (SQLException e) {
      throw StoreException.unreachable(location, e);
    }
    HikariDataSource ds = new HikariDataSource(cfg);
    try (Connection c = first) {
      Meta meta = readMeta(c);
      if (!mayCreate && meta.storeId() == null) {
        throw new NotFoundException("no tickvault store in " + location + " (the database has no tickvault tables); "
            + "run `tickvault demo` or `tickvault ingest synthetic` against it to create one, or point --db or "
            + "TICKVAULT_DATABASE_URL at an existing store");
      }
      if (meta.version() < SCHEMA_VERSION || meta.storeId() == null) {
        try {
          new PostgresBarStore(new StoreInfo("postgresql", host, port, database, null, false), ds, false)
              .initSchema(c);
        } catch (SQLException e) {
          throw new StoreException("cannot open store " + location + ": tickvault's tables in this database are "
              + "missing or older than this version needs (schema version " + meta.version() + ", needs "
              + SCHEMA_VERSION + ") and setting them up failed: " + e.getMessage().strip() + "; open the store once "
              + "with a role that may create tables and functions in its schema (e.g. the database owner): later "
              + "opens need only read access", e);
        }
        meta = readMeta(c);
      }
      return new PostgresBarStore(new StoreInfo("postgresql", host, port, database, meta.storeId(), false), ds,
          timescaleAvailable(c));
    } catch (StoreException | NotFoundException e) {
      ds.close();
      throw e;
    } catch (SQLException | RuntimeException e) {
      ds.close();
      throw StoreException.unreachable(location, e);
    }
  }

  /** How long a reachable server may take to accept a connection, and to log it in. */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  private static java.util.Properties driverProperties(String user, String password) {
    java.util.Properties p = new java.util.Properties();
    if (user != null) p.setProperty("user", user);
    if (password != null) p.setProperty("password", password);
    p.setProperty("ApplicationName", "tickvault");
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    return p;
  }

  /** What {@code tickvault_meta} says; version 0 and a null id when it does not exist. */
  private record Meta(int version, String storeId) {}

  /** Reads tickvault's metadata of the current schema without writing anything. */
  private static Meta readMeta(Connection c) throws SQLException {
    if (tableOid(c, "tickvault_meta") == null) {
      return new Meta(0, null);
    }
    int version = 0;
    String id = null;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT key, value FROM tickvault_meta WHERE key IN ('schema_version', 'store_id')")) {
      while (rs.next()) {
        if (rs.getString(1).equals("schema_version")) {
          version = Integer.parseInt(rs.getString(2).strip());
        } else {
          id = rs.getString(2);
        }
      }
    }
    return new Meta(version, id);
  }

  /** The OID of a table of the current schema, or null. */
  private static Long tableOid(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_class c JOIN pg_namespace n "
        + "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** {@code current_schema()} as a quoted identifier, for schema-qualified names in DDL. */
  private static String schemaIdentifier(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT quote_ident(current_schema())")) {
      if (!rs.next() || rs.getString(1) == null) {
        throw new SQLException("no schema to create tickvault's tables in: no schema of the search_path exists");
      }
      return rs.getString(1);
    }
  }

  private void initSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      // Serialise concurrent first-time initialisations.
      c.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(7244390501)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_sources (name VARCHAR(40) PRIMARY KEY, "
          + "kind VARCHAR(16) NOT NULL, description TEXT, created_at TIMESTAMPTZ NOT NULL, timeframe VARCHAR(8), "
          + "timezone VARCHAR(64), mixed TEXT)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_ingest_log (id BIGSERIAL PRIMARY KEY, source VARCHAR(40) NOT NULL, "
          + "origin VARCHAR(40), feed VARCHAR(16), symbols TEXT, range_from TIMESTAMPTZ, range_to TIMESTAMPTZ, "
          + "rows_written BIGINT NOT NULL DEFAULT 0, started TIMESTAMPTZ NOT NULL, finished TIMESTAMPTZ, "
          + "status VARCHAR(16) NOT NULL, detail TEXT)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_changes (source VARCHAR(40) NOT NULL, symbol VARCHAR(10) NOT NULL, "
          + "day DATE NOT NULL, xid XID8 NOT NULL, PRIMARY KEY (source, symbol, day))");
      s.execute("CREATE INDEX IF NOT EXISTS tickvault_changes_xid ON tickvault_changes (xid)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_partitions (source VARCHAR(40) NOT NULL, relid OID NOT NULL, "
          + "PRIMARY KEY (source, relid))");
      s.execute(String.format(TRACKING_FUNCTIONS, schemaIdentifier(c)));
      registry().recordLegacyModels(c);
      Registry.ensureStoreId(c, true);
      s.execute("INSERT INTO tickvault_meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "') "
          + "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value "
          + "WHERE CASE WHEN tickvault_meta.value ~ '^[0-9]{1,9}$' THEN tickvault_meta.value::int < " + SCHEMA_VERSION
          + " ELSE true END"); // never lowers a newer tickvault's version
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  protected Connection connect() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Whether source tables are created as TimescaleDB hypertables. */
  public boolean timescale() {
    return timescale;
  }

  @Override
  protected void prepareStreaming(Connection c) throws SQLException {
    c.setAutoCommit(false); // pgjdbc only uses a cursor (fetch size) inside a transaction
  }

  // ---- DDL ------------------------------------------------------------------------------------

  /**
   * Creates the table if it is missing (in {@code current_schema()}, like every other statement),
   * then installs tickvault's change-tracking triggers unless enabled ones are already there: a
   * table made outside tickvault, or whose triggers were dropped or disabled, gets them from
   * {@code tickvault create --source NAME}. Installing needs the table's owner; checking does not.
   */
  @Override
  protected void createTable(Connection c, SourceName name) throws SQLException {
    createTable(c, name, Partitioning.NONE);
  }

  @Override
  protected String whyNoPartitions() {
    return timescale ? "TimescaleDB is installed in this database, and its hypertables chunk a source's table by time "
        + "already" : null;
  }

  /**
   * {@link #createTable(Connection, SourceName)}; with {@link Partitioning#MONTHLY} a new table is
   * partitioned by range of {@code "timestamp"} (its months are made by the writes), and an existing
   * one must be partitioned so already. For a partitioned table the tracking triggers are checked
   * on every partition too, and the partitions tickvault knows are set to the table's: when they
   * differed (a partition attached, detached or dropped by hand), the whole source is marked changed.
   */
  @Override
  protected void createTable(Connection c, SourceName name, Partitioning partitioning) throws SQLException {
    String t = name.tableName();
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(7244390502)");
      if (tableOid(c, t) == null) {
        if (partitioning == Partitioning.MONTHLY) {
          s.execute(SourceTable.create(t, DIALECT, name.value(), SourceTable.FULL) + " PARTITION BY RANGE (\"timestamp\")");
        } else {
          s.execute(SourceTable.create(t, DIALECT, name.value(), SourceTable.FULL));
          if (timescaleAvailable(c)) {
            s.execute("SELECT create_hypertable('" + t + "', 'timestamp', if_not_exists => TRUE)");
          }
        }
      }
      Partitioning now = partitioning(c, t);
      if (partitioning == Partitioning.MONTHLY && now != Partitioning.MONTHLY) {
        throw new InvalidInputException("source '" + name + "' exists and its table " + t + " is "
            + (isPartitioned(c, t) ? "partitioned, but not by range of \"timestamp\"" : "not partitioned")
            + "; a table cannot be partitioned in place: create a new source with --partition monthly and "
            + "`tickvault migrate` the rows into it");
      }
      List<String> untracked = new ArrayList<>();
      if (!trackedTable(c, t)) {
        untracked.add(t);
      }
      if (isPartitioned(c, t)) {
        untracked.addAll(untrackedPartitions(c, t));
      }
      for (String table : untracked) {
        Savepoint sp = c.setSavepoint();
        try {
          installTracking(c, table);
          c.releaseSavepoint(sp);
        } catch (SQLException e) {
          if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            throw e;
          }
          // a writer that does not own the table (e.g. an ingest role) still writes; the sync
          // compares the untracked table in full and says how to fix it
          c.rollback(sp);
          LOG.warn("cannot install change tracking on {} ({}): run `tickvault create --source {}` as the "
              + "table's owner; until then every mirror sync compares it in full", table, e.getMessage(), name);
        }
      }
      if (now == Partitioning.MONTHLY) {
        adoptPartitions(c, name);
      }
    }
  }

  /**
   * Sets tickvault's record of the source's partitions to the table's; when they differed, marks
   * the whole source changed (rows came or went without a trigger firing).
   */
  private static void adoptPartitions(Connection c, SourceName name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("WITH now AS (SELECT relid FROM pg_partition_tree(?::regclass) "
        + "WHERE level > 0), gone AS (DELETE FROM tickvault_partitions p WHERE p.source = ? AND p.relid NOT IN "
        + "(SELECT relid FROM now) RETURNING 1), added AS (INSERT INTO tickvault_partitions (source, relid) "
        + "SELECT ?, relid FROM now WHERE relid NOT IN (SELECT p.relid FROM tickvault_partitions p "
        + "WHERE p.source = ?) RETURNING 1) SELECT (SELECT COUNT(*) FROM gone) + (SELECT COUNT(*) FROM added)")) {
      ps.setString(1, name.tableName());
      ps.setString(2, name.value());
      ps.setString(3, name.value());
      ps.setString(4, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) > 0) {
          markWhole(c, name);
        }
      }
    }
  }

  // ---- partitions by month --------------------------------------------------------------------

  /**
   * The name of a month's partition: {@code tvpart_<source>_<yyyymm>}. Outside {@code price_ticks_},
   * so a partition is never taken for a source; the source is always found through the parent.
   */
  static String partitionName(SourceName name, YearMonth month) {
    return "tvpart_" + name.value() + "_" + String.format(java.util.Locale.ROOT, "%04d%02d", month.getYear(),
        month.getMonthValue());
  }

  @Override
  public Partitioning partitioning(SourceName name) {
    return withConnection("read the layout of " + name, c -> partitioning(c, name.tableName()));
  }

  /** MONTHLY for a table partitioned by range of {@code "timestamp"} (tickvault's layout), else NONE. */
  private static Partitioning partitioning(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_partkeydef(c.oid) FROM pg_class c JOIN pg_namespace n "
        + "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind = 'p'")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "RANGE (\"timestamp\")".equals(rs.getString(1)) ? Partitioning.MONTHLY : Partitioning.NONE;
      }
    }
  }

  private static boolean isPartitioned(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = "
        + "c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind = 'p'")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The partitions of a partitioned table whose tracking triggers miss a kind of write, by name. */
  private static List<String> untrackedPartitions(Connection c, String table) throws SQLException {
    return partitions(c, table, " AND " + trackedBits("pc") + " <> " + ALL_WRITES);
  }

  /** The partitions of a partitioned table, at every level, by name. */
  private static List<String> partitionNames(Connection c, String table) throws SQLException {
    return partitions(c, table, "");
  }

  /** The partitions ({@code pc}) of a partitioned table meeting {@code condition}, by name. */
  private static List<String> partitions(Connection c, String table, String condition) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT pc.relname FROM pg_partition_tree(?::regclass) pt "
        + "JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.level > 0" + condition + " ORDER BY 1")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * Makes the partitions of the given months that are missing, inside the caller's transaction:
   * each is created on its own and then attached, which locks the parent only against other DDL
   * (readers and writers of the source go on); its tracking triggers are installed before it
   * holds a row. One writer at a time per source makes months (an advisory lock held to commit),
   * so two writers reaching a new month together make it once. A month some other partition
   * already covers (made by hand under another name) is an error that names it.
   */
  private static void ensurePartitions(Connection c, SourceName name, Set<YearMonth> months) throws SQLException {
    if (months.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7244390503))")) {
      ps.setString(1, "tickvault:partitions:" + name.value());
      ps.execute();
    }
    Set<String> existing = new HashSet<>(partitionNames(c, name.tableName()));
    String t = name.tableName();
    for (YearMonth m : new TreeSet<>(months)) {
      String p = partitionName(name, m);
      if (existing.contains(p)) {
        continue;
      }
      Savepoint sp = c.setSavepoint();
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + p + " (LIKE " + t + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        installTracking(c, p);
        s.execute("ALTER TABLE " + t + " ATTACH PARTITION " + p + " FOR VALUES FROM ('" + m.atDay(1) + " 00:00:00+00') "
            + "TO ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_partitions (source, relid) "
            + "VALUES (?, ?::regclass) ON CONFLICT DO NOTHING")) {
          ps.setString(1, name.value());
          ps.setString(2, p);
          ps.executeUpdate();
        }
        c.releaseSavepoint(sp);
      } catch (SQLException e) {
        c.rollback(sp);
        // the message is the one shown (the store reports the innermost cause's): the server's error is kept aside
        SQLException named = new SQLException("cannot add the partition of " + m + " to source '" + name + "' (" + p
            + "): " + e.getMessage().strip() + (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) ? "; a writer into a "
            + "source partitioned by month must own its table (or be a member of the role that does) to add months"
            : DUPLICATE_TABLE.equals(e.getSQLState()) ? "; a table of that name that is not a partition of the source "
            + "(one detached by hand?) is in the way: rename or drop it" : ""), e.getSQLState());
        named.addSuppressed(e);
        throw named;
      }
    }
  }

  /** The month partition of {@code month} of the source, by name and parent, or null. */
  private static String partitionOf(Connection c, SourceName name, YearMonth month) throws SQLException {
    String p = partitionName(name, month);
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_inherits i WHERE i.inhrelid = to_regclass(?) "
        + "AND i.inhparent = ?::regclass")) {
      ps.setString(1, p);
      ps.setString(2, name.tableName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? p : null;
      }
    }
  }

  /** Records a change of the whole source: a mirror compares all of it at its next sync. */
  private static void markWhole(Connection c, SourceName name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_changes (source, symbol, day, xid) "
        + "VALUES (?, '', DATE '1970-01-01', pg_current_xact_id()) "
        + "ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid")) {
      ps.setString(1, name.value());
      ps.executeUpdate();
    }
  }

  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final String DUPLICATE_TABLE = "42P07";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresBarStore.class);

  /**
   * Whether enabled tickvault triggers of the table (a source table or a partition of one) cover
   * INSERT, UPDATE, DELETE and TRUNCATE.
   */
  private static boolean trackedTable(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + TRACKED_BITS + " FROM pg_class c JOIN pg_namespace n "
        + "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) == ALL_WRITES;
      }
    }
  }

  private static void installTracking(Connection c, String t) throws SQLException {
    String schema = schemaIdentifier(c);
    List<String> triggers = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      if (isHypertable(c, t)) {
        // Hypertables do not support transition tables: track with a row-level trigger.
        s.execute("CREATE OR REPLACE TRIGGER tickvault_track AFTER INSERT OR UPDATE OR DELETE ON " + t
            + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".tickvault_track_row()");
        triggers.add("tickvault_track");
      } else {
        s.execute("CREATE OR REPLACE TRIGGER tickvault_track_ins AFTER INSERT ON " + t + " REFERENCING NEW TABLE AS "
            + "new_rows FOR EACH STATEMENT EXECUTE FUNCTION " + schema + ".tickvault_track_new()");
        s.execute("CREATE OR REPLACE TRIGGER tickvault_track_upd AFTER UPDATE ON " + t
            + " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
            + "EXECUTE FUNCTION " + schema + ".tickvault_track_both()");
        s.execute("CREATE OR REPLACE TRIGGER tickvault_track_del AFTER DELETE ON " + t + " REFERENCING OLD TABLE AS "
            + "old_rows FOR EACH STATEMENT EXECUTE FUNCTION " + schema + ".tickvault_track_old()");
        triggers.addAll(List.of("tickvault_track_ins", "tickvault_track_upd", "tickvault_track_del"));
      }
      s.execute("CREATE OR REPLACE TRIGGER tickvault_track_trunc AFTER TRUNCATE ON " + t
          + " FOR EACH STATEMENT EXECUTE FUNCTION " + schema + ".tickvault_track_truncate()");
      triggers.add("tickvault_track_trunc");
      for (String trigger : triggers) {
        s.execute("ALTER TABLE " + t + " ENABLE TRIGGER " + trigger); // a replaced trigger keeps its state
      }
    }
  }

  private static boolean isHypertable(Connection c, String table) throws SQLException {
    if (!timescaleAvailable(c)) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM timescaledb_information.hypertables "
        + "WHERE hypertable_schema = current_schema() AND hypertable_name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public String generation(SourceName name) {
    return withConnection("read the generation of " + name, c -> {
      Long oid = tableOid(c, name.tableName());
      return oid == null ? null : "oid:" + oid;
    });
  }

  /** Records the drop as a whole-source change, so a mirror compares whatever takes the name next. */
  @Override
  protected void afterDrop(Connection c, SourceName name) throws SQLException {
    markWhole(c, name);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM tickvault_partitions WHERE source = ?")) {
      ps.setString(1, name.value());
      ps.executeUpdate();
    }
  }

  private static boolean timescaleAvailable(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")) {
      return rs.next();
    }
  }

  @Override
  protected List<String> tableNames(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT c.relname " + SOURCE_TABLES)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  // ---- bulk write -----------------------------------------------------------------------------

  /**
   * Fast path first: COPY straight into the target inside a savepoint, which is what new data
   * (the common case) needs. The rendered rows are spooled to a temporary file as they stream; if
   * the COPY hits an existing key (SQLSTATE 23505) the savepoint is rolled back and the spool is
   * merged through a staging table with {@code INSERT ... ON CONFLICT DO UPDATE} (last duplicate
   * wins, unchanged rows untouched). Either way the caller's transaction makes it atomic.
   *
   * <p>Into a source partitioned by month, a row of a month without its partition fails the COPY
   * (SQLSTATE 23514); the stream goes on into the spool, the months the rows fall in are made
   * ({@link #ensurePartitions}), and the spool is copied again (or merged, on a key that exists).
   */
  @Override
  protected Written bulkWrite(Connection c, SourceName target, GateIterator bars) throws SQLException {
    GateIterator gate = bars;
    Path spool;
    try {
      spool = Files.createTempFile("tickvault-copy-", ".tsv");
    } catch (IOException e) {
      throw new SQLException("cannot create a spool file in " + System.getProperty("java.io.tmpdir"), e);
    }
    try {
      long rows = 0;
      boolean monthly = partitioning(c, target.tableName()) == Partitioning.MONTHLY;
      Map<YearMonth, long[]> months = monthly ? new HashMap<>() : null; // rows handed over per month
      long[] monthRows = null;
      long monthFrom = Long.MAX_VALUE;
      long monthTo = Long.MIN_VALUE;
      CopyFailure failure = CopyFailure.NONE;
      String restore = bypassTriggers(c, target); // before the savepoint: rolling back to it keeps the setting
      Set<Chunk> chunks = restore == null ? null : new HashSet<>();
      Symbol chunkSymbol = null;
      long chunkDay = Long.MIN_VALUE;
      Savepoint sp = c.setSavepoint();
      CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY " + target.tableName() + " (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
      try (OutputStream out = Files.newOutputStream(spool)) {
        CopyBinary data = new CopyBinary();
        data.header();
        while (bars.hasNext()) {
          Bar b = bars.next();
          data.append(b);
          rows++;
          if (chunks != null) {
            long day = Math.floorDiv(b.timestamp().getEpochSecond(), 86_400L);
            if (day != chunkDay || !b.symbol().equals(chunkSymbol)) {
              chunkSymbol = b.symbol();
              chunkDay = day;
              chunks.add(new Chunk(target, chunkSymbol, LocalDate.ofEpochDay(day)));
            }
          }
          if (months != null) {
            long second = b.timestamp().getEpochSecond();
            if (second < monthFrom || second >= monthTo) {
              YearMonth m = YearMonth.from(b.timestamp().atOffset(ZoneOffset.UTC));
              monthRows = months.computeIfAbsent(m, k -> new long[1]);
              monthFrom = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
              monthTo = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            }
            monthRows[0]++;
          }
          if (data.size() >= 1 << 16) {
            out.write(data.buffer(), 0, data.size());
            if (failure == CopyFailure.NONE) {
              failure = writeCopy(copy, data.buffer(), data.size(), monthly);
            }
            data.reset();
          }
        }
        data.trailer();
        out.write(data.buffer(), 0, data.size());
        if (failure == CopyFailure.NONE) {
          failure = writeCopy(copy, data.buffer(), data.size(), monthly);
        }
        if (failure == CopyFailure.NONE) {
          try {
            copy.endCopy();
          } catch (SQLException e) {
            failure = CopyFailure.of(e, monthly);
          }
        }
      } catch (IOException e) {
        throw new SQLException("cannot write spool file " + spool, e);
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
      if (failure != CopyFailure.NONE) {
        c.rollback(sp);
        if (monthly) {
          ensurePartitions(c, target, months.keySet());
        }
        if (failure == CopyFailure.NO_PARTITION) {
          // the months exist now: the spool goes in as the first COPY would have
          sp = c.setSavepoint();
          failure = copySpool(c, target, spool);
          if (failure != CopyFailure.NONE) {
            c.rollback(sp);
          }
        }
      }
      Written written;
      if (failure == CopyFailure.NONE) {
        c.releaseSavepoint(sp);
        written = new Written(rows, 0, 0); // COPY succeeded: every key handed over was new and appeared once
        if (restore != null) {
          recordChunks(c, target, chunks);
        }
      } else {
        written = mergeSpool(c, target, spool, gate.sorted(), restore != null, monthly);
      }
      if (restore != null) {
        restoreTriggers(c, restore);
      }
      if (written.added() + written.replaced() >= ANALYZE_AFTER_ROWS) {
        // fresh statistics of the key for the reads that follow a bulk load (they filter on symbol and time);
        // half the cost of the whole row's, and autovacuum still analyzes the rest later (a column list does
        // not reset its count of changed rows). A partitioned table's ANALYZE samples every partition, so
        // there only the months that took a bulk load are analyzed (autovacuum analyzes partitions too)
        List<String> tables = new ArrayList<>();
        if (months == null) {
          tables.add(target.tableName());
        } else {
          for (Map.Entry<YearMonth, long[]> m : new TreeMap<>(months).entrySet()) {
            String p = m.getValue()[0] >= ANALYZE_AFTER_ROWS ? partitionOf(c, target, m.getKey()) : null;
            if (p != null) {
              tables.add(p);
            }
          }
        }
        try (Statement s = c.createStatement()) {
          for (String t : tables) {
            s.execute("ANALYZE " + t + " (symbol, \"timestamp\")");
          }
        }
      }
      return written;
    } finally {
      try {
        Files.deleteIfExists(spool);
      } catch (IOException e) {
        // a temp file; nothing else to do
      }
    }
  }

  /** Why the fast COPY stopped: it did not, a key that exists, or (partitioned) a month without its partition. */
  private enum CopyFailure {
    NONE, CONFLICT, NO_PARTITION;

    /** The failure {@code e} is, or {@code e} itself when it is neither. */
    static CopyFailure of(SQLException e, boolean monthly) throws SQLException {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException se && UNIQUE_VIOLATION.equals(se.getSQLState())) {
          return CONFLICT;
        }
        // a row without its partition is a check violation ("no partition of relation ... found for row",
        // in the server's language); the gate let no row through that breaks a CHECK, and if one did,
        // the copy after the months are made fails with it again and that failure is thrown
        if (monthly && t instanceof SQLException se && CHECK_VIOLATION.equals(se.getSQLState())) {
          return NO_PARTITION;
        }
      }
      throw e;
    }
  }

  /** COPY of the spool into the target; NONE, or CONFLICT on a key that exists. */
  private static CopyFailure copySpool(Connection c, SourceName target, Path spool) throws SQLException {
    try (InputStream in = Files.newInputStream(spool)) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + target.tableName() + " (" + COLUMNS + ") FROM STDIN "
          + "(FORMAT binary)", in, 1 << 16);
      return CopyFailure.NONE;
    } catch (IOException e) {
      throw new SQLException("cannot read spool file " + spool, e);
    } catch (SQLException e) {
      if (CopyFailure.of(e, false) == CopyFailure.CONFLICT) {
        return CopyFailure.CONFLICT;
      }
      throw e;
    }
  }

  private static final String CHECK_VIOLATION = "23514";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final long ANALYZE_AFTER_ROWS = 50_000;

  /** Writes to the COPY; the failure when the server already failed it with one the caller handles. */
  private static CopyFailure writeCopy(CopyIn copy, byte[] buf, int len, boolean monthly) throws SQLException {
    try {
      copy.writeToCopy(buf, 0, len);
      return CopyFailure.NONE;
    } catch (SQLException e) {
      return CopyFailure.of(e, monthly);
    }
  }

  /**
   * The slow path: spool -> staging table -> one upsert, counted in the same statement: the rows it
   * inserts ({@code xmax = 0}: a fresh row version) are added, the rows it updates are replaced
   * (the update only runs where a value differs), the other distinct keys are unchanged; staged
   * rows beyond the distinct keys are repeats inside the input.
   */
  private Written mergeSpool(Connection c, SourceName target, Path spool, boolean sorted, boolean recordOwn,
      boolean partitioned) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL work_mem = '64MB'");
      s.execute("CREATE TEMP TABLE tickvault_stage (ord BIGINT GENERATED ALWAYS AS IDENTITY, "
          + SourceTable.definitions(DIALECT, null, Set.of()) + ") ON COMMIT DROP");
    }
    try (InputStream in = Files.newInputStream(spool)) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY tickvault_stage (" + COLUMNS + ") FROM STDIN (FORMAT binary)",
          in, 1 << 16);
    } catch (IOException e) {
      throw new SQLException("cannot read spool file " + spool, e);
    }
    String cols = COLUMNS;
    String select = sorted
        ? "SELECT " + cols + " FROM tickvault_stage"
        : "SELECT DISTINCT ON (symbol, \"timestamp\") " + cols + " FROM tickvault_stage "
            + "ORDER BY symbol, \"timestamp\", ord DESC";
    // a fresh row version (xmax = 0) tells an insert from an update; a partitioned table cannot return system
    // columns, so there the keys that existed are read first, in the same statement (and snapshot)
    String existed = "EXISTS (SELECT 1 FROM pre WHERE pre.symbol = w.symbol AND pre.\"timestamp\" = w.\"timestamp\")";
    String sql = "WITH " + (partitioned ? "pre AS MATERIALIZED (SELECT s.symbol, s.\"timestamp\" FROM tickvault_stage s "
        + "WHERE EXISTS (SELECT 1 FROM " + target.tableName() + " x WHERE x.symbol = s.symbol AND x.\"timestamp\" = "
        + "s.\"timestamp\")), " : "") + "w AS (INSERT INTO " + target.tableName() + " AS t (" + cols + ") " + select
        + " ON CONFLICT (symbol, \"timestamp\") DO UPDATE SET price = EXCLUDED.price, open_price = EXCLUDED.open_price, "
        + "high_price = EXCLUDED.high_price, low_price = EXCLUDED.low_price, close_price = EXCLUDED.close_price, "
        + "volume = EXCLUDED.volume, trade_count = EXCLUDED.trade_count, vwap = EXCLUDED.vwap, origin = EXCLUDED.origin "
        + "WHERE (t.price, t.open_price, t.high_price, t.low_price, t.close_price, t.volume, t.trade_count, t.vwap, "
        + "t.origin) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.open_price, EXCLUDED.high_price, EXCLUDED.low_price, "
        + "EXCLUDED.close_price, EXCLUDED.volume, EXCLUDED.trade_count, EXCLUDED.vwap, EXCLUDED.origin) "
        + "RETURNING " + (partitioned ? "" : "(t.xmax = 0) AS inserted, ") + "t.symbol, t.\"timestamp\")"
        + (recordOwn ? ", " + MARKS_OF + "w" + MARKS_END : "")
        + (partitioned ? " SELECT COUNT(*) FILTER (WHERE NOT " + existed + "), COUNT(*) FILTER (WHERE " + existed + ") FROM w"
            : " SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM w");
    long added;
    long replaced;
    long distinct;
    long staged;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (recordOwn) {
        ps.setString(1, target.value());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        added = rs.getLong(1);
        replaced = rs.getLong(2);
      }
    }
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT symbol, \"timestamp\" "
          + "FROM tickvault_stage) k), (SELECT COUNT(*) FROM tickvault_stage)")) {
        rs.next();
        distinct = rs.getLong(1);
        staged = rs.getLong(2);
      }
      s.execute("DROP TABLE tickvault_stage");
    }
    return new Written(added, replaced, distinct - added - replaced, staged - distinct);
  }

  /**
   * In bulk: the rows stream by binary COPY into a temporary table, then one {@code DELETE ...
   * USING} joins it on the key and compares every column. A month of a large source goes in one
   * statement that takes row locks only (readers and writers of other rows go on).
   */
  @Override
  protected long deleteEqualRows(Connection c, SourceName name, Iterator<Bar> rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE tickvault_gone (" + SourceTable.definitions(DIALECT, null, Set.of())
          + ") ON COMMIT DROP");
    }
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
        "COPY tickvault_gone (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
    Instant first = null;
    Instant last = null;
    try {
      CopyBinary data = new CopyBinary();
      data.header();
      while (rows.hasNext()) {
        Bar b = rows.next();
        first = first == null || b.timestamp().isBefore(first) ? b.timestamp() : first;
        last = last == null || b.timestamp().isAfter(last) ? b.timestamp() : last;
        data.append(b);
        if (data.size() >= 1 << 16) {
          copy.writeToCopy(data.buffer(), 0, data.size());
          data.reset();
        }
      }
      data.trailer();
      copy.writeToCopy(data.buffer(), 0, data.size());
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    if (first == null) {
      return 0;
    }
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE tickvault_gone");
    }
    long dropped = dropMonthIfAllGone(c, name, first, last);
    if (dropped >= 0) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE tickvault_gone");
      }
      return dropped;
    }
    String restore = bypassTriggers(c, name);
    // the time range keeps the hash join to the rows of that range, not the whole table
    String delete = "DELETE FROM " + name.tableName() + " t USING tickvault_gone g "
        + "WHERE t.\"timestamp\" >= ? AND t.\"timestamp\" <= ? "
        + "AND t.symbol = g.symbol AND t.\"timestamp\" = g.\"timestamp\" "
        + "AND (t.price, t.open_price, t.high_price, t.low_price, t.close_price, t.volume, t.trade_count, t.vwap, "
        + "t.origin) IS NOT DISTINCT FROM (g.price, g.open_price, g.high_price, g.low_price, g.close_price, g.volume, "
        + "g.trade_count, g.vwap, g.origin)";
    long n;
    try (PreparedStatement ps = c.prepareStatement(restore == null ? delete : "WITH d AS (" + delete
        + " RETURNING t.symbol, t.\"timestamp\"), " + MARKS_OF + "d" + MARKS_END + " SELECT COUNT(*) FROM d")) {
      dialect.bindInstant(ps, 1, first);
      dialect.bindInstant(ps, 2, last);
      n = restore == null ? ps.executeUpdate() : countOf(ps, 3, name);
    }
    if (restore != null) {
      restoreTriggers(c, restore);
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE tickvault_gone");
    }
    return n;
  }

  @Override
  protected long deleteWhere(Connection c, SourceName name, BarFilter filter) throws SQLException {
    String restore = bypassTriggers(c, name);
    if (restore == null) {
      return super.deleteWhere(c, name, filter);
    }
    long n;
    try (PreparedStatement ps = c.prepareStatement("WITH d AS (DELETE FROM " + name.tableName() + BarReads.where(filter)
        + " RETURNING symbol, \"timestamp\"), " + MARKS_OF + "d" + MARKS_END + " SELECT COUNT(*) FROM d")) {
      n = countOf(ps, reads().bindFilter(ps, 1, filter), name);
    }
    restoreTriggers(c, restore);
    return n;
  }

  /**
   * When the rows to delete ({@code tickvault_gone}, between {@code first} and {@code last}) lie in
   * one month of a source partitioned by month, and every row of that month's partition equals one
   * of them in every column, drops the partition instead of deleting its rows one by one: the same
   * rows go, with no dead rows left behind. The partition is locked against writers first (SHARE),
   * so no row can change between the comparison and the drop; the chunks it held are recorded as
   * changed (dropping fires no trigger). Returns the number of rows dropped, or -1 when the month
   * must be deleted row by row (not partitioned, more than one month, or some row differs).
   */
  private long dropMonthIfAllGone(Connection c, SourceName name, Instant first, Instant last) throws SQLException {
    YearMonth month = YearMonth.from(first.atOffset(ZoneOffset.UTC));
    if (!month.equals(YearMonth.from(last.atOffset(ZoneOffset.UTC)))
        || partitioning(c, name.tableName()) != Partitioning.MONTHLY) {
      return -1;
    }
    String p = partitionOf(c, name, month);
    if (p == null) {
      return -1;
    }
    long rows;
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE " + p + " IN SHARE MODE");
      try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM " + p + "), (SELECT COUNT(*) FROM " + p
          + " t WHERE EXISTS (SELECT 1 FROM tickvault_gone g WHERE t.symbol = g.symbol AND t.\"timestamp\" = "
          + "g.\"timestamp\" AND (t.price, t.open_price, t.high_price, t.low_price, t.close_price, t.volume, "
          + "t.trade_count, t.vwap, t.origin) IS NOT DISTINCT FROM (g.price, g.open_price, g.high_price, g.low_price, "
          + "g.close_price, g.volume, g.trade_count, g.vwap, g.origin)))")) {
        rs.next();
        rows = rs.getLong(1);
        if (rows == 0 || rs.getLong(2) != rows) {
          return -1;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_changes (source, symbol, day, xid) "
        + "SELECT DISTINCT ?::varchar, symbol, (\"timestamp\" AT TIME ZONE 'UTC')::date, pg_current_xact_id() FROM "
        + p + " ORDER BY 2, 3 ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid")) {
      ps.setString(1, name.value());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM tickvault_partitions WHERE source = ? "
        + "AND relid = ?::regclass")) {
      ps.setString(1, name.value());
      ps.setString(2, p);
      ps.executeUpdate();
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE " + p);
    }
    LOG.info("dropped partition {} of source {}: its {} rows equal the ones deleted", p, name, rows);
    return rows;
  }

  /** Binds the source of the marks at {@code index} and runs a statement answering one count. */
  private static long countOf(PreparedStatement ps, int index, SourceName name) throws SQLException {
    ps.setString(index, name.value());
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ---- tickvault's own writes: chunks recorded by tickvault, triggers not fired -----------------

  /**
   * A data-modifying CTE {@code m} recording, as the triggers do (same rows, same order, same
   * transaction id), the chunks of the rows of the CTE named right after it, as changes of the
   * source bound to its one parameter; ends with {@link #MARKS_END}.
   */
  private static final String MARKS_OF = "m AS (INSERT INTO tickvault_changes (source, symbol, day, xid) "
      + "SELECT DISTINCT ?::varchar, symbol, (\"timestamp\" AT TIME ZONE 'UTC')::date, pg_current_xact_id() FROM ";
  private static final String MARKS_END = " ORDER BY 2, 3 ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid)";

  /** Whether the role may set session_replication_role; null until asked (once per store). */
  private volatile Boolean replicaRoleAllowed;

  /**
   * Whether this store's own writes run with the change-tracking triggers switched off and record
   * the chunks they touched themselves: the role may set {@code session_replication_role} (a
   * superuser, or from PostgreSQL 15 a role granted {@code SET ON PARAMETER
   * session_replication_role}). Otherwise the triggers track tickvault's writes like any other's.
   */
  public boolean recordsOwnChanges() {
    return withConnection("read the role's privileges", this::replicaRoleAllowed);
  }

  private boolean replicaRoleAllowed(Connection c) throws SQLException {
    Boolean allowed = replicaRoleAllowed;
    if (allowed == null) {
      allowed = mayDisableTriggers(c);
      replicaRoleAllowed = allowed;
    }
    return allowed;
  }

  /**
   * Whether the current role may set {@code session_replication_role}: a superuser may; from
   * PostgreSQL 15 a role granted {@code SET} on the parameter may ({@code has_parameter_privilege}
   * does not exist before 15, where only superusers may).
   */
  static boolean mayDisableTriggers(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT current_setting('is_superuser'), current_setting('server_version_num')::int")) {
      rs.next();
      if ("on".equals(rs.getString(1))) {
        return true;
      }
      if (rs.getInt(2) < 150000) {
        return false;
      }
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT has_parameter_privilege('session_replication_role', 'SET')")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /**
   * Starts an own write into {@code name} inside the caller's transaction: when the role may set
   * {@code session_replication_role}, the table is tracked by tickvault's triggers and nothing else
   * would stop firing (no other enabled trigger, internal ones of foreign keys included, and no rule
   * on the table, its partitions or {@code tickvault_changes}), sets it to {@code replica} for the
   * transaction, so the triggers do not fire, and returns the value to put back; the caller then
   * records the chunks it touched. Null otherwise: the triggers track the write. The table and the
   * change log are locked first, so no trigger can be added between this check and the write.
   */
  private String bypassTriggers(Connection c, SourceName name) throws SQLException {
    if (!replicaRoleAllowed(c)) {
      return null;
    }
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE " + name.tableName() + ", tickvault_changes IN ROW EXCLUSIVE MODE");
    }
    String previous;
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('session_replication_role'), "
        + TRACKED_BITS + ", EXISTS (SELECT 1 FROM pg_trigger tg JOIN pg_proc pr ON pr.oid = tg.tgfoid "
        + "JOIN pg_namespace pn ON pn.oid = pr.pronamespace WHERE tg.tgrelid IN (SELECT c.oid UNION ALL SELECT relid FROM pg_partition_tree(c.oid) "
        + "UNION ALL SELECT ch.oid FROM pg_class ch WHERE ch.relnamespace = c.relnamespace "
        + "AND ch.relname = 'tickvault_changes') AND tg.tgenabled <> 'D' AND NOT (pn.nspname = current_schema() AND pr.proname IN ("
        + "'tickvault_track_new', 'tickvault_track_old', 'tickvault_track_both', 'tickvault_track_truncate', "
        + "'tickvault_track_row'))), EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_enabled <> 'D' AND r.ev_class IN "
        + "(SELECT c.oid UNION ALL SELECT relid FROM pg_partition_tree(c.oid) UNION ALL SELECT ch.oid FROM pg_class ch "
        + "WHERE ch.relnamespace = c.relnamespace AND ch.relname = 'tickvault_changes')) " + SOURCE_TABLES
        + " AND c.relname = ?")) {
      ps.setString(1, name.tableName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getInt(2) != ALL_WRITES || rs.getBoolean(3) || rs.getBoolean(4)) {
          return null;
        }
        previous = rs.getString(1);
      }
    }
    setReplicationRole(c, "replica");
    return previous;
  }

  /** Puts {@code session_replication_role} back after an own write's statements. */
  private static void restoreTriggers(Connection c, String previous) throws SQLException {
    setReplicationRole(c, previous);
  }

  private static void setReplicationRole(Connection c, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('session_replication_role', ?, true)")) {
      ps.setString(1, value);
      ps.execute();
    }
  }

  /** Records the chunks an own COPY wrote, as the insert trigger would have. */
  private static void recordChunks(Connection c, SourceName name, Set<Chunk> chunks) throws SQLException {
    if (chunks.isEmpty()) {
      return;
    }
    String[] symbols = new String[chunks.size()];
    String[] days = new String[chunks.size()];
    int i = 0;
    for (Chunk ch : chunks) {
      symbols[i] = ch.symbol().value();
      days[i++] = ch.day().toString();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_changes (source, symbol, day, xid) "
        + "SELECT ?::varchar, u.symbol, u.day::date, pg_current_xact_id() FROM unnest(?::text[], ?::text[]) "
        + "AS u(symbol, day) ORDER BY 2, 3 ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid")) {
      ps.setString(1, name.value());
      ps.setArray(2, c.createArrayOf("text", symbols));
      ps.setArray(3, c.createArrayOf("text", days));
      ps.executeUpdate();
    }
  }

  // ---- change tracking ------------------------------------------------------------------------

  /**
   * {@code pg:<system identifier>:<database OID>:<timeline>}: the cluster, the database in it and
   * the cluster's history. A dump restored into a new cluster or a new database, or a cluster
   * recovered to an earlier point in time, changes it; transaction ids alone could pass the
   * mirror's position again after a few writes. Null when the role may not read the control data.
   */
  @Override
  public String markChangeLog() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT (SELECT system_identifier FROM pg_control_system())::text, "
             + "(SELECT oid FROM pg_database WHERE datname = current_database())::text, "
             + "(SELECT timeline_id FROM pg_control_checkpoint())::text")) {
      rs.next();
      return "pg:" + rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3);
    } catch (SQLException e) {
      LOG.debug("cannot read the cluster's control data for the change log mark: {}", e.getMessage());
      return null;
    }
  }

  @Override
  public String changeLogBreak(String mark) {
    String now = markChangeLog();
    if (now == null) {
      return null; // cannot tell: transaction ids decide
    }
    if (mark == null || mark.isBlank()) {
      return "the mirror holds no mark of production's change log (its last sync was made by an earlier tickvault), "
          + "so it cannot tell whether production was restored since";
    }
    String[] was = mark.split(":");
    String[] is = now.split(":");
    if (was.length != 4 || !"pg".equals(was[0])) {
      return "the mirror followed the change log of another engine (" + was[0] + ")";
    }
    if (!was[1].equals(is[1])) {
      return "production is now another PostgreSQL cluster (system identifier " + was[1] + " then, " + is[1]
          + " now): it was restored from a dump or copied";
    }
    if (!was[2].equals(is[2])) {
      return "production's database was created again since the last sync (restored from a dump or a template "
          + "copy)";
    }
    if (!was[3].equals(is[3])) {
      return "production's cluster was recovered to an earlier point in time since the last sync (timeline "
          + was[3] + " then, " + is[3] + " now)";
    }
    return null;
  }

  @Override
  public ChangeSet changesSince(long sinceToken) {
    return withConnection("read change log", c -> {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        long token;
        try (ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")) {
          rs.next();
          token = Long.parseLong(rs.getString(1));
        }
        List<Chunk> chunks = new ArrayList<>();
        Set<SourceName> whole = new TreeSet<>();
        Set<SourceName> untracked = new TreeSet<>();
        try (ResultSet rs = s.executeQuery("SELECT c.relname " + SOURCE_TABLES + " AND " + UNTRACKED
            + " ORDER BY 1")) {
          while (rs.next()) {
            SourceName src = SourceName.fromTableName(rs.getString(1));
            if (src != null) {
              untracked.add(src);
            }
          }
        }
        whole.addAll(untracked);
        if (sinceToken >= 0) {
          try (PreparedStatement ps = c.prepareStatement("SELECT source, symbol, day FROM tickvault_changes "
              + "WHERE xid >= ?::text::xid8 ORDER BY source, symbol, day")) {
            ps.setString(1, Long.toString(sinceToken));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                SourceName src = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
                if (src == null) {
                  continue;
                }
                Symbol sym = BarReads.changedSymbol(rs.getString(2));
                if (sym == null) {
                  whole.add(src); // TRUNCATE, a drop, or a symbol no bar can have: compare it all
                } else {
                  chunks.add(new Chunk(src, sym, rs.getObject(3, LocalDate.class)));
                }
              }
            }
          }
        }
        c.commit();
        return new ChangeSet(token, chunks, whole, untracked);
      } finally {
        c.setAutoCommit(true);
      }
    });
  }
}
