package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync run by a real {@code tickvault} child process, killed with SIGKILL in the middle of its
 * transaction (after it has written some chunks), leaves the previous mirror readable by
 * read-only connections and accepted by {@code verify}, which lists the chunks production wrote
 * between the syncs as pending (not as faults); the next sync completes the job. On both
 * production engines.
 */
class MirrorCrashTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

  @TempDir
  Path dir;

  @Test
  @Timeout(300)
  void a_sync_killed_part_way_leaves_the_previous_mirror_and_the_next_sync_completes_postgres() throws Exception {
    killDuringSync(TestPostgres.newDatabase());
  }

  @Test
  @Timeout(300)
  void a_sync_killed_part_way_leaves_the_previous_mirror_and_the_next_sync_completes_embedded() throws Exception {
    killDuringSync(dir.resolve("data/tickvault.db").toString());
  }

  private void killDuringSync(String url) throws Exception {
    Path file = dir.resolve("mirror.db");
    MirrorService mirror = new MirrorService(file, Clock.systemUTC());
    try (BarStore production = Stores.open(url)) {
      production.createSource(SYN, SourceKind.GENERATED, "generated");
      for (String sym : List.of("AAPL", "MSFT", "NVDA", "AMZN")) {
        production.write(SYN, Timeframe.MIN_1, minutes(sym, "2025-01-13T14:30:00Z", 390, SYN).iterator());
      }
      mirror.sync(production, SyncOptions.INCREMENTAL);
      List<Bar> before = rows(file);
      assertEquals(4 * 390, before.size());

      // ten changed chunks: the child will be killed after writing three of them
      for (String sym : List.of("AAPL", "MSFT", "NVDA", "AMZN", "META")) {
        production.write(SYN, Timeframe.MIN_1, minutes(sym, "2025-01-14T14:30:00Z", 390, SYN).iterator());
        production.write(SYN, Timeframe.MIN_1, minutes(sym, "2025-01-15T14:30:00Z", 390, SYN).iterator());
      }

      Path wal = Path.of(file + "-wal");
      long walBefore = java.nio.file.Files.exists(wal) ? java.nio.file.Files.size(wal) : 0;
      Process child = startSync(url, file, 3);
      try {
        awaitPause(child);
        assertTrue(java.nio.file.Files.size(wal) > walBefore + 3 * 4096,
            "the three chunks reached the write-ahead log before the kill");
      } finally {
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
      }
      assertTrue(child.exitValue() != 0, "killed, not finished");

      assertEquals(before, rows(file), "the mirror is at its previous state");
      VerifyReport offline = mirror.verify(null, null);
      assertTrue(offline.ok(), () -> offline.differences().toString());
      assertEquals(1, mirror.lineage().orElseThrow().syncCount());
      VerifyReport online = mirror.verify(production, null);
      assertTrue(online.ok(), () -> "a faithful copy as of its last sync: " + online.differences());
      assertEquals(10, online.pending().size(), "production is ahead by the ten chunks: " + online.pending());
      assertTrue(online.pending().stream().allMatch(d -> d.problem() == VerifyReport.Problem.PENDING));
      assertEquals(4 + 10, online.chunksChecked());

      SyncReport next = mirror.sync(production, SyncOptions.INCREMENTAL);
      assertEquals(10 * 390, next.record().rowsAdded());
      List<Bar> all = new ArrayList<>();
      production.read(SYN, BarFilter.ALL, all::add);
      assertEquals(all, rows(file));
      VerifyReport done = mirror.verify(production, null);
      assertTrue(done.ok() && done.pending().isEmpty(), () -> done.pending().toString());
    }
  }

  private static List<Bar> rows(Path file) {
    try (SqliteBarStore m = SqliteBarStore.open(file, SqliteBarStore.Mode.READ_ONLY)) {
      List<Bar> out = new ArrayList<>();
      m.read(SYN, BarFilter.ALL, out::add);
      return out;
    }
  }

  private static Process startSync(String url, Path mirror, int pauseAfterChunks) throws Exception {
    String java = System.getenv("TICKVAULT_JAVA");
    if (java == null || java.isBlank()) {
      java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"),
        "-D" + MirrorService.PAUSE_PROPERTY + "=" + pauseAfterChunks, "io.tickvault.app.Main", "sync",
        "--db", url, "--mirror", mirror.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Waits for the child's pause line (it then sleeps inside the open transaction). */
  private static void awaitPause(Process child) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = r.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("sync paused after 3 chunks")) {
        return;
      }
    }
    assertFalse(true, "the child ended without pausing:\n" + seen);
  }
}
