package io.tickvault.store.sqlite;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarGrid;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarFilter;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.SourceTable;
import io.tickvault.store.StoreException;
import io.tickvault.store.StoreInfo;
import io.tickvault.store.WriteResult;
import io.tickvault.store.jdbc.BarReads;
import io.tickvault.store.jdbc.GateIterator;
import io.tickvault.store.jdbc.JdbcBarStore;
import io.tickvault.store.jdbc.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The SQLite engine: the embedded production store, the test store, and the engine under mirrors
 * ({@link SqliteMirrorStore} adds the mirror's records and its sync transaction).
 *
 * <p>Encoding (documented in the README): prices are INTEGER = value x 10^4, timestamps INTEGER
 * microseconds since 1970-01-01T00:00Z, tables WITHOUT ROWID with PRIMARY KEY (symbol, timestamp).
 * A view {@code decoded_price_ticks_<source>} shows the same rows as text for the sqlite3 shell.
 *
 * <p>Three modes: {@link Mode#PRODUCTION} (writable, records changed chunks: tickvault's own
 * writes in its write path, UPDATE and DELETE by anyone through row triggers; plain-SQL INSERT and
 * INSERT OR REPLACE are not seen; refuses a file that holds a mirror),
 * {@link Mode#READ_ONLY} (opened with SQLite's read-only flag: every write fails in SQLite itself
 * and tickvault refuses earlier with {@link MirrorReadOnlyException}), and {@link Mode#MIRROR_SYNC}
 * (the only writable handle on a mirror, used by sync; no change tracking). Thread-safe: each
 * operation opens its own connection.
 *
 * <p>Mirrors are kept in WAL journal mode: a sync killed at any moment leaves only uncommitted
 * frames in the {@code -wal} file, which readers ignore, so a read-only connection (which cannot
 * roll back a hot rollback journal) can still open the previous state. Sync transactions start
 * with {@code BEGIN IMMEDIATE}, so two syncs of the same mirror run one after the other.
 */
public sealed class SqliteBarStore extends JdbcBarStore permits SqliteMirrorStore {
  /** How a file is opened. */
  public enum Mode { PRODUCTION, READ_ONLY, MIRROR_SYNC }

  private static final long MICROS_PER_DAY = SqliteDialect.MICROS_PER_DAY;
  private static final String VIEW_PREFIX = "decoded_";

  private final Path file;
  private final Mode mode;
  /**
   * Whether a connection may create the file: only while {@link #open} makes the store. An opened
   * store never does, so a file deleted or moved under a running process is an error, never a new
   * empty store that a later sync or read would take for the real one.
   */
  private final boolean createFile;

  /** A store on a file {@link #prepare} made ready. */
  SqliteBarStore(StoreInfo info, Mode mode) {
    this(info, Path.of(info.database()), mode, false);
  }

  private SqliteBarStore(StoreInfo info, Path file, Mode mode, boolean createFile) {
    super(info, SqliteDialect.INSTANCE);
    this.file = file;
    this.mode = mode;
    this.createFile = createFile;
  }

  /** Opens (creating it and its folder when writable) the SQLite store at {@code file}. */
  public static SqliteBarStore open(Path file, Mode mode) {
    return new SqliteBarStore(prepare(file, mode), mode);
  }

  /**
   * Makes the file ready to be opened in {@code mode} (its folder, tickvault's tables, an upgrade of
   * an earlier version's) and returns what the store is.
   */
  static StoreInfo prepare(Path file, Mode mode) {
    Path abs = file.toAbsolutePath().normalize();
    String location = "sqlite:" + abs;
    try {
      if (mode == Mode.READ_ONLY) {
        if (!Files.isRegularFile(abs)) {
          throw new StoreException("no SQLite store at " + abs + "; for a mirror run `tickvault sync` first "
              + "(or set TICKVAULT_MIRROR)");
        }
      } else if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      if (mode == Mode.PRODUCTION) {
        refuseMirror(abs, location);
      }
      SqliteBarStore probe = new SqliteBarStore(new StoreInfo("sqlite", null, null, abs.toString(), null,
          mode == Mode.READ_ONLY), abs, mode, true);
      String id;
      try (Connection c = probe.connect()) {
        if (mode != Mode.READ_ONLY) {
          initSchema(c, mode);
        }
        if (mode == Mode.PRODUCTION) {
          probe.upgrade(c);
          refreshViews(c, probe.tableNames(c));
        } else if (mode == Mode.MIRROR_SYNC) {
          probe.registry().ensureModelColumns(c); // a mirror made before sources had a width copies it from now on
        }
        id = MirrorRecords.hasTable(c, "tickvault_meta") ? Registry.ensureStoreId(c, mode != Mode.READ_ONLY) : null;
      }
      return new StoreInfo("sqlite", null, null, abs.toString(), id, mode == Mode.READ_ONLY);
    } catch (SQLException | IOException e) {
      throw StoreException.unreachable(location, e);
    }
  }

  /**
   * Refuses to open a mirror as a production (or test) store, before anything is written: a mirror
   * holds {@code tickvault_lineage} once synced, and {@code tickvault_meta} says {@code role=mirror}
   * from the moment sync first opened it. Looked at through a read-only connection.
   */
  private static void refuseMirror(Path abs, String location) throws SQLException, IOException {
    if (!Files.isRegularFile(abs) || Files.size(abs) == 0) {
      return;
    }
    SqliteBarStore ro = new SqliteBarStore(new StoreInfo("sqlite", null, null, abs.toString(), null, true),
        Mode.READ_ONLY);
    boolean mirror;
    try (Connection c = ro.connect()) {
      mirror = MirrorRecords.hasTable(c, "tickvault_lineage") || "mirror".equals(metaValue(c, "role"));
    }
    if (mirror) {
      throw MirrorReadOnlyException.refused("opening it as a production or test store (--db, "
          + "TICKVAULT_DATABASE_URL or TICKVAULT_TEST_DATABASE_URL names the mirror file)", location);
    }
  }

  /** A value of {@code tickvault_meta}, or null (also when the table does not exist). */
  private static String metaValue(Connection c, String key) throws SQLException {
    if (!MirrorRecords.hasTable(c, "tickvault_meta")) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT value FROM tickvault_meta WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  public Path file() {
    return file;
  }

  public Mode mode() {
    return mode;
  }

  private static void initSchema(Connection c, Mode mode) throws SQLException {
    try (Statement s = c.createStatement()) {
      // WAL, not a rollback journal: after a crash, read-only connections can still read the last
      // committed state (they cannot roll back a hot journal). See the class comment.
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_sources (name TEXT PRIMARY KEY, kind TEXT NOT NULL, "
          + "description TEXT, created_at INTEGER NOT NULL, timeframe VARCHAR(8), timezone VARCHAR(64), mixed TEXT)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_ingest_log (id INTEGER PRIMARY KEY AUTOINCREMENT, "
          + "source TEXT NOT NULL, origin TEXT, feed TEXT, symbols TEXT, range_from INTEGER, range_to INTEGER, "
          + "rows_written INTEGER NOT NULL DEFAULT 0, started INTEGER NOT NULL, finished INTEGER, status TEXT NOT NULL, "
          + "detail TEXT)");
      // what the file is, so a mirror is never opened as a production store (see refuseMirror)
      s.execute("INSERT INTO tickvault_meta (key, value) VALUES ('role', '"
          + (mode == Mode.MIRROR_SYNC ? "mirror" : "production") + "') ON CONFLICT (key) DO NOTHING");
      if (mode == Mode.PRODUCTION) {
        s.execute("CREATE TABLE IF NOT EXISTS tickvault_changes (source TEXT NOT NULL, symbol TEXT NOT NULL, "
            + "day INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (source, symbol, day)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS tickvault_changes_seq ON tickvault_changes (seq)");
        s.execute("INSERT INTO tickvault_meta (key, value) VALUES ('change_seq', '0') ON CONFLICT (key) DO NOTHING");
        s.execute("CREATE TABLE IF NOT EXISTS tickvault_change_marks (mark TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
            + "made INTEGER NOT NULL)");
      }
    }
  }

  /**
   * Brings a production store made by an earlier tickvault to {@link #SCHEMA_VERSION}, once: tables
   * that have tickvault's change-tracking triggers but no generation get one (their DELETE trigger
   * is written again with it). Tables without tickvault's triggers are left alone: they stay
   * untracked until {@code tickvault create --source NAME}. Registered sources without a width and
   * zone get the ones their rows agree on, or are marked mixed (3); no row is rewritten.
   */
  private void upgrade(Connection c) throws SQLException {
    if (String.valueOf(SCHEMA_VERSION).equals(metaValue(c, "schema_version"))) {
      return;
    }
    c.setAutoCommit(false);
    try {
      for (String table : tableNames(c)) {
        SourceName n = SourceName.fromTableName(table);
        if (n != null && hasTrigger(c, UPDATE_TRIGGER + n.value(), table) && hasTrigger(c, DELETE_TRIGGER + n.value(),
            table) && triggerGeneration(c, n) == null) {
          createTable(c, n);
        }
      }
      registry().recordLegacyModels(c);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO tickvault_meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "') "
            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Version of a production store's own tables and triggers, kept in {@code tickvault_meta}. */
  static final int SCHEMA_VERSION = 3;

  private static boolean hasTrigger(Connection c, String name, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
        + "AND name = ? AND tbl_name = ?")) {
      ps.setString(1, name);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * An OS lock on the file {@code <database>.<name>.lock} beside the database, released when the
   * handle is closed or the process dies. A second holder in the same process is refused too.
   */
  @Override
  public Optional<AutoCloseable> tryLock(String name) {
    requireWritable("lock " + name);
    Path lockFile = file.resolveSibling(file.getFileName() + "." + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".lock");
    java.nio.channels.FileChannel ch = null;
    try {
      ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.WRITE);
      java.nio.channels.FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException held) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        return Optional.empty();
      }
      java.nio.channels.FileChannel open = ch;
      java.nio.channels.FileLock taken = lock;
      return Optional.of(() -> {
        try (open) {
          taken.release();
        }
      });
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw wrap("lock " + name + " (" + lockFile + ")", e);
    }
  }

  @Override
  protected Connection connect() throws SQLException {
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setBusyTimeout(60_000);
    if (mode == Mode.READ_ONLY) {
      cfg.setReadOnly(true);
      cfg.setOpenMode(SQLiteOpenMode.READONLY);
    } else {
      cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      if (!createFile) {
        cfg.resetOpenMode(SQLiteOpenMode.CREATE);
      }
    }
    if (mode == Mode.MIRROR_SYNC) {
      cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    cfg.setCacheSize(-65536);
    cfg.setTempStore(SQLiteConfig.TempStore.MEMORY);
    String url = "jdbc:sqlite:" + file;
    if (mode == Mode.READ_ONLY && readOnlyFolder(file)) {
      // a write-ahead-log file needs its -shm index beside it, which a reader cannot create in a
      // folder it may not write: such a copy is read as immutable (nothing can change it anyway)
      cfg.setOpenMode(SQLiteOpenMode.OPEN_URI);
      url = "jdbc:sqlite:file:" + uriPath(file) + "?immutable=1";
    }
    Connection c = DriverManager.getConnection(url, cfg.toProperties());
    String maxPages = mode == Mode.MIRROR_SYNC ? System.getProperty(MAX_PAGES_PROPERTY) : null;
    if (maxPages != null) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA max_page_count = " + Long.parseLong(maxPages.strip()));
      }
    }
    return c;
  }

  /**
   * Whether the folder of {@code file} cannot be written by this process (so SQLite could not create
   * the {@code -shm} and {@code -wal} files of a WAL-mode database there): then read-only handles
   * open the file with SQLite's {@code immutable=1}.
   */
  public static boolean readOnlyFolder(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    return folder != null && Files.isDirectory(folder) && !Files.isWritable(folder);
  }

  /** The path for a {@code file:} URI: every byte but unreserved characters and '/' percent-encoded. */
  static String uriPath(Path file) {
    StringBuilder b = new StringBuilder();
    for (byte x : file.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char ch = (char) (x & 0xff);
      if (ch < 128 && (Character.isLetterOrDigit(ch) || "/._-~".indexOf(ch) >= 0)) {
        b.append(ch);
      } else {
        b.append('%').append(String.format("%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  /**
   * System property capping a mirror's size in pages while sync writes it (tests only: SQLite then
   * answers SQLITE_FULL exactly as on a full disk).
   */
  static final String MAX_PAGES_PROPERTY = "tickvault.sqlite.mirrorMaxPages";

  @Override
  public void close() {
    // connections are per operation; nothing to release
  }

  /**
   * SQLITE_FULL (the disk, or a file size limit, is full) is said as such, with the place to free:
   * SQLite rolls the transaction back itself, so nothing was changed.
   */
  @Override
  protected StoreException failure(String what, SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() != null ? t.getCause()
        : t instanceof SQLException q ? q.getNextException() : null) {
      if (t instanceof org.sqlite.SQLiteException se && (se.getResultCode().code & 0xff) == 13
          || String.valueOf(t.getMessage()).contains("[SQLITE_FULL]")) {
        Path where = file.getParent() == null ? file : file.getParent();
        return new StoreException(what + " failed: disk full at " + where + " (writing " + file + "); nothing was "
            + "changed. Free space there (or move the file with TICKVAULT_MIRROR / TICKVAULT_DATABASE_URL) and run "
            + "the command again", e);
      }
    }
    if (String.valueOf(e.getMessage()).contains("[SQLITE_IOERR_WRITE]")) {
      return new StoreException(what + " failed: cannot write " + file + " (SQLite: disk I/O error): the disk may be "
          + "full, the file over a size limit, or the disk failing; nothing was changed", e);
    }
    return super.failure(what, e);
  }

  // ---- DDL ------------------------------------------------------------------------------------

  /**
   * Creates the table (with a CHECK that only valid symbols, exactly as stored, get in) and its
   * decoded view if missing. On a production store it then installs the change-tracking triggers
   * unless they are there: an UPDATE and a DELETE trigger recording the chunks touched by any
   * writer. The DELETE trigger also carries the table's generation (see {@link #generation}): a
   * new id whenever tickvault creates the table or installs the tracking, gone with the table.
   */
  @Override
  protected void createTable(Connection c, SourceName name) throws SQLException {
    String t = name.tableName();
    String src = name.value();
    try (Statement s = c.createStatement()) {
      s.execute(SourceTable.createIfMissing(t, SqliteDialect.INSTANCE, src, SourceTable.FULL));
      ensureDecodedView(c, name, true);
      if (mode == Mode.PRODUCTION) {
        String bump = "UPDATE tickvault_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'change_seq'; ";
        String record = "INSERT INTO tickvault_changes (source, symbol, day, seq) VALUES ('" + src + "', %s.symbol, "
            + "%s.\"timestamp\" / " + MICROS_PER_DAY + ", (SELECT CAST(value AS INTEGER) FROM tickvault_meta "
            + "WHERE key = 'change_seq')) ON CONFLICT (source, symbol, day) DO UPDATE SET seq = excluded.seq; ";
        if (triggerGeneration(c, name) == null) {
          s.execute("DROP TRIGGER IF EXISTS " + DELETE_TRIGGER + src);
          s.execute("CREATE TRIGGER " + DELETE_TRIGGER + src + " AFTER DELETE ON " + t + " BEGIN "
              + "/* " + GENERATION_MARK + UUID.randomUUID() + " */ " + bump + String.format(record, "OLD", "OLD")
              + "END");
        }
        s.execute("CREATE TRIGGER IF NOT EXISTS " + UPDATE_TRIGGER + src + " AFTER UPDATE ON " + t + " BEGIN "
            + bump + String.format(record, "OLD", "OLD") + String.format(record, "NEW", "NEW") + "END");
      }
    }
  }

  /** SQLite's SQL dialect (types of a source table and all). */
  public static final SqliteDialect DIALECT = SqliteDialect.INSTANCE;

  private static final String DELETE_TRIGGER = "tickvault_track_del_";
  private static final String UPDATE_TRIGGER = "tickvault_track_upd_";
  private static final String GENERATION_MARK = "tickvault generation ";
  private static final Pattern GENERATION = Pattern.compile("/\\* " + GENERATION_MARK + "([0-9a-f-]{36}) \\*/");

  /**
   * The generation written into the source's DELETE trigger, when that trigger exists on the
   * source's own table (a trigger follows its table through a rename, but records the old name).
   */
  private static String triggerGeneration(Connection c, SourceName name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
        + "AND name = ? AND tbl_name = ?")) {
      ps.setString(1, DELETE_TRIGGER + name.value());
      ps.setString(2, name.tableName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return null;
        }
        Matcher m = GENERATION.matcher(rs.getString(1));
        return m.find() ? m.group(1) : null;
      }
    }
  }

  /**
   * On a production store, an id written when tickvault creates the table or installs its change
   * tracking, kept in the table's DELETE trigger (dropped with the table); null when the table has
   * none (made by hand, or by an earlier tickvault) or on a mirror.
   */
  @Override
  public String generation(SourceName name) {
    if (mode != Mode.PRODUCTION) {
      return null;
    }
    return withConnection("read the generation of " + name, c -> {
      String g = triggerGeneration(c, name);
      return g == null ? null : "gen:" + g;
    });
  }

  /** Source tables lacking tickvault's UPDATE trigger or its DELETE trigger with a generation. */
  private Set<SourceName> untracked(Connection c) throws SQLException {
    Set<SourceName> out = new TreeSet<>();
    for (String table : tableNames(c)) {
      SourceName n = SourceName.fromTableName(table);
      if (n == null) {
        continue;
      }
      if (!hasTrigger(c, UPDATE_TRIGGER + n.value(), table) || triggerGeneration(c, n) == null) {
        out.add(n);
      }
    }
    return out;
  }

  /** Marks the current definition of the decoded views; a view without it is replaced. */
  private static final String VIEW_MARK = "tickvault decoded view 2: prices REAL, time ISO-8601 text and unix seconds";

  /**
   * The view {@code decoded_price_ticks_<source>} for SQL tools (the sqlite3 shell, pandas, DuckDB,
   * Datasette): prices as REAL numbers (value / 10^4, the double nearest the exact decimal, so they
   * compare, sort and aggregate as numbers and print exactly), {@code timestamp} as ISO-8601 UTC text
   * with microseconds ({@code 2025-01-15T14:30:00.000000Z}, sorts as time) and {@code unix_time} as
   * REAL seconds since the epoch. Every computed column is an outermost CAST, so SQLite reports its
   * type (REAL, TEXT) to tools that read column types from {@code PRAGMA table_info}. A view of an
   * earlier definition (text prices) is replaced; a current one is left alone (nothing written).
   */
  private static void ensureDecodedView(Connection c, SourceName name, boolean createMissing) throws SQLException {
    String t = name.tableName();
    String view = VIEW_PREFIX + t;
    try (PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?")) {
      ps.setString(1, view);
      try (ResultSet rs = ps.executeQuery()) {
        boolean exists = rs.next();
        if (exists ? rs.getString(1) != null && rs.getString(1).contains(VIEW_MARK) : !createMissing) {
          return;
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP VIEW IF EXISTS " + view);
      s.execute("CREATE VIEW " + view + " AS SELECT /* " + VIEW_MARK + " */ symbol, "
          + "CAST(strftime('%Y-%m-%dT%H:%M:%S', \"timestamp\" / 1000000, 'unixepoch') || printf('.%06dZ', "
          + "\"timestamp\" % 1000000) AS TEXT) AS \"timestamp\", "
          + "CAST(\"timestamp\" / 1000000.0 AS REAL) AS unix_time, " + real("price") + ", " + real("open_price") + ", "
          + real("high_price") + ", " + real("low_price") + ", " + real("close_price") + ", volume, trade_count, "
          + real("vwap") + ", origin FROM " + t);
    }
  }

  private static String real(String col) {
    return "CAST(" + col + " / 10000.0 AS REAL) AS " + col;
  }

  /**
   * Replaces decoded views of an earlier definition in a production store; creates none, and writes
   * nothing when all are current.
   */
  private static void refreshViews(Connection c, List<String> tables) throws SQLException {
    for (String table : tables) {
      SourceName n = SourceName.fromTableName(table);
      if (n != null) {
        ensureDecodedView(c, n, false);
      }
    }
  }

  @Override
  protected List<String> tableNames(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'price\\_ticks\\_%' ESCAPE '\\'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Records the drop as a whole-source change (production only). */
  @Override
  protected void afterDrop(Connection c, SourceName name) throws SQLException {
    if (mode != Mode.PRODUCTION) {
      return;
    }
    long seq = bumpSeq(c);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_changes (source, symbol, day, seq) "
        + "VALUES (?, '', 0, ?) ON CONFLICT (source, symbol, day) DO UPDATE SET seq = excluded.seq")) {
      ps.setString(1, name.value());
      ps.setLong(2, seq);
      ps.executeUpdate();
    }
  }

  @Override
  public void dropSource(SourceName name) {
    super.dropSource(name);
    withConnection("drop view", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("DROP VIEW IF EXISTS " + VIEW_PREFIX + name.tableName());
      }
      return null;
    });
  }

  // ---- bulk write -----------------------------------------------------------------------------

  /**
   * The bulk write, in batches of {@value Upsert#BATCH} bars. New keys, the common case, go in as
   * plain multi-row {@code INSERT}s of {@value Upsert#GROUP} rows: such a statement either adds
   * every row (each counts 1, added) or, when one key is already stored or repeats a key of the
   * same statement, fails with a key conflict and SQLite undoes the whole statement. The rest of
   * that batch then goes row by row through three prepared statements: an
   * {@code INSERT ... ON CONFLICT DO NOTHING} (a new key counts 1 and is added), then, for the rows
   * whose key was already stored, an {@code UPDATE} that runs only where a value differs (1:
   * replaced, 0: unchanged), or, for a row that repeats a key of this input, an {@code UPDATE} that
   * always writes the later values (counted as a repeat, not a replacement). The next batch tries
   * the multi-row statement again. Not thread-safe: one per transaction.
   */
  static final class Upsert implements AutoCloseable {
    static final int BATCH = 10_000;
    /** Rows per multi-row INSERT (11 parameters each; SQLite allows 32,766 per statement). */
    static final int GROUP = 50;
    private static final String SET = "price = ?1, open_price = ?2, high_price = ?3, low_price = ?4, "
        + "close_price = ?5, volume = ?6, trade_count = ?7, vwap = ?8, origin = ?9";
    private static final String KEY = " WHERE symbol = ?10 AND \"timestamp\" = ?11";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private final PreparedStatement insertGroup;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement overwrite;
    private final Bar[] batch = new Bar[BATCH];
    private final boolean[] repeat = new boolean[BATCH];

    Upsert(Connection c, SourceName target) throws SQLException {
      String t = target.tableName();
      insertGroup = c.prepareStatement("INSERT INTO " + t + " (" + COLUMNS + ") VALUES " + ROW
          + (", " + ROW).repeat(GROUP - 1));
      insert = c.prepareStatement("INSERT INTO " + t + " (" + COLUMNS + ") VALUES " + ROW
          + " ON CONFLICT (symbol, \"timestamp\") DO NOTHING");
      update = c.prepareStatement("UPDATE " + t + " SET " + SET + KEY + " AND (price IS NOT ?1 OR open_price IS NOT ?2 "
          + "OR high_price IS NOT ?3 OR low_price IS NOT ?4 OR close_price IS NOT ?5 OR volume IS NOT ?6 "
          + "OR trade_count IS NOT ?7 OR vwap IS NOT ?8 OR origin IS NOT ?9)");
      overwrite = c.prepareStatement("UPDATE " + t + " SET " + SET + KEY);
    }

    /** Writes every bar of the gate; returns the counts. */
    Written writeAll(GateIterator gate) throws SQLException {
      long[] counts = new long[3]; // added, replaced, unchanged
      while (gate.hasNext()) {
        int n = 0;
        while (n < BATCH && gate.hasNext()) {
          batch[n] = gate.next();
          repeat[n] = gate.lastWasRepeat();
          n++;
        }
        int from = insertGroups(n);
        counts[0] += from;
        upsertRows(from, n, counts);
        java.util.Arrays.fill(batch, 0, n, null);
      }
      return new Written(counts[0], counts[1], counts[2]);
    }

    /**
     * Inserts whole groups of the batch's first {@code n} rows with the plain multi-row INSERT until
     * one conflicts with a stored key (or a key of its own); returns how many rows were added, all
     * of them new keys. A group that conflicts was undone by SQLite and is left to the upsert.
     */
    private int insertGroups(int n) throws SQLException {
      int from = 0;
      while (from + GROUP <= n) {
        for (int k = 0; k < GROUP; k++) {
          bindRow(insertGroup, k * 11, batch[from + k]);
        }
        try {
          insertGroup.executeUpdate();
        } catch (SQLException e) {
          if (!keyConflict(e)) {
            throw e;
          }
          return from;
        }
        from += GROUP;
      }
      return from;
    }

    /** Whether SQLite refused a statement because a key is already stored (the statement was undone). */
    static boolean keyConflict(SQLException e) {
      if (e instanceof org.sqlite.SQLiteException se) {
        org.sqlite.SQLiteErrorCode code = se.getResultCode();
        if (code == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
            || code == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
          return true;
        }
      }
      String m = String.valueOf(e.getMessage());
      return m.contains("UNIQUE constraint failed") || m.contains("PRIMARY KEY constraint failed");
    }

    /** The row-by-row upsert of {@code batch[from, n)}, adding to {@code counts}. */
    private void upsertRows(int from, int n, long[] counts) throws SQLException {
      if (from == n) {
        return;
      }
      for (int i = from; i < n; i++) {
        bindRow(insert, 0, batch[i]);
        insert.addBatch();
      }
      int[] inserted = insert.executeBatch();
      // rows whose key existed: in input order, so a later repeat overwrites an earlier row's values
      int updates = 0;
      int[] order = new int[n - from];
      for (int i = from; i < n; i++) {
        if (inserted[i - from] > 0) {
          counts[0]++;
        } else {
          order[updates++] = i;
        }
      }
      int i = 0;
      while (i < updates) {
        // runs of the same kind, so each statement's batch keeps the input order
        boolean rep = repeat[order[i]];
        PreparedStatement ps = rep ? overwrite : update;
        int j = i;
        while (j < updates && repeat[order[j]] == rep) {
          bindUpdate(ps, batch[order[j]]);
          ps.addBatch();
          j++;
        }
        int[] r = ps.executeBatch();
        if (!rep) {
          for (int k : r) {
            if (k > 0) {
              counts[1]++;
            } else {
              counts[2]++;
            }
          }
        }
        i = j;
      }
    }

    /** Binds a bar in {@link #COLUMNS} order at parameters {@code offset + 1 ... offset + 11}. */
    private static void bindRow(PreparedStatement ps, int offset, Bar b) throws SQLException {
      ps.setString(offset + 1, b.symbol().value());
      ps.setLong(offset + 2, SqliteDialect.micros(b.timestamp()));
      ps.setLong(offset + 3, Prices.toScaled(b.price()));
      SqliteDialect.bindScaled(ps, offset + 4, b.open());
      SqliteDialect.bindScaled(ps, offset + 5, b.high());
      SqliteDialect.bindScaled(ps, offset + 6, b.low());
      SqliteDialect.bindScaled(ps, offset + 7, b.close());
      ps.setLong(offset + 8, b.volume());
      ps.setInt(offset + 9, b.tradeCount());
      SqliteDialect.bindScaled(ps, offset + 10, b.vwap());
      ps.setString(offset + 11, b.origin().value());
    }

    private static void bindUpdate(PreparedStatement ps, Bar b) throws SQLException {
      ps.setLong(1, Prices.toScaled(b.price()));
      SqliteDialect.bindScaled(ps, 2, b.open());
      SqliteDialect.bindScaled(ps, 3, b.high());
      SqliteDialect.bindScaled(ps, 4, b.low());
      SqliteDialect.bindScaled(ps, 5, b.close());
      ps.setLong(6, b.volume());
      ps.setInt(7, b.tradeCount());
      SqliteDialect.bindScaled(ps, 8, b.vwap());
      ps.setString(9, b.origin().value());
      ps.setString(10, b.symbol().value());
      ps.setLong(11, SqliteDialect.micros(b.timestamp()));
    }

    @Override
    public void close() throws SQLException {
      try (insertGroup; insert; update; overwrite) {
        // closes all four
      }
    }
  }

  @Override
  protected Written bulkWrite(Connection c, SourceName target, GateIterator bars) throws SQLException {
    try (Upsert u = new Upsert(c, target)) {
      return u.writeAll(bars);
    }
  }

  @Override
  protected void afterWrite(Connection c, SourceName target, Set<Chunk> chunks) throws SQLException {
    if (mode != Mode.PRODUCTION || chunks.isEmpty()) {
      return;
    }
    long seq = bumpSeq(c);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_changes (source, symbol, day, seq) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT (source, symbol, day) DO UPDATE SET seq = excluded.seq")) {
      for (Chunk ch : chunks) {
        ps.setString(1, ch.source().value());
        ps.setString(2, ch.symbol().value());
        ps.setLong(3, ch.day().toEpochDay());
        ps.setLong(4, seq);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static long bumpSeq(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE tickvault_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'change_seq'");
      try (ResultSet rs = s.executeQuery("SELECT CAST(value AS INTEGER) FROM tickvault_meta WHERE key = 'change_seq'")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public ChangeSet changesSince(long sinceToken) {
    if (mode != Mode.PRODUCTION) {
      throw new StoreException("change tracking is only kept by a production store [store=" + info().location() + "]");
    }
    return inTransaction("read change log", c -> {
      long token;
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT CAST(value AS INTEGER) FROM tickvault_meta WHERE key = 'change_seq'")) {
        rs.next();
        token = rs.getLong(1);
      }
      List<Chunk> chunks = new ArrayList<>();
      Set<SourceName> untracked = untracked(c);
      Set<SourceName> whole = new TreeSet<>(untracked);
      if (sinceToken >= 0) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT source, symbol, day FROM tickvault_changes WHERE seq > ? ORDER BY source, symbol, day")) {
          ps.setLong(1, sinceToken);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              SourceName src = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
              if (src == null) {
                continue;
              }
              Symbol sym = BarReads.changedSymbol(rs.getString(2));
              if (sym == null) {
                whole.add(src); // a drop, or a symbol no bar can have: compare it all
              } else {
                chunks.add(new Chunk(src, sym, LocalDate.ofEpochDay(rs.getLong(3))));
              }
            }
          }
        }
      }
      return new ChangeSet(token, chunks, whole, untracked);
    });
  }

  /** Marks on this engine: {@code sqlite:} and a random id, kept in {@code tickvault_change_marks}. */
  private static final String MARK_PREFIX = "sqlite:";

  @Override
  public String markChangeLog() {
    if (mode != Mode.PRODUCTION) {
      throw new StoreException("change tracking is only kept by a production store [store=" + info().location() + "]");
    }
    String mark = MARK_PREFIX + UUID.randomUUID();
    return inTransaction("mark change log", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_change_marks (mark, seq, made) "
          + "SELECT ?, CAST(value AS INTEGER), ? FROM tickvault_meta WHERE key = 'change_seq'")) {
        ps.setString(1, mark);
        ps.setLong(2, SqliteDialect.micros(Instant.now()));
        ps.executeUpdate();
      }
      return mark;
    });
  }

  @Override
  public String changeLogBreak(String mark) {
    if (mode != Mode.PRODUCTION) {
      throw new StoreException("change tracking is only kept by a production store [store=" + info().location() + "]");
    }
    if (mark == null || mark.isBlank()) {
      return "the mirror holds no mark of production's change log (its last sync was made by an earlier tickvault), "
          + "so it cannot tell whether production was restored since";
    }
    if (!mark.startsWith(MARK_PREFIX)) {
      return "the mirror followed the change log of another engine (" + mark.split(":", 2)[0] + ")";
    }
    return withConnection("read change log marks", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM tickvault_change_marks WHERE mark = ?")) {
        ps.setString(1, mark);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return null;
          }
        }
      }
      return "production's change log does not hold the mark this mirror's last sync left in it: production was "
          + "restored from a backup taken before that sync (or its file was replaced by another copy of the store)";
    });
  }

  /**
   * Reads with a connection of this handle (read-only when the handle is). Not API: for this
   * engine's tests and the benchmark's baselines; everything else goes through the interfaces.
   */
  public <T> T withReadConnection(SqlReader<T> work) {
    return withConnection("read " + file, work::apply);
  }

  /** Work on a read connection. */
  @FunctionalInterface
  public interface SqlReader<T> {
    T apply(Connection c) throws SQLException;
  }

  // ---- for the mirror's sync transaction (SqliteSyncTx), on its connection -----------------

  /** The source tables in the file, by name. */
  List<SourceName> sourceTables(Connection c) throws SQLException {
    List<SourceName> out = new ArrayList<>();
    for (String t : tableNames(c)) {
      SourceName n = SourceName.fromTableName(t);
      if (n != null) {
        out.add(n);
      }
    }
    out.sort(null);
    return out;
  }

  /** Streams the source's bars that match the filter, in key order; returns how many. */
  long readBars(Connection c, SourceName name, BarFilter filter, java.util.function.Consumer<Bar> sink)
      throws SQLException {
    return reads().streamBars(c, name, filter, sink);
  }

  /** The chunks (symbol, UTC day) the source's rows fall in, read from the rows themselves. */
  void chunksOf(Connection c, SourceName name, java.util.function.Consumer<Chunk> sink) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT symbol, " + dialect.dayExpr()
        + " FROM " + name.tableName() + " ORDER BY 1, 2")) {
      while (rs.next()) {
        sink.accept(new Chunk(name, reads().storedSymbol(rs.getString(1), name, null), LocalDate.ofEpochDay(rs.getLong(2))));
      }
    }
  }

  /** Deletes the source's rows that match the filter; returns how many. */
  long deleteBars(Connection c, SourceName name, BarFilter filter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName() + BarReads.where(filter))) {
      reads().bindFilter(ps, 1, filter);
      return ps.executeUpdate();
    }
  }

  /** Creates the source's table and decoded view when missing. */
  void createSourceTable(Connection c, SourceName name) throws SQLException {
    createTable(c, name);
  }

  /** Drops the source's decoded view and table. */
  static void dropSourceTable(Connection c, SourceName name) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP VIEW IF EXISTS " + VIEW_PREFIX + name.tableName());
      s.execute("DROP TABLE IF EXISTS " + name.tableName());
    }
  }

  /** Writes bars through the validation gate ({@code grid}: the source's, or null) with {@code upsert}. */
  static WriteResult writeGated(Upsert upsert, SourceName target, Iterator<Bar> bars, BarGrid grid)
      throws SQLException {
    GateIterator gate = GateIterator.of(bars, target, new HashSet<>(), grid);
    return gate.result(upsert.writeAll(gate), 0);
  }
}
