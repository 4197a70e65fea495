package io.tickvault.store;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.store.postgres.PostgresBarStore;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.store.sqlite.SqliteMirrorStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Opens stores from a URL: {@code postgres://user:pass@host:5432/db},
 * {@code postgresql://...}, {@code jdbc:postgresql://host:5432/db?user=...}, or a SQLite file path
 * (optionally {@code sqlite:path} or {@code jdbc:sqlite:path}).
 */
public final class Stores {
  private Stores() {}

  /** Whether the URL names a PostgreSQL store. */
  public static boolean isPostgres(String url) {
    return PgUrl.isPostgres(url);
  }

  /** Opens a writable production (or test) store. */
  public static BarStore open(StoreUrl url) {
    return open(url.url());
  }

  /** Opens an existing production (or test) store and creates nothing ({@link #openExisting(String)}). */
  public static BarStore openExisting(StoreUrl url) {
    return openExisting(url.url());
  }

  /** Opens a writable production (or test) store. */
  public static BarStore open(String url) {
    if (isPostgres(url)) {
      return openPostgres(url);
    }
    return SqliteBarStore.open(sqlitePath(url), SqliteBarStore.Mode.PRODUCTION);
  }

  /**
   * Opens an existing production (or test) store and creates nothing: a SQLite file must exist,
   * a PostgreSQL database must already hold tickvault's tables ({@link io.tickvault.domain.NotFoundException}
   * otherwise).
   */
  public static BarStore openExisting(String url) {
    if (isPostgres(url)) {
      PgUrl t = parsePostgres(url);
      return PostgresBarStore.open(t.jdbcUrl(), t.user(), t.password(), t.host(), t.port(), t.database(), false);
    }
    Path file = sqlitePath(url);
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new io.tickvault.domain.NotFoundException("no store at " + file.toAbsolutePath().normalize());
    }
    return SqliteBarStore.open(file, SqliteBarStore.Mode.PRODUCTION);
  }

  private static final Pattern OTHER_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  private static final Pattern CREDENTIALS = Pattern.compile(".*[^/@\\s]+:[^/@\\s]*@.*");

  /** The file path of a SQLite URL. */
  public static Path sqlitePath(String url) {
    if (!url.startsWith("sqlite:") && !url.startsWith("jdbc:sqlite:")
        && (OTHER_SCHEME.matcher(url).matches() || url.startsWith("jdbc:") || CREDENTIALS.matcher(url).matches())) {
      // never echo the value: it may hold a password
      throw new InvalidInputException("unsupported store URL: use postgres://user:password@host:5432/db, "
          + "postgresql://..., jdbc:postgresql://host:5432/db, or a SQLite file path such as data/tickvault.db "
          + "(the value is not shown because it may contain a password)");
    }
    String p = url;
    if (p.startsWith("jdbc:sqlite:")) {
      p = p.substring("jdbc:sqlite:".length());
    } else if (p.startsWith("sqlite:")) {
      p = p.substring("sqlite:".length());
    }
    if (p.isBlank() || p.contains(":memory:")) {
      throw new InvalidInputException("invalid SQLite store " + io.tickvault.domain.Text.quote(url)
          + ": give a file path such as data/tickvault.db");
    }
    return Path.of(p);
  }

  /** Opens a SQLite mirror read-only (SQLite's read-only open flag). */
  public static MirrorStore openMirrorReadOnly(Path file) {
    return SqliteMirrorStore.open(file, SqliteBarStore.Mode.READ_ONLY);
  }

  /** Opens a SQLite mirror for writing; only sync may do this. */
  public static MirrorStore openMirrorForSync(Path file) {
    return SqliteMirrorStore.open(file, SqliteBarStore.Mode.MIRROR_SYNC);
  }

  /** The parsed PostgreSQL URL; refused with exit 2 when malformed or ambiguous ({@link PgUrl}). */
  public static PgUrl parsePostgres(String url) {
    return PgUrl.parse(url);
  }

  private static BarStore openPostgres(String url) {
    PgUrl t = parsePostgres(url);
    return PostgresBarStore.open(t.jdbcUrl(), t.user(), t.password(), t.host(), t.port(), t.database());
  }

  /**
   * A plain JDBC connection to the store a URL names, outside tickvault's engines: for benchmark
   * baselines and tests that stand in for other writers. The caller closes it.
   */
  public static Connection connectRaw(String url) throws SQLException {
    if (isPostgres(url)) {
      PgUrl t = parsePostgres(url);
      java.util.Properties p = new java.util.Properties();
      if (t.user() != null) p.setProperty("user", t.user());
      if (t.password() != null) p.setProperty("password", t.password());
      return DriverManager.getConnection(t.jdbcUrl(), p);
    }
    return DriverManager.getConnection("jdbc:sqlite:" + sqlitePath(url));
  }

  /**
   * libpq environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD) for a PostgreSQL
   * URL, so tools such as psql can be run without credentials on their command line.
   */
  public static java.util.Map<String, String> libpqEnvironment(String url) {
    PgUrl t = parsePostgres(url);
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("PGHOST", t.host());
    env.put("PGPORT", Integer.toString(t.port()));
    env.put("PGDATABASE", t.database());
    if (t.user() != null) env.put("PGUSER", t.user());
    if (t.password() != null) env.put("PGPASSWORD", t.password());
    String sslmode = t.params().get("sslmode");
    if (sslmode != null) env.put("PGSSLMODE", sslmode);
    return env;
  }

  /** The display location of a store URL, without credentials. */
  public static String location(String url) {
    return isPostgres(url) ? parsePostgres(url).toString() : "sqlite:" + sqlitePath(url).toAbsolutePath().normalize();
  }

  /**
   * Whether two store URLs name the same store, decided by identity, not spelling: SQLite files by
   * their device and inode (symlinks, hard links, {@code ./}, {@code sqlite:} and {@code jdbc:sqlite:}
   * forms all resolve to the file itself), PostgreSQL databases by the server's
   * {@code system_identifier} and the database name (any host spelling, port, scheme or parameter).
   * When a PostgreSQL server cannot be asked (unreachable, authentication refused), the URLs count as
   * the same when their host addresses, port and database agree: a guard must not pass because it
   * could not look. Stores of different engines are never the same.
   */
  public static boolean sameStore(String a, String b) {
    if (isPostgres(a) != isPostgres(b)) {
      return false;
    }
    if (!isPostgres(a)) {
      return sqliteKey(sqlitePath(a)).equals(sqliteKey(sqlitePath(b)));
    }
    PgUrl x = parsePostgres(a);
    PgUrl y = parsePostgres(b);
    String kx = pgKey(a, x);
    String ky = pgKey(b, y);
    if (kx != null && ky != null) {
      return kx.equals(ky);
    }
    return x.port() == y.port() && x.database().equals(y.database()) && sameHost(x.host(), y.host());
  }

  /** Device and inode of an existing file; the real path of its directory plus its name otherwise. */
  static String sqliteKey(Path file) {
    Path f = file.toAbsolutePath().normalize();
    try {
      if (java.nio.file.Files.exists(f)) {
        Object key = java.nio.file.Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        return key != null ? "inode:" + key : "path:" + f.toRealPath();
      }
      Path dir = f.getParent();
      Path name = f.getFileName();
      Path existing = dir;
      java.util.Deque<Path> missing = new java.util.ArrayDeque<>();
      while (existing != null && !java.nio.file.Files.exists(existing)) {
        missing.push(existing.getFileName());
        existing = existing.getParent();
      }
      Path real = existing == null ? Path.of("/") : existing.toRealPath();
      for (Path m : missing) {
        real = real.resolve(m);
      }
      return "path:" + real.resolve(name);
    } catch (java.io.IOException e) {
      return "path:" + f;
    }
  }

  /** {@code system_identifier/database} of the server a URL names, or null when it cannot be asked. */
  private static String pgKey(String url, PgUrl u) {
    try (Connection c = connectRaw(url); java.sql.Statement s = c.createStatement()) {
      String db;
      try (java.sql.ResultSet rs = s.executeQuery("SELECT current_database()")) {
        rs.next();
        db = rs.getString(1);
      }
      try (java.sql.ResultSet rs = s.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
        rs.next();
        return "sysid:" + rs.getLong(1) + "/" + db;
      } catch (SQLException e) {
        // pg_control_system() not granted: the server's address as it sees itself
        try (java.sql.ResultSet rs = s.executeQuery("SELECT host(inet_server_addr()), inet_server_port()")) {
          rs.next();
          return rs.getString(1) == null ? null : "addr:" + rs.getString(1) + ":" + rs.getInt(2) + "/" + db;
        }
      }
    } catch (SQLException e) {
      return null;
    }
  }

  private static boolean sameHost(String a, String b) {
    try {
      java.util.Set<String> x = addresses(a);
      java.util.Set<String> y = addresses(b);
      x.retainAll(y);
      return !x.isEmpty();
    } catch (java.net.UnknownHostException e) {
      return a.equalsIgnoreCase(b);
    }
  }

  private static java.util.Set<String> addresses(String host) throws java.net.UnknownHostException {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (java.net.InetAddress i : java.net.InetAddress.getAllByName(host)) {
      out.add(i.isLoopbackAddress() ? "loopback" : i.getHostAddress());
    }
    return out;
  }
}
