package io.tickvault.cli;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault sync --every 1h} as a real process: it syncs at once, keeps running, and a SIGTERM
 * (what {@code systemctl stop} sends) ends it cleanly with exit 0 and "stopped".
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SyncEveryProcessTest {
  @TempDir
  Path dir;

  @Test
  void syncs_at_once_keeps_running_and_stops_cleanly_on_sigterm() throws Exception {
    try (BarStore p = Stores.open(dir.resolve("data/tickvault.db").toString())) {
      p.createSource(SourceName.SYNTHETIC, SourceKind.GENERATED, "generated");
      p.write(SourceName.SYNTHETIC, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 30,
          SourceName.SYNTHETIC).iterator());
    }
    String java = System.getenv("TICKVAULT_JAVA");
    if (java == null || java.isBlank()) {
      java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.tickvault.app.Main", "sync", "--every", "1h").directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TICKVAULT_"));
    Process proc = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.contains(" sync ok (")) {
          assertTrue(proc.isAlive(), "still running after the first sync");
          // SIGTERM by the process id (Process.destroy would also close the stream read here)
          assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(proc.pid())).start().waitFor());
        }
      }
    }
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, proc.exitValue(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("syncing sqlite:" + dir.resolve("data/tickvault.db")) && lines.get(0)
        .contains("every 1h"), lines.toString());
    assertTrue(lines.get(1).contains(" sync ok (first, ") && lines.get(1).contains("30 added"), lines.toString());
    assertEquals("stopped", lines.get(lines.size() - 1), lines.toString());
  }
}
