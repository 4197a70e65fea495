package io.tickvault.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL stores for the two ways tickvault's own writes are tracked, each in a database of its
 * own with a mirror of its own: a superuser's (its writes record their chunks themselves) and a
 * role's that owns its database and nothing more (the triggers track its writes). Closing drops the
 * databases and roles made.
 */
final class PgSides implements AutoCloseable {
  /** One store with its mirror; {@code admin} reaches the same database as a superuser, {@code url} as the store's role. */
  record Side(String name, BarStore store, MirrorService mirror, String admin, String url) {}

  private final Path dir;
  private final List<String> roles = new ArrayList<>();
  private final List<String> databases = new ArrayList<>();
  private final List<BarStore> open = new ArrayList<>();

  PgSides(Path dir) {
    this.dir = dir;
  }

  /** A superuser's store. */
  Side privileged() {
    String url = TestPostgres.newDatabase();
    databases.add(url);
    BarStore s = Stores.open(url);
    open.add(s);
    return new Side("privileged", s, new MirrorService(dir.resolve("privileged.db"), Clock.systemUTC()), url, url);
  }

  /** A store of a role that owns its database; each grant has {@code {role}} for the role's name. */
  Side unprivileged(String... grants) {
    String url = TestPostgres.newDatabase();
    databases.add(url);
    String role = "tv_owner_" + UUID.randomUUID().toString().substring(0, 8);
    roles.add(role);
    TestPostgres.admin("CREATE ROLE " + role + " LOGIN PASSWORD 'owner'",
        "ALTER DATABASE " + TestPostgres.databaseName(url) + " OWNER TO " + role);
    for (String g : grants) {
      TestPostgres.admin(g.replace("{role}", role));
    }
    String mine = url.replaceFirst("\\?.*$", "") + "?user=" + role + "&password=owner";
    BarStore s = Stores.open(mine);
    open.add(s);
    return new Side("unprivileged", s, new MirrorService(dir.resolve(role + ".db"), Clock.systemUTC()), url, mine);
  }

  @Override
  public void close() {
    open.forEach(BarStore::close);
    databases.forEach(TestPostgres::dropDatabase);
    for (String r : roles) {
      TestPostgres.admin("DROP OWNED BY " + r, "DROP ROLE " + r); // DROP OWNED: also its grant on a parameter
    }
  }

  static void sql(String url, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  /** The first column of every row a query answers, as text. */
  static List<String> strings(String url, String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The marks of the change log, as source/symbol/day, sorted. */
  static List<String> marks(Side side) throws SQLException {
    return strings(side.admin(), "SELECT source || '/' || symbol || '/' || day FROM tickvault_changes "
        + "ORDER BY source, symbol, day");
  }

  static List<Bar> readAll(BarStore s, SourceName src) {
    List<Bar> out = new ArrayList<>();
    s.read(src, BarFilter.ALL, out::add);
    return out;
  }

  /** Syncs the side's mirror and checks it holds exactly production's rows of {@code src} and verifies clean. */
  static SyncReport syncAndCompare(Side side, SourceName src) {
    SyncReport r = side.mirror().sync(side.store(), SyncOptions.INCREMENTAL);
    try (SqliteBarStore m = SqliteBarStore.open(side.mirror().file(), SqliteBarStore.Mode.READ_ONLY)) {
      assertEquals(readAll(side.store(), src), readAll(m, src), side.name() + ": mirror rows");
    }
    VerifyReport v = side.mirror().verify(side.store(), null);
    assertTrue(v.ok(), () -> side.name() + ": verify " + v.differences());
    return r;
  }

  static Bar changedVolume(Bar b, long volume) {
    return new Bar(b.symbol(), b.timestamp(), b.price(), b.open(), b.high(), b.low(), b.close(), volume,
        b.tradeCount(), b.vwap(), b.origin());
  }
}
