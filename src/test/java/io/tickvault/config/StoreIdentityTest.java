package io.tickvault.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.PgUrl;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Is this the same store?" by identity, not spelling (issue 9, must fix 4): every spelling of
 * production offered as the test store, the mirror or the bench database is refused, and nothing
 * is written to production; a genuinely separate store (a copy, another database) is accepted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreIdentityTest {
  static final SourceName MARKER = SourceName.of("prod_only");

  @TempDir
  Path dir;

  private Workspace testMode(String production, String test) {
    return new Workspace(Settings.load(Map.of(Settings.DATABASE_URL, production, Settings.TEST_DATABASE_URL, test,
        Settings.DATA_MODE, "test", Settings.MIRROR, dir.resolve("mirror.db").toString()), dir));
  }

  private void makeProduction(String url) {
    try (Workspace w = new Workspace(Settings.load(Map.of(Settings.DATABASE_URL, url), dir))) {
      w.production().createSource(MARKER, SourceKind.GENERATED, "only in production");
    }
  }

  private List<String> sourcesOf(String url) {
    try (BarStore s = Stores.open(url)) {
      return s.sources().stream().map(r -> r.name().value()).sorted().toList();
    }
  }

  /** Each spelling must be refused by test mode, the CLI (exit 2) must write nothing to production. */
  private void assertAllRefused(String production, Set<String> spellings) {
    List<String> before = sourcesOf(production);
    List<String> accepted = new ArrayList<>();
    for (String test : spellings) {
      try (Workspace w = testMode(production, test)) {
        InvalidInputException e = assertThrows(InvalidInputException.class, w::store, test);
        assertTrue(e.getMessage().contains("names the production store"), e.getMessage());
      } catch (AssertionError e) {
        accepted.add(test + ": " + e.getMessage());
        continue;
      }
      CliHarness.Run r = new CliHarness(dir).env(Settings.DATABASE_URL, production)
          .env(Settings.TEST_DATABASE_URL, test).env(Settings.DATA_MODE, "test")
          .run("create", "--source", "test_rows");
      if (r.code() != 2) {
        accepted.add(test + " via the CLI: " + r);
      }
    }
    assertEquals(List.of(), accepted);
    assertEquals(before, sourcesOf(production), "production changed");
  }

  @Test
  void every_spelling_of_a_sqlite_production_is_the_same_store() throws Exception {
    Path prod = dir.resolve("prod.db");
    makeProduction(prod.toString());
    Files.createDirectories(dir.resolve("sub"));
    Path link = Files.createSymbolicLink(dir.resolve("link.db"), prod);
    Path dirLink = Files.createSymbolicLink(dir.resolve("linkdir"), dir);
    Path hard = Files.createLink(dir.resolve("hard.db"), prod);
    Set<String> spellings = new LinkedHashSet<>(List.of(prod.toString(), "prod.db", "./prod.db", "sub/../prod.db",
        dir + "/./prod.db", dir + "//prod.db", link.toString(), "link.db", dirLink.resolve("prod.db").toString(),
        hard.toString(), "sqlite:" + prod, "jdbc:sqlite:" + prod, "sqlite:prod.db", "jdbc:sqlite:" + link));
    assertAllRefused(prod.toString(), spellings);
    // a symlink as production and the real file as the test store
    assertAllRefused(link.toString(), Set.of(prod.toString()));
  }

  @Test
  void a_copy_or_another_file_is_a_separate_store() throws Exception {
    Path prod = dir.resolve("prod.db");
    makeProduction(prod.toString());
    Files.copy(prod, dir.resolve("copy.db"));
    for (String test : List.of(dir.resolve("copy.db").toString(), dir.resolve("test.db").toString(), "new/t.db")) {
      try (Workspace w = testMode(prod.toString(), test)) {
        w.store().createSource(SourceName.of("test_rows"), SourceKind.GENERATED, "test");
      }
    }
    assertFalse(sourcesOf(prod.toString()).contains("test_rows"));
  }

  @Test
  void the_mirror_under_another_spelling_is_refused_as_the_test_store_and_as_production() throws Exception {
    Path prod = dir.resolve("prod.db");
    makeProduction(prod.toString());
    Path mirror = dir.resolve("mirror.db");
    Files.writeString(mirror, ""); // exists: compared by inode
    Path link = Files.createSymbolicLink(dir.resolve("m.db"), mirror);
    try (Workspace w = testMode(prod.toString(), link.toString())) {
      InvalidInputException e = assertThrows(InvalidInputException.class, w::store);
      assertTrue(e.getMessage().contains("names the mirror"), e.getMessage());
    }
    try (Workspace w = new Workspace(Settings.load(Map.of(Settings.DATABASE_URL, "sqlite:" + link,
        Settings.MIRROR, "./mirror.db"), dir))) {
      assertThrows(io.tickvault.store.MirrorReadOnlyException.class, w::production);
    }
    assertEquals("", Files.readString(mirror));
  }

  /** The spellings of one PostgreSQL database a user might write. */
  static Set<String> pgSpellings(String jdbcUrl) {
    PgUrl u = PgUrl.parse(jdbcUrl);
    String cred = u.user() == null ? "" : u.user() + (u.password() == null ? "" : ":" + u.password()) + "@";
    String query = u.password() == null ? "?user=" + u.user() : "?user=" + u.user() + "&password=" + u.password();
    // the test server runs on this machine: its loopback names
    Set<String> hosts = new LinkedHashSet<>(List.of(u.host(), "127.0.0.1", "localhost", "LOCALHOST"));
    Set<String> out = new LinkedHashSet<>();
    for (String h : hosts) {
      for (String scheme : List.of("postgres://", "postgresql://")) {
        out.add(scheme + cred + h + ":" + u.port() + "/" + u.database());
        out.add(scheme + cred + h + ":" + u.port() + "/" + u.database() + "?sslmode=disable");
        out.add(scheme + cred + h + ":" + u.port() + "/" + u.database() + "?application_name=x&connect_timeout=5");
        if (u.port() == PgUrl.DEFAULT_PORT) {
          out.add(scheme + cred + h + "/" + u.database()); // the default port left out
        }
      }
      out.add("jdbc:postgresql://" + h + ":" + u.port() + "/" + u.database() + query);
      out.add("jdbc:postgresql://" + h + ":" + u.port() + "/" + u.database() + query + "&ApplicationName=other");
      if (u.port() == PgUrl.DEFAULT_PORT) {
        out.add("jdbc:postgresql://" + h + "/" + u.database() + query);
      }
    }
    out.add("postgres://" + cred + u.host() + ":" + String.format("%05d", u.port()) + "/" + u.database());
    return out;
  }

  @Test
  void every_spelling_of_a_postgresql_production_is_the_same_store() {
    String prod = TestPostgres.newDatabase();
    makeProduction(prod);
    Set<String> spellings = pgSpellings(prod);
    assertTrue(spellings.size() >= 20, spellings.toString());
    assertAllRefused(prod, spellings);
  }

  @Test
  void another_database_on_the_same_server_is_a_separate_store() {
    String prod = TestPostgres.newDatabase();
    String other = TestPostgres.newDatabase();
    makeProduction(prod);
    try (Workspace w = testMode(prod, other)) {
      w.store().createSource(SourceName.of("test_rows"), SourceKind.GENERATED, "test");
    }
    assertFalse(sourcesOf(prod).contains("test_rows"));
    assertTrue(sourcesOf(other).contains("test_rows"));
  }

  @Test
  void bench_refuses_production_however_it_is_spelled() {
    String prod = TestPostgres.newDatabase();
    try (BarStore s = Stores.open(prod)) {
      s.sources(); // tickvault's tables, no source tables
    }
    List<String> accepted = new ArrayList<>();
    for (String pg : pgSpellings(prod)) {
      CliHarness.Run r = new CliHarness(dir).env(Settings.DATABASE_URL, prod).run("bench", "--pg", pg,
          "--rows", "10000");
      if (r.code() != 2 || !r.err().contains("refusing to benchmark the production store")) {
        accepted.add(pg + ": " + r);
      }
    }
    assertEquals(List.of(), accepted);
  }
}
