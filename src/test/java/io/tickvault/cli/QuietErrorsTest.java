package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors are one line with what to do; stack traces (of tickvault or of a library's warning, such
 * as the connection pool's when PostgreSQL goes away) only with {@code -v}. The real executable
 * runs in a child process so library logs are included.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QuietErrorsTest {
  static final Pattern TRACE_LINE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(.*\\)$|^Caused by: ");

  @TempDir
  Path dir;

  private String tickvault(String... args) throws Exception {
    String java = System.getenv("TICKVAULT_JAVA");
    if (java == null || java.isBlank()) {
      java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "io.tickvault.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TICKVAULT_"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return "exit " + p.exitValue() + "\n" + out;
  }

  /** A "PostgreSQL" that accepts connections and hangs up at once: the server going away. */
  @Test
  void a_postgresql_server_that_goes_away_gives_one_line_without_a_stack_trace() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            in.read(new byte[8]); // the start-up packet begins, then the server is gone
          } catch (IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
      String url = "postgres://alice@127.0.0.1:" + server.getLocalPort() + "/prod";
      String quiet = tickvault("list", "--db", url);
      assertTrue(quiet.startsWith("exit 4\n"), quiet);
      assertTrue(quiet.contains("tickvault: "), quiet);
      assertTrue(!TRACE_LINE.matcher(quiet).find(), "a stack trace without -v:\n" + quiet);
      String verbose = tickvault("list", "--db", url, "-v");
      assertTrue(verbose.startsWith("exit 4\n"), verbose);
      assertTrue(TRACE_LINE.matcher(verbose).find(), "-v shows the stack trace:\n" + verbose);
    }
  }

  @Test
  void an_unreachable_postgresql_gives_one_line_without_a_stack_trace() throws Exception {
    String quiet = tickvault("list", "--db", "postgres://alice@127.0.0.1:1/prod");
    assertTrue(quiet.startsWith("exit 4\n"), quiet);
    assertTrue(!TRACE_LINE.matcher(quiet).find(), "a stack trace without -v:\n" + quiet);
    assertEquals(1, quiet.lines().filter(l -> l.startsWith("tickvault: ")).count(), quiet);
  }
}
