package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import io.tickvault.domain.SourceName;
import io.tickvault.server.DemoSetup;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault serve} and {@code tickvault demo} through the real command line. */
class ServeAndDemoCommandTest {
  private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) \\(mode live, source synthetic\\)");

  @TempDir
  Path dir;

  @Test
  void help_of_serve_and_demo_has_examples() {
    CliHarness cli = new CliHarness(dir);
    for (String c : new String[] {"serve", "demo"}) {
      Run h = cli.run(c, "--help");
      assertEquals(0, h.code(), h.toString());
      assertTrue(h.out().contains("Examples:") && h.out().contains("tickvault " + c), h.out());
    }
    assertTrue(cli.run("--help").out().contains("demo"));
  }

  @Test
  void demo_creates_the_embedded_store_with_synthetic_data_and_a_mirror_and_a_second_run_changes_nothing()
      throws Exception {
    CliHarness cli = new CliHarness(dir);
    Run first = cli.run("demo", "--no-serve");
    assertEquals(0, first.code(), first.toString());
    Path store = dir.resolve("data/tickvault.db");
    assertTrue(Files.isRegularFile(store), "the embedded production store is created in data/");
    assertTrue(first.out().contains("synthetic 1-minute bars, 12 symbols, 2025-01-06..2025-01-31"), first.out());
    assertTrue(first.out().contains("mirror: synced " + dir.resolve("data/demo-mirror.db") + " (first: "), first.out());
    assertFalse(Files.exists(dir.resolve("data/mirror.db")), "the development workflow's mirror is not taken");
    long rows;
    String digest;
    try (BarStore s = Stores.open(store.toString())) {
      rows = s.stats(SourceName.SYNTHETIC, BarFilter.ALL).rows();
      assertEquals(DemoSetup.SYMBOLS.size(), s.symbolStats(SourceName.SYNTHETIC).size());
      digest = digest(s);
    }
    assertTrue(rows > 100_000, "rows: " + rows);
    Run second = cli.run("demo", "--no-serve");
    assertEquals(0, second.code(), second.toString());
    assertTrue(second.out().contains("(incremental: 0 rows added, 0 changed, 0 deleted)"), second.out());
    Run check = cli.run("check", "--mirror", "data/demo-mirror.db");
    assertEquals(0, check.code(), "the demo's mirror is fresh: " + check);
    try (BarStore s = Stores.open(store.toString())) {
      assertEquals(rows, s.stats(SourceName.SYNTHETIC, BarFilter.ALL).rows());
      assertEquals(digest, digest(s), "the same bars, value for value");
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(300)
  void after_the_demo_the_development_workflow_syncs_its_own_mirror_and_a_failed_demo_step_exits_non_zero()
      throws Exception {
    CliHarness cli = new CliHarness(dir);
    assertEquals(0, cli.run("demo", "--no-serve").code());
    Run sync = cli.run("sync", "--sources", "synthetic");
    assertEquals(0, sync.code(), sync.toString());
    assertTrue(sync.out().contains("(first,"), sync.out());
    // the mirror step fails (the file named is no mirror): the demo says so, serves nothing, exits 2
    Path notAMirror = dir.resolve("data/tickvault.db");
    Run own = cli.run("demo", "--no-serve", "--mirror", dir.resolve("data/elsewhere.db").toString(), "--db",
        dir.resolve("prod2.db").toString());
    assertEquals(0, own.code(), own.toString()); // --mirror is honoured
    assertTrue(own.out().contains("mirror: synced " + dir.resolve("data/elsewhere.db")), own.out());
    Run bad = cli.run("demo", "--mirror", notAMirror.toString(), "--db", dir.resolve("prod2.db").toString());
    assertEquals(2, bad.code(), bad.toString());
    assertTrue(bad.err().contains("the mirror step failed; the dashboard was not started"), bad.err());
    assertTrue(bad.err().contains("is not a tickvault mirror"), bad.err());
    assertFalse(bad.out().contains("dashboard and API at"), bad.out());
  }

  private static String digest(BarStore s) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    s.read(SourceName.SYNTHETIC, BarFilter.ALL, b -> md.update(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  @Test
  void serve_binds_the_loopback_address_answers_and_stops_when_interrupted() throws Exception {
    new CliHarness(dir).run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-06");
    CliHarness.Background serving = new CliHarness(dir).start("serve", "--port", "0");
    String url = serving.await(URL);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"mode\":\"live\""), r.body());
    assertEquals(0, serving.stop(), serving.out() + "\n" + serving.err());
  }

  @Test
  void serve_on_a_port_in_use_exits_2_with_what_to_do() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = new CliHarness(dir).run("serve", "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(2, r.code(), r.toString());
      assertTrue(r.err().contains("tickvault: cannot start the server on 127.0.0.1:" + taken.getLocalPort()
          + ": the port is already in use; stop the other process using it, or pick another port with --port N"),
          r.err());
    }
  }
}
