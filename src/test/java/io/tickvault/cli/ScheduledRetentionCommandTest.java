package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.archive.DailyRetention;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --apply-retention} through the command line: the policies are applied at start (the
 * day's run), the run is logged and recorded; the options are refused where they do not apply.
 * The once-a-day rule on an injected clock is {@code archive/DailyRetentionTest}.
 */
class ScheduledRetentionCommandTest {
  @TempDir
  Path dir;

  /** Old synthetic bars under a 30d policy. */
  private void oldBarsWithAPolicy() {
    CliHarness cli = new CliHarness(dir);
    assertEquals(0, cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-06", "--to", "2025-01-07")
        .code());
    Run set = cli.run("retention", "set", "--source", "synthetic", "--keep", "30d");
    assertEquals(0, set.code(), set.toString());
  }

  /** Runs a long-running command in a thread until its stdout holds {@code marker}, then interrupts it; its stdout. */
  private String runUntil(String marker, String... args) throws InterruptedException {
    CliHarness.Background running = new CliHarness(dir).start(args);
    running.await(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(marker)));
    assertEquals(0, running.stop(), running.out() + "\n" + running.err());
    return running.out().toString();
  }

  @Test
  void serve_applies_the_policies_once_for_the_day_and_logs_it() throws Exception {
    oldBarsWithAPolicy();
    String out = runUntil("retention of ", "serve", "--port", "0", "--apply-retention");
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertTrue(out.contains("tickvault: retention of " + today + ": synthetic 780 rows deleted"), out);
    try (BarStore s = Stores.open(dir.resolve("data/tickvault.db").toString())) {
      assertEquals(0, s.stats(SourceName.SYNTHETIC, BarFilter.ALL).rows());
      assertEquals(today, s.meta(DailyRetention.LAST_DAY_KEY).orElseThrow());
    }
  }

  @Test
  void sync_every_applies_the_policies_before_the_days_first_sync() throws Exception {
    oldBarsWithAPolicy();
    String text = runUntil(" sync ok ", "sync", "--every", "1h", "--apply-retention");
    int retention = text.indexOf("retention of " + LocalDate.now(ZoneOffset.UTC) + ": synthetic 780 rows deleted");
    assertTrue(retention > 0 && retention < text.indexOf(" sync ok "), text);
    Run mirror = new CliHarness(dir).run("--mode", "mirror", "health", "--source", "synthetic", "--format", "json");
    assertEquals(0, Json.MAPPER.readTree(mirror.out()).get("sources").get(0).get("rows").asLong(),
        "the mirror follows in the same tick: " + mirror);
  }

  @Test
  void the_options_are_refused_where_they_do_not_apply() {
    CliHarness cli = new CliHarness(dir);
    Run sync = cli.run("sync", "--apply-retention");
    assertEquals(2, sync.code(), sync.toString());
    assertTrue(sync.err().contains("--apply-retention goes with --every"), sync.err());
    Run serve = cli.run("--mode", "mirror", "serve", "--apply-retention");
    assertEquals(2, serve.code(), serve.toString());
    assertTrue(serve.err().contains("--apply-retention is for the live mode only"), serve.err());
  }
}
