package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.Secrets;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.server.ApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redaction boundary fed each leak found under attack (issue 9, must fix 3). The real
 * executable runs in a child process (so library logs, warnings and {@code -v} stack traces are
 * included); its whole stdout and stderr, every stored ingest-log row and the API's bodies are
 * searched for the key and for any 8 characters of it (or of the mangled echo).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecretLeakTest {
  static final String KEY = "pk_leak_3Jd8sQ2mZx7Vb4Nc";
  /** The key with one character changed, as a vendor might echo it. */
  static final String MANGLED = KEY.substring(0, 11) + "X" + KEY.substring(12);

  @TempDir
  Path dir;
  FakeVendorServer vendor;

  @AfterEach
  void stop() {
    if (vendor != null) {
      vendor.close();
    }
  }

  record Out(int code, String text) {}

  private Out tickvault(Map<String, String> env, String... args) throws Exception {
    String java = System.getenv("TICKVAULT_JAVA");
    if (java == null || java.isBlank()) {
      java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.tickvault.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TICKVAULT_") || k.contains("API_KEY") || k.startsWith("APCA"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Out(p.exitValue(), text);
  }

  private Map<String, String> polygonEnv(String key) {
    Map<String, String> env = new HashMap<>();
    env.put("POLYGON_API_KEY", key);
    env.put("TICKVAULT_POLYGON_URL", vendor.base().toString());
    env.put("TICKVAULT_POLYGON_RATE", "0");
    env.put("TICKVAULT_DATABASE_URL", dir.resolve("prod.db").toString());
    return env;
  }

  /** Every 8-character piece of each secret that appears in {@code text}. */
  static List<String> leaks(String text, String... secrets) {
    List<String> found = new ArrayList<>();
    for (String s : secrets) {
      for (int i = 0; i + 8 <= s.length(); i++) {
        String piece = s.substring(i, i + 8);
        if (text.contains(piece) || text.toLowerCase(java.util.Locale.ROOT).contains(
            piece.toLowerCase(java.util.Locale.ROOT))) {
          found.add(piece);
        }
      }
    }
    return found;
  }

  /** Every stored ingest-log row, all columns. */
  private String ingestLog() throws Exception {
    Path db = dir.resolve("prod.db");
    if (!Files.exists(db)) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM tickvault_ingest_log")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(rs.getString(i)).append('|');
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** The API's bodies about the store the runs wrote to. */
  private String apiBodies() throws Exception {
    StringBuilder b = new StringBuilder();
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(),
        Settings.DATA_SOURCE, "polygon"), dir);
    HttpClient http = HttpClient.newHttpClient();
    try (Workspace w = new Workspace(settings);
         ApiServer server = ApiServer.start(w, Clock.systemUTC(), "127.0.0.1", 0)) {
      for (String path : List.of("api/sources", "api/data-source", "api/market-data/history/AAPL?from=2024-01-01",
          "api/sources/polygon/symbols", "health")) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        b.append(r.body()).append('\n');
      }
    }
    return b.toString();
  }

  private void assertNoLeak(Out out, String... secrets) throws Exception {
    assertEquals(List.of(), leaks(out.text(), secrets), "output:\n" + out.text());
    String log = ingestLog();
    assertEquals(List.of(), leaks(log, secrets), "ingest log:\n" + log);
  }

  /**
   * One {@code ingest polygon} against a vendor giving {@code answer}: in a child process (logs
   * and {@code -v} stack traces included) or, for the many variations, in this JVM through the same
   * command line and output boundary.
   */
  private Out ingest(Response answer, boolean childProcess, boolean verbose) throws Exception {
    vendor = FakeVendorServer.answering(r -> answer);
    List<String> args = new ArrayList<>(List.of("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-01-02",
        "--to", "2024-01-05"));
    if (verbose) {
      args.add("-v");
    }
    Out out = childProcess ? tickvault(polygonEnv(KEY), args.toArray(String[]::new))
        : inProcess(polygonEnv(KEY), args.toArray(String[]::new));
    vendor.close();
    vendor = null;
    return out;
  }

  private Out inProcess(Map<String, String> env, String... args) {
    CliHarness cli = new CliHarness(dir);
    env.forEach(cli::env);
    CliHarness.Run r = cli.run(args);
    return new Out(r.code(), r.out() + r.err());
  }

  @Test
  void a_key_quoted_by_malformed_json_is_neither_printed_nor_stored() throws Exception {
    List<String> echoes = List.of(KEY, MANGLED, KEY.toUpperCase(java.util.Locale.ROOT));
    for (String echoed : echoes) {
      for (boolean verbose : List.of(false, true)) {
        Out out = ingest(Response.ok("{\"status\":\"OK\",\"results\":[{\"o\":" + echoed + "}]}"),
            verbose && echoed.equals(MANGLED), verbose);
        assertEquals(4, out.code(), out.text());
        assertTrue(out.text().contains("Polygon sent an unreadable response"), out.text());
        assertNoLeak(out, KEY, MANGLED);
      }
    }
    assertEquals(List.of(), leaks(apiBodies(), KEY, MANGLED));
  }

  @Test
  void a_vendor_echoing_the_key_with_one_character_changed_does_not_leak_it() throws Exception {
    String[] bodies = {
        "{\"status\":\"ERROR\",\"error\":\"Unknown API Key: " + MANGLED + "\"}",
        "{\"status\":\"ERROR\",\"error\":\"Unknown API Key: " + KEY.substring(0, 11) + " " + KEY.substring(12) + "\"}",
        "{\"status\":\"ERROR\",\"message\":\"key=" + KEY.substring(1) + " is not valid\"}",
        "Invalid key <" + MANGLED.toLowerCase(java.util.Locale.ROOT) + ">",
        "{\"status\":\"ERROR\",\"error\":\"Unknown API Key: " + KEY.substring(0, 11) + "\"" + KEY.substring(12) + "\"}",
    };
    for (int status : new int[] {401, 400, 200}) {
      for (String body : bodies) {
        boolean child = status == 401 && body.startsWith("Invalid key");
        Out out = ingest(Response.json(status, body), child, child);
        assertEquals(4, out.code(), out.text());
        assertNoLeak(out, KEY, MANGLED);
      }
    }
    assertEquals(List.of(), leaks(apiBodies(), KEY, MANGLED));
  }

  @Test
  void a_key_with_a_control_character_is_refused_before_anything_is_sent() throws Exception {
    vendor = FakeVendorServer.answering(r -> Response.ok("{\"status\":\"OK\",\"resultsCount\":0}"));
    String[] args = {"ingest", "polygon", "--symbols", "AAPL", "--from", "2024-01-02", "--to", "2024-01-05", "-v"};
    for (String bad : List.of(KEY.substring(0, 12) + "\n" + KEY.substring(12), KEY + "\r\nX-Injected: 1",
        KEY.substring(0, 12) + "\t" + KEY.substring(12), KEY.substring(0, 12) + "\u0000" + KEY.substring(12))) {
      for (boolean child : List.of(false, true)) {
        if (child && bad.indexOf('\u0000') >= 0) {
          continue; // an environment variable cannot hold NUL; the in-process run covers it
        }
        Out out = child ? tickvault(polygonEnv(bad), args) : inProcess(polygonEnv(bad), args);
        assertEquals(2, out.code(), out.text());
        assertTrue(out.text().contains("contains a control character"), out.text());
        assertNoLeak(out, KEY);
      }
    }
    assertEquals(List.of(), vendor.requests(), "nothing may be sent with such a key");
  }

  @Test
  void a_database_password_with_a_slash_is_never_printed() throws Exception {
    String pw = "ss/SECRETX9";
    for (String url : List.of("postgres://alice:ss%2FSECRETX9@127.0.0.1:1/prod",
        "postgres://alice:" + pw + "@127.0.0.1:1/prod", "jdbc:postgresql://127.0.0.1:1/prod?user=alice&password="
            + "ss%2FSECRETX9")) {
      for (boolean child : List.of(false, true)) {
        Out out = child ? tickvault(Map.of(), "list", "--db", url, "-v") : inProcess(Map.of(), "list", "--db", url);
        assertTrue(out.code() == 2 || out.code() == 4, out.text());
        assertEquals(List.of(), leaks(out.text(), "SECRETX9", pw), out.text());
        assertTrue(!out.text().contains("SECRETX9"), out.text());
      }
    }
  }

  /** The boundary itself: what it masks, and that ordinary text passes unchanged. */
  @Test
  void fuzzy_redaction_masks_near_copies_and_keeps_ordinary_text() {
    Secrets.register(KEY);
    assertEquals("key ****.", Secrets.redact("key " + KEY + "."));
    assertEquals("key ****", Secrets.redact("key " + MANGLED));
    assertEquals("key ****", Secrets.redact("key " + KEY.toLowerCase(java.util.Locale.ROOT)));
    assertEquals("key ****", Secrets.redact("key " + KEY.substring(0, 20)));
    assertEquals("key **** ****", Secrets.redact("key " + KEY.substring(0, 11) + " " + KEY.substring(12)));
    String ordinary = "ingested 86 Polygon bars of 2 symbols (AAPL, MSFT) into polygon, 2024-01-02..2024-02-29 "
        + "postgresql://127.0.0.1:5432/marketdata";
    assertEquals(ordinary, Secrets.redact(ordinary));
    // a password is masked as a whole word only: "pw4Leak9" does not mask "pw4Leak9x"
    Secrets.registerPassword("pw4Leak9");
    assertEquals("postgresql://alice:****@h/db pw4Leak9x", Secrets.redact("postgresql://alice:pw4Leak9@h/db pw4Leak9x"));
  }
}
