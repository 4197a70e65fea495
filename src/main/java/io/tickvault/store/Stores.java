package io.tickvault.store;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.store.postgres.PostgresBarStore;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens stores from a URL: {@code postgres://user:pass@host:5432/db},
 * {@code postgresql://...}, {@code jdbc:postgresql://host:5432/db?user=...}, or a SQLite file path
 * (optionally {@code sqlite:path} or {@code jdbc:sqlite:path}).
 */
public final class Stores {
  private static final Pattern JDBC_PG = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+)(\\?.*)?");

  private Stores() {}

  /** Whether the URL names a PostgreSQL store. */
  public static boolean isPostgres(String url) {
    return url.startsWith("postgres://") || url.startsWith("postgresql://") || url.startsWith("jdbc:postgresql:");
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
      PgTarget t = parsePostgres(url);
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
  public static SqliteBarStore openMirrorReadOnly(Path file) {
    return SqliteBarStore.open(file, SqliteBarStore.Mode.READ_ONLY);
  }

  /** Opens a SQLite mirror for writing; only sync may do this. */
  public static SqliteBarStore openMirrorForSync(Path file) {
    return SqliteBarStore.open(file, SqliteBarStore.Mode.MIRROR_SYNC);
  }

  /** Connection parameters of a PostgreSQL URL; {@link #toString()} never shows the password. */
  record PgTarget(String jdbcUrl, String user, String password, String host, int port, String database) {
    @Override
    public String toString() {
      return "postgresql://" + host + ":" + port + "/" + database;
    }
  }

  static PgTarget parsePostgres(String url) {
    if (url.startsWith("jdbc:")) {
      Matcher m = JDBC_PG.matcher(url);
      if (!m.matches()) {
        throw new InvalidInputException("invalid PostgreSQL URL: expected jdbc:postgresql://host:port/database");
      }
      int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
      return new PgTarget(url, null, null, m.group(1), port, m.group(3));
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      // never echo the URL: it may hold a password
      throw new InvalidInputException("invalid PostgreSQL URL: expected postgres://user:password@host:port/database");
    }
    String host = u.getHost() == null ? "127.0.0.1" : u.getHost();
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] ui = u.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(ui[0], StandardCharsets.UTF_8);
      password = ui.length > 1 ? URLDecoder.decode(ui[1], StandardCharsets.UTF_8) : null;
    }
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    return new PgTarget("jdbc:postgresql://" + host + ":" + port + "/" + db + query, user, password, host, port, db);
  }

  private static BarStore openPostgres(String url) {
    PgTarget t = parsePostgres(url);
    return PostgresBarStore.open(t.jdbcUrl(), t.user(), t.password(), t.host(), t.port(), t.database());
  }

  /**
   * A plain JDBC connection to the store a URL names, outside tickvault's engines: for benchmark
   * baselines and tests that stand in for other writers. The caller closes it.
   */
  public static Connection connectRaw(String url) throws SQLException {
    if (isPostgres(url)) {
      PgTarget t = parsePostgres(url);
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
    PgTarget t = parsePostgres(url);
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("PGHOST", t.host());
    env.put("PGPORT", Integer.toString(t.port()));
    env.put("PGDATABASE", t.database());
    String user = t.user();
    String password = t.password();
    if (t.jdbcUrl().contains("?")) {
      for (String kv : t.jdbcUrl().substring(t.jdbcUrl().indexOf('?') + 1).split("&")) {
        String[] p = kv.split("=", 2);
        if (p.length == 2 && p[0].equals("user")) user = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
        if (p.length == 2 && p[0].equals("password")) password = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
      }
    }
    if (user != null) env.put("PGUSER", user);
    if (password != null) env.put("PGPASSWORD", password);
    return env;
  }

  /** The display location of a store URL, without credentials. */
  public static String location(String url) {
    return isPostgres(url) ? parsePostgres(url).toString() : "sqlite:" + sqlitePath(url).toAbsolutePath().normalize();
  }
}
