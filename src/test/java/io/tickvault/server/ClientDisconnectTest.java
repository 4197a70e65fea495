package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.testing.Bars;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 §6: a client that goes away in the middle of a history response is one INFO line in the
 * server log: no ERROR, no stack trace. A real server and SQLite store; the client is a raw socket
 * that reads the start of a large response and resets the connection.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientDisconnectTest {
  static final Pattern TRACE_LINE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(.*\\)$|^Caused by: ");

  @TempDir
  Path dir;

  @Test
  void a_client_that_disconnects_mid_history_is_one_info_line() throws Exception {
    SourceName src = SourceName.of("long");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (Workspace ws = new Workspace(Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("p.db").toString()),
        dir))) {
      ws.production().createSource(src, SourceKind.VENDOR, "long", Timeframe.MIN_1, java.time.ZoneId.of("UTC"));
      ws.production().write(src, Timeframe.MIN_1, Bars.minutes("LONG", "2024-01-01T00:00:00Z", 150_000, src)
          .iterator());
      try (ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
        System.setErr(new PrintStream(new TeeStream(log, originalErr), true, StandardCharsets.UTF_8));
        // about 25 MB: far more than the socket buffers hold, so the server is still writing when we go
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
          socket.getOutputStream().write(("GET /api/market-data/history/LONG?source=long&limit=150000 HTTP/1.1\r\n"
              + "Host: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          InputStream in = socket.getInputStream();
          byte[] start = in.readNBytes(65_536);
          assertTrue(new String(start, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"), "the response started");
          socket.setSoLinger(true, 0); // reset: the server's next writes fail
        }
        String text = awaitLog(log, "the client closed the connection");
        // the server is fine afterwards
        assertEquals(200, new ApiClient(server.url()).get("/health").statusCode());
        List<String> lines = text.lines().filter(l -> l.contains("closed the connection")).toList();
        assertEquals(1, lines.size(), text);
        assertTrue(lines.get(0).contains(" INFO io.tickvault.server.HistoryWriter - GET "
            + "/api/market-data/history/LONG: the client closed the connection after "), lines.get(0));
        assertFalse(text.contains("ERROR"), text);
        assertFalse(text.contains("WARN"), text);
        assertFalse(TRACE_LINE.matcher(text).find(), "no stack trace: " + text);
      } finally {
        System.setErr(originalErr);
      }
    }
  }

  /** Waits (bounded by the test's timeout) until the log holds the text; returns the log. */
  private static String awaitLog(ByteArrayOutputStream log, String text) throws InterruptedException {
    while (true) {
      String s;
      synchronized (log) {
        s = log.toString(StandardCharsets.UTF_8);
      }
      if (s.contains(text)) {
        Thread.sleep(500); // let anything logged right after it arrive too
        synchronized (log) {
          return log.toString(StandardCharsets.UTF_8);
        }
      }
      Thread.sleep(100);
    }
  }

  /** Copies what is written to both streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final ByteArrayOutputStream copy;
    private final PrintStream out;

    TeeStream(ByteArrayOutputStream copy, PrintStream out) {
      this.copy = copy;
      this.out = out;
    }

    @Override
    public void write(int b) {
      synchronized (copy) {
        copy.write(b);
      }
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (copy) {
        copy.write(b, off, len);
      }
      out.write(b, off, len);
    }
  }
}
