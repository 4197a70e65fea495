package io.tickvault.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.NotFoundException;
import io.tickvault.store.ChangeSet;
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
import java.util.ArrayList;
import java.util.HashSet;
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
   * mark (recorded from the rows of sources made before).
   */
  public static final int SCHEMA_VERSION = 3;

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
  private static final String TRACKED_BITS = "COALESCE((SELECT bit_or(tg.tgtype::int) & " + ALL_WRITES
      + " FROM pg_trigger tg JOIN pg_proc pr ON pr.oid = tg.tgfoid WHERE tg.tgrelid = c.oid "
      + "AND tg.tgenabled IN ('O', 'A') "
      + "AND pr.proname LIKE '" + TRACKING_FUNCTION_PATTERN + "'), 0)";

  /** Source tables of the current schema, as {@code pg_class c}. */
  private static final String SOURCE_TABLES = "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname LIKE 'price\\_ticks\\_%'";

  /** The trigger functions, writing to {@code <schema>.tickvault_changes} ({@code %1$s}). */
  private static final String TRACKING_FUNCTIONS = """
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_new() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF left(TG_TABLE_NAME, 12) = 'price_ticks_' AND length(TG_TABLE_NAME) <= 52 THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            SELECT DISTINCT substr(TG_TABLE_NAME, 13), symbol, ("timestamp" AT TIME ZONE 'UTC')::date,
              pg_current_xact_id()
            FROM new_rows ORDER BY 2, 3
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_old() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF left(TG_TABLE_NAME, 12) = 'price_ticks_' AND length(TG_TABLE_NAME) <= 52 THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            SELECT DISTINCT substr(TG_TABLE_NAME, 13), symbol, ("timestamp" AT TIME ZONE 'UTC')::date,
              pg_current_xact_id()
            FROM old_rows ORDER BY 2, 3
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_both() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF left(TG_TABLE_NAME, 12) = 'price_ticks_' AND length(TG_TABLE_NAME) <= 52 THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            SELECT DISTINCT substr(TG_TABLE_NAME, 13), symbol, ("timestamp" AT TIME ZONE 'UTC')::date,
              pg_current_xact_id()
            FROM (SELECT symbol, "timestamp" FROM old_rows UNION ALL SELECT symbol, "timestamp" FROM new_rows) r
            ORDER BY 2, 3
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_truncate() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF left(TG_TABLE_NAME, 12) = 'price_ticks_' AND length(TG_TABLE_NAME) <= 52 THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            VALUES (substr(TG_TABLE_NAME, 13), '', DATE '1970-01-01', pg_current_xact_id())
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        RETURN NULL;
      END $f$;
      CREATE OR REPLACE FUNCTION %1$s.tickvault_track_row() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF left(TG_TABLE_NAME, 12) <> 'price_ticks_' OR length(TG_TABLE_NAME) > 52 THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            VALUES (substr(TG_TABLE_NAME, 13), OLD.symbol, (OLD."timestamp" AT TIME ZONE 'UTC')::date,
              pg_current_xact_id())
            ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO %1$s.tickvault_changes (source, symbol, day, xid)
            VALUES (substr(TG_TABLE_NAME, 13), NEW.symbol, (NEW."timestamp" AT TIME ZONE 'UTC')::date,
              pg_current_xact_id())
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
    String t = name.tableName();
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(7244390502)");
      if (tableOid(c, t) == null) {
        s.execute(SourceTable.create(t, DIALECT, name.value(), SourceTable.FULL));
        if (timescaleAvailable(c)) {
          s.execute("SELECT create_hypertable('" + t + "', 'timestamp', if_not_exists => TRUE)");
        }
      }
      if (!tracked(c, t)) {
        Savepoint sp = c.setSavepoint();
        try {
          installTracking(c, t);
          c.releaseSavepoint(sp);
        } catch (SQLException e) {
          if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            throw e;
          }
          // a writer that does not own the table (e.g. an ingest role) still writes; the sync
          // compares the untracked table in full and says how to fix it
          c.rollback(sp);
          LOG.warn("cannot install change tracking on {} ({}): run `tickvault create --source {}` as the "
              + "table's owner; until then every mirror sync compares it in full", t, e.getMessage(), name);
        }
      }
    }
  }

  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresBarStore.class);

  /** Whether enabled tickvault triggers of the table cover INSERT, UPDATE, DELETE and TRUNCATE. */
  private static boolean tracked(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + TRACKED_BITS + " " + SOURCE_TABLES
        + " AND c.relname = ?")) {
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
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_changes (source, symbol, day, xid) "
        + "VALUES (?, '', DATE '1970-01-01', pg_current_xact_id()) "
        + "ON CONFLICT (source, symbol, day) DO UPDATE SET xid = EXCLUDED.xid")) {
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
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'price\\_ticks\\_%'")) {
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
      boolean conflict = false;
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
          if (data.size() >= 1 << 16) {
            out.write(data.buffer(), 0, data.size());
            if (!conflict) {
              conflict = !writeCopy(copy, data.buffer(), data.size());
            }
            data.reset();
          }
        }
        data.trailer();
        out.write(data.buffer(), 0, data.size());
        if (!conflict) {
          conflict = !writeCopy(copy, data.buffer(), data.size());
        }
        if (!conflict) {
          try {
            copy.endCopy();
          } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw e;
            }
            conflict = true;
          }
        }
      } catch (IOException e) {
        throw new SQLException("cannot write spool file " + spool, e);
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
      Written written;
      if (!conflict) {
        c.releaseSavepoint(sp);
        written = new Written(rows, 0, 0); // COPY succeeded: every key handed over was new and appeared once
        if (restore != null) {
          recordChunks(c, target, chunks);
        }
      } else {
        c.rollback(sp);
        written = mergeSpool(c, target, spool, gate.sorted(), restore != null);
      }
      if (restore != null) {
        restoreTriggers(c, restore);
      }
      if (written.added() + written.replaced() >= ANALYZE_AFTER_ROWS) {
        try (Statement s = c.createStatement()) {
          // fresh statistics of the key for the reads that follow a bulk load (they filter on symbol and time);
          // half the cost of the whole row's, and autovacuum still analyzes the rest later (a column list does
          // not reset its count of changed rows)
          s.execute("ANALYZE " + target.tableName() + " (symbol, \"timestamp\")");
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

  private static final String UNIQUE_VIOLATION = "23505";
  private static final long ANALYZE_AFTER_ROWS = 50_000;

  /** Writes to the COPY; false when the server already failed it with a unique violation. */
  private static boolean writeCopy(CopyIn copy, byte[] buf, int len) throws SQLException {
    try {
      copy.writeToCopy(buf, 0, len);
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState()) || isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && UNIQUE_VIOLATION.equals(se.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The slow path: spool -> staging table -> one upsert, counted in the same statement: the rows it
   * inserts ({@code xmax = 0}: a fresh row version) are added, the rows it updates are replaced
   * (the update only runs where a value differs), the other distinct keys are unchanged; staged
   * rows beyond the distinct keys are repeats inside the input.
   */
  private Written mergeSpool(Connection c, SourceName target, Path spool, boolean sorted, boolean recordOwn)
      throws SQLException {
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
    String sql = "WITH w AS (INSERT INTO " + target.tableName() + " AS t (" + cols + ") " + select
        + " ON CONFLICT (symbol, \"timestamp\") DO UPDATE SET price = EXCLUDED.price, open_price = EXCLUDED.open_price, "
        + "high_price = EXCLUDED.high_price, low_price = EXCLUDED.low_price, close_price = EXCLUDED.close_price, "
        + "volume = EXCLUDED.volume, trade_count = EXCLUDED.trade_count, vwap = EXCLUDED.vwap, origin = EXCLUDED.origin "
        + "WHERE (t.price, t.open_price, t.high_price, t.low_price, t.close_price, t.volume, t.trade_count, t.vwap, "
        + "t.origin) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.open_price, EXCLUDED.high_price, EXCLUDED.low_price, "
        + "EXCLUDED.close_price, EXCLUDED.volume, EXCLUDED.trade_count, EXCLUDED.vwap, EXCLUDED.origin) "
        + "RETURNING (t.xmax = 0) AS inserted, t.symbol, t.\"timestamp\")" + (recordOwn ? ", " + MARKS_OF + "w" + MARKS_END : "")
        + " SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM w";
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
        try (ResultSet rs = s.executeQuery("SELECT c.relname " + SOURCE_TABLES + " AND " + TRACKED_BITS + " <> "
            + ALL_WRITES + " ORDER BY 1")) {
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
