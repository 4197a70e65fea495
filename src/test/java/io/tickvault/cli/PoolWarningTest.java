package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.PgUrl;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} on PostgreSQL when the server goes away under it (issue 9: connection-pool
 * warnings printed with stack traces without {@code -v}). The real executable runs in a child
 * process behind a TCP proxy; the proxy drops every connection between two requests, so the pool's
 * connections break.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PoolWarningTest {
  static final Pattern TRACE_LINE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(.*\\)$|^Caused by: ");

  @TempDir
  Path dir;

  /** Forwards TCP connections to PostgreSQL; {@link #dropAll} hangs up every open one. */
  static final class Proxy implements AutoCloseable {
    final ServerSocket server;
    final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    Proxy(String host, int port) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket client = server.accept();
            Socket upstream = new Socket(host, port);
            open.add(client);
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
          } catch (IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    private static void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          in.transferTo(out);
        } catch (IOException e) {
          // dropped
        }
      });
      t.setDaemon(true);
      t.start();
    }

    void dropAll() throws IOException {
      synchronized (open) {
        for (Socket s : open) {
          s.close();
        }
        open.clear();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      dropAll();
    }
  }

  @Test
  void a_postgresql_server_going_away_under_serve_prints_no_stack_trace_without_v() throws Exception {
    String url = TestPostgres.newDatabase();
    try (BarStore s = Stores.open(url)) {
      s.createSource(SourceName.SYNTHETIC, SourceKind.GENERATED, "generated");
    }
    PgUrl pg = PgUrl.parse(url);
    try (Proxy proxy = new Proxy(pg.host(), pg.port())) {
      String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.server.getLocalPort() + "/" + pg.database()
          + "?user=" + pg.user() + (pg.password() == null ? "" : "&password=" + pg.password());
      String java = System.getenv("TICKVAULT_JAVA");
      if (java == null || java.isBlank()) {
        java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      }
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.tickvault.app.Main",
          "serve", "--port", "0", "--db", viaProxy).directory(dir.toFile()).redirectErrorStream(true).start();
      StringBuffer out = new StringBuffer();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            out.append(line).append('\n');
          }
        } catch (IOException e) {
          // the child ended
        }
      });
      reader.start();
      try {
        String base = null;
        for (int i = 0; i < 900 && base == null; i++) {
          Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)").matcher(out);
          if (m.find()) {
            base = m.group(1);
          } else {
            Thread.sleep(100);
          }
        }
        assertTrue(base != null, "serve did not start:\n" + out);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
          http.send(HttpRequest.newBuilder(URI.create(base + "api/sources")).build(),
              HttpResponse.BodyHandlers.ofString());
          proxy.dropAll(); // the server goes away under the pool's open connections
          http.send(HttpRequest.newBuilder(URI.create(base + "api/sources")).build(),
              HttpResponse.BodyHandlers.ofString());
        }
        Thread.sleep(1000);
      } finally {
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        reader.join(10_000);
      }
      assertTrue(!TRACE_LINE.matcher(out).find(), "a stack trace without -v:\n" + out);
    }
  }
}
