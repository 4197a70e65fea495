package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loopback server's Host and Origin rules and its framing headers (issue 9, must fix 5), as a
 * browser on a rebinding page would meet them: raw HTTP/1.1 requests to a real server with the
 * Host and Origin of each row of a table.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostOriginGuardTest {
  @TempDir
  Path dir;
  Workspace workspace;
  ApiServer server;
  int port;

  @BeforeEach
  void start() {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(),
        Settings.ALLOWED_HOSTS, " tickvault.internal , Dash.Example "), dir);
    workspace = new Workspace(settings);
    workspace.production().createSource(SourceName.SYNTHETIC, SourceKind.GENERATED, "generated mock data");
    server = ApiServer.start(workspace, Clock.fixed(Instant.parse("2025-01-20T12:00:00Z"), ZoneOffset.UTC),
        "127.0.0.1", 0);
    port = server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    workspace.close();
  }

  @Test
  void only_literal_loopback_addresses_localhost_and_configured_names_are_answered() throws IOException {
    String p = ":" + port;
    List<String> answered = List.of("127.0.0.1" + p, "127.0.0.1", "127.1.2.3" + p, "127.255.255.254" + p,
        "localhost" + p, "LocalHost" + p, "[::1]" + p, "[0:0:0:0:0:0:0:1]" + p, "tickvault.internal" + p,
        "dash.example", "DASH.EXAMPLE" + p);
    List<String> refused = List.of("127.evil.com" + p, "127.0.0.1.nip.io" + p, "127.0.0.1.evil.com", "127.",
        "127.0.0.1." + p, "localhost.evil.com" + p, "evil.example" + p, "evil.localhost" + p, "0177.0.0.1" + p,
        "127.0.0.01" + p, "2130706433" + p, "0x7f.0.0.1" + p, "127.1" + p, "128.0.0.1" + p, "127.0.0.256" + p,
        "[::ffff:127.0.0.1]" + p, "[::2]" + p, "10.0.0.1" + p, "evil.tickvault.internal" + p,
        "tickvault.internal.evil.com" + p, "localhost" + p + "@evil.example", "user@localhost" + p);
    List<String> wrong = new ArrayList<>();
    for (String path : List.of("/api/sources", "/", "/health")) {
      for (String host : answered) {
        String r = raw("GET", path, host, null);
        if (!r.startsWith("HTTP/1.1 200")) {
          wrong.add(path + " Host " + host + " should be answered: " + firstLine(r));
        }
      }
      for (String host : refused) {
        String r = raw("GET", path, host, null);
        // 403 from the guard, or 400 when Jetty already refuses the Host as malformed
        if (!(r.startsWith("HTTP/1.1 403") && r.contains("only answers requests addressed to localhost"))
            && !r.startsWith("HTTP/1.1 400")) {
          wrong.add(path + " Host " + host + " should be refused: " + firstLine(r));
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void origin_must_equal_scheme_host_and_port_of_the_request() throws IOException {
    String host = "127.0.0.1:" + port;
    List<String> same = List.of("http://127.0.0.1:" + port, "HTTP://127.0.0.1:" + port);
    List<String> other = List.of("http://localhost:" + port, "https://127.0.0.1:" + port,
        "http://127.0.0.1:" + (port == 1 ? 2 : port - 1), "http://127.0.0.1", "null", "http://evil.example",
        "http://127.0.0.1:" + port + ".evil.com", "http://127.0.0.1:" + port + "@evil.example",
        "http://evil.example/127.0.0.1:" + port, "http://127.0.0.1:" + port + "/", "file://", "127.0.0.1:" + port, "");
    List<String> wrong = new ArrayList<>();
    for (String origin : same) {
      String r = raw("GET", "/api/sources", host, origin);
      if (!r.startsWith("HTTP/1.1 200")) {
        wrong.add("GET Origin " + origin + " should be answered: " + firstLine(r));
      }
    }
    for (String origin : other) {
      for (String method : List.of("GET", "POST")) {
        String path = method.equals("GET") ? "/api/sources" : "/api/sync";
        String r = raw(method, path, host, origin);
        if (!r.startsWith("HTTP/1.1 403") || !r.contains("requested by a page of another origin")) {
          wrong.add(method + " Origin " + origin + " should be refused: " + firstLine(r));
        }
      }
    }
    // a rebinding page: its own name in both Host and Origin
    String rebound = raw("POST", "/api/sync", "127.0.0.1.nip.io:" + port, "http://127.0.0.1.nip.io:" + port);
    if (!rebound.startsWith("HTTP/1.1 403")) {
      wrong.add("rebinding POST /api/sync should be refused: " + firstLine(rebound));
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void every_response_forbids_framing() throws IOException {
    String host = "127.0.0.1:" + port;
    for (String[] req : List.of(new String[] {"/", host}, new String[] {"/index.html", host},
        new String[] {"/api/sources", host}, new String[] {"/api/nosuch", host},
        new String[] {"/api/sources", "evil.example"}, new String[] {"/health", host})) {
      String r = raw("GET", req[0], req[1], null).toLowerCase(java.util.Locale.ROOT);
      assertTrue(r.contains("\r\nx-frame-options: deny\r\n"), req[0] + " " + req[1] + ": " + r.substring(0,
          Math.min(r.length(), 600)));
      assertTrue(r.contains("\r\ncontent-security-policy: frame-ancestors 'none'\r\n"), req[0] + ": " + r);
    }
  }

  private static String firstLine(String r) {
    int i = r.indexOf('\r');
    String body = r.substring(r.indexOf("\r\n\r\n") + 4);
    return (i < 0 ? r : r.substring(0, i)) + " " + body.substring(0, Math.min(160, body.length()));
  }

  private String raw(String method, String path, String host, String origin) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      String req = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n")
          + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
