package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 §4 and issue 9: fail fast on an unreachable PostgreSQL, create nothing on a read, and
 * {@code .env} read with the usual dotenv rules. Black box, real files, real PostgreSQL.
 */
@Timeout(120)
class FailFastAndNoCreateTest {
  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
  }

  private List<String> filesIn(Path d) throws Exception {
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(p -> !p.equals(d)).map(p -> d.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void a_dotenv_line_without_equals_is_an_error_naming_the_line_and_never_its_text() throws Exception {
    Files.writeString(dir.resolve(".env"), "DATA_SOURCE=synthetic\nsk_live_SECRETVALUE\n");
    Run r = cli.run("list");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains(".env line 2: expected KEY=VALUE"), r.err());
    assertFalse(r.err().contains("SECRETVALUE"), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertEquals(List.of(".env"), filesIn(dir));
    assertEquals(0, cli.run("--help").code(), "help still works with a broken .env");
  }

  @Test
  void dotenv_follows_the_usual_rules_quotes_export_and_inline_comments() throws Exception {
    Files.writeString(dir.resolve(".env"), String.join("\n",
        "# settings for this checkout",
        "export TICKVAULT_DATABASE_URL=\"data/my store.db\"   # where bars go",
        "TICKVAULT_MIRROR='data/m#1.db'",
        "TICKVAULT_STALE_AFTER=12h # half a day",
        "DATA_SOURCE = synthetic",
        "EMPTY=",
        ""));
    Run ingest = cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    assertEquals(0, ingest.code(), ingest.toString());
    assertTrue(Files.isRegularFile(dir.resolve("data/my store.db")), filesIn(dir).toString());
    Run check = cli.run("check", "--format", "json");
    JsonNode doc = Json.MAPPER.readTree(check.out());
    assertTrue(doc.get("mirror").asText().endsWith("m#1.db"), check.out());
    assertEquals(12 * 3600, doc.get("staleAfterSeconds").asLong(), check.out());
  }

  @Test
  void dotenv_with_an_unclosed_quote_names_the_line() throws Exception {
    Files.writeString(dir.resolve(".env"), "\n\nTICKVAULT_DATABASE_URL=\"data/x.db\n");
    Run r = cli.run("list");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains(".env line 3") && r.err().contains("not closed"), r.err());
  }

  @Test
  void a_write_refused_for_its_source_name_creates_no_store() throws Exception {
    for (String[] args : new String[][] {
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "bad name!"},
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "Synthetic"},
        {"create", "--source", "Bad-Name"}}) {
      Run r = cli.run(args);
      assertEquals(2, r.code(), r.toString());
      assertTrue(r.err().contains("invalid source name"), r.err());
      assertEquals(List.of(), filesIn(dir), String.join(" ", args) + " left files behind");
    }
  }

  @Test
  void read_only_commands_create_nothing_and_say_where_they_looked() throws Exception {
    String[][] reads = {
        {"list"}, {"list", "--mode", "test"}, {"list", "--format", "json"},
        {"compare", "--source", "synthetic", "--target", "mock"},
        {"clean", "--source", "synthetic"},
        {"migrate", "--source", "synthetic", "--target", "mock"},
        {"verify"}, {"check"}, {"sync"}, {"sync", "--sources", "nosuch"},
    };
    for (String[] args : reads) {
      Run r = cli.run(args);
      assertTrue(r.code() != 0, String.join(" ", args) + ": " + r);
      assertEquals(List.of(), filesIn(dir), String.join(" ", args) + " left files behind: " + r);
    }
    Run list = cli.run("list");
    assertEquals(2, list.code(), list.toString());
    assertTrue(list.err().contains("no store at " + dir.resolve("data/tickvault.db") + " (working directory " + dir
        + ")"), list.err());
    assertTrue(list.err().contains("tickvault demo") && list.err().contains("tickvault ingest"), list.err());
    Run test = cli.run("list", "--mode", "test");
    assertTrue(test.err().contains("no store at " + dir.resolve("data/test.db")), test.err());
  }

  @Test
  void serve_in_mirror_mode_creates_nothing() throws Exception {
    CliHarness.Background serving = new CliHarness(dir).start("serve", "--mode", "mirror", "--port", "0");
    String base = serving.await(Pattern.compile("at (http://\\S+/)"));
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("health", "api/sources", "api/market-summary")) {
      http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
    serving.stop();
    assertEquals(List.of(), filesIn(dir));
  }

  @Test
  void sync_of_an_unknown_source_refuses_before_making_a_mirror() throws Exception {
    assertEquals(0, cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15").code());
    Run r = cli.run("sync", "--sources", "synthetc");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("no source 'synthetc'") && r.err().contains("did you mean 'synthetic'?"), r.err());
    assertFalse(Files.exists(dir.resolve("data/mirror.db")), filesIn(dir).toString());
    Run nosuch = cli.run("sync", "--sources", "nosuch");
    assertEquals(2, nosuch.code(), nosuch.toString());
    assertFalse(Files.exists(dir.resolve("data/mirror.db")), filesIn(dir).toString());
  }

  @Test
  void a_refused_postgres_connection_fails_in_about_two_seconds_with_exit_4() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } // closed now: nothing listens there
    long t0 = System.nanoTime();
    Run r = cli.run("--db", "postgres://postgres@127.0.0.1:" + port + "/prod", "list");
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("cannot open store postgresql://127.0.0.1:" + port + "/prod"), r.err());
    assertTrue(secs < 2.5, "took " + secs + " s: " + r);
  }

  @Test
  void an_unknown_postgres_host_fails_in_about_two_seconds_with_exit_4() {
    long t0 = System.nanoTime();
    Run r = cli.run("list", "--db", "postgres://postgres@tickvault-no-such-host.invalid:5432/prod");
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("tickvault-no-such-host.invalid"), r.err());
    assertTrue(secs < 2.5, "took " + secs + " s: " + r);
  }

  @Test
  void a_slow_but_reachable_postgres_still_gets_its_normal_timeout() throws Exception {
    String url = TestPostgres.newDatabase();
    Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/").matcher(url);
    assertTrue(m.find(), url);
    try (DelayingProxy proxy = new DelayingProxy(m.group(1), Integer.parseInt(m.group(2)), 3000)) {
      String slow = url.replace(m.group(1) + ":" + m.group(2), "127.0.0.1:" + proxy.port());
      long t0 = System.nanoTime();
      Run r = cli.run("create", "--db", slow);
      double secs = (System.nanoTime() - t0) / 1e9;
      assertEquals(0, r.code(), r.toString());
      assertTrue(secs >= 3, "the proxy delays by 3 s, took " + secs);
    }
  }

  @Test
  void a_read_on_a_postgres_database_without_tickvault_tables_creates_none() throws Exception {
    String url = TestPostgres.newDatabase();
    Run r = cli.run("list", "--db", url);
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("no tickvault store in postgresql://"), r.err());
    try (Connection c = Stores.connectRaw(url); ResultSet rs = c.createStatement().executeQuery(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "tables were created by a read");
    }
    assertEquals(List.of(), filesIn(dir));
    assertEquals(0, cli.run("create", "--db", url).code());
    assertEquals(0, cli.run("list", "--db", url).code());
  }

  /** A TCP proxy that waits before connecting each client to the target: a slow network or server. */
  static final class DelayingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;

    DelayingProxy(String host, int port, long delayMillis) throws Exception {
      server = new ServerSocket(0);
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket client = server.accept();
            Thread t = new Thread(() -> {
              try (client; Socket upstream = connectLater(host, port, delayMillis)) {
                Thread up = pump(client.getInputStream(), upstream.getOutputStream());
                pump(upstream.getInputStream(), client.getOutputStream()).join();
                up.join(1000);
              } catch (Exception e) {
                // connection over
              }
            });
            t.setDaemon(true);
            t.start();
          } catch (Exception e) {
            return;
          }
        }
      }, "delaying-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static Socket connectLater(String host, int port, long delayMillis) throws Exception {
      Thread.sleep(delayMillis);
      return new Socket(host, port);
    }

    private static Thread pump(InputStream in, OutputStream out) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[8192];
        try {
          for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
          }
          out.close();
        } catch (Exception e) {
          // closed
        }
      });
      t.setDaemon(true);
      t.start();
      return t;
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join(5000);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
