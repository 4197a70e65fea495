package io.tickvault.cli;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault health} end to end, on the real clock: a 24x7 source with bars of the last
 * minutes is fresh (exit 0); a NYSE source whose newest bar is from 2025 is late (exit 3, in text
 * and JSON); a failed last run exits 3 too; validate records the open findings health shows; the
 * mirror mode says the mirror's age.
 */
class HealthCommandTest {
  @TempDir
  Path dir;

  private static final SourceName CRYPTO = SourceName.of("crypto");
  private static final SourceName OLD = SourceName.of("old");

  private CliHarness cli() {
    return new CliHarness(dir).env(Settings.DATABASE_URL, dir.resolve("prod.db").toString())
        .env(Settings.MIRROR, dir.resolve("mirror.db").toString());
  }

  private void fill(boolean withLate) {
    try (BarStore s = Stores.open(dir.resolve("prod.db").toString())) {
      s.createSource(CRYPTO, SourceKind.VENDOR, null, Timeframe.MIN_1, ZoneId.of("UTC"));
      Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(20, ChronoUnit.MINUTES);
      s.write(CRYPTO, Timeframe.MIN_1, minutes("BTC/USD", start.toString(), 10, CRYPTO).iterator());
      if (withLate) {
        s.createSource(OLD, SourceKind.VENDOR, null, Timeframe.MIN_1, null);
        s.write(OLD, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 30, OLD).iterator());
      }
    }
  }

  @Test
  void a_fresh_source_exits_0_a_late_one_exits_3() throws Exception {
    fill(false);
    CliHarness.Run ok = cli().run("health");
    assertEquals(0, ok.code(), ok.toString());
    assertTrue(ok.out().contains("crypto  fresh"), ok.out());
    assertTrue(ok.out().strip().endsWith("healthy"), ok.out());

    fill(true);
    CliHarness.Run late = cli().run("health");
    assertEquals(3, late.code(), late.toString());
    assertTrue(late.out().contains("old     late"), late.out());
    assertTrue(late.out().contains("old: late: newest bar 2025-01-15 14:59Z, expected a bar of the last completed "
        + "session"), late.out());
    assertTrue(late.out().contains("1 of 2 sources need attention (exit 3)"), late.out());
    assertEquals(0, cli().run("health", "--source", "crypto").code());

    CliHarness.Run json = cli().run("health", "--format", "json");
    assertEquals(3, json.code(), json.toString());
    JsonNode doc = Json.MAPPER.readTree(json.out());
    assertEquals(false, doc.get("healthy").asBoolean());
    assertEquals("crypto", doc.get("sources").get(0).get("source").asText());
    assertEquals("fresh", doc.get("sources").get(0).get("state").asText());
    assertEquals("24x7", doc.get("sources").get(0).get("calendar").asText());
    assertEquals("late", doc.get("sources").get(1).get("state").asText());
    assertEquals("2025-01-15T14:59:00Z", doc.get("sources").get(1).get("newestBar").asText());
    assertEquals(7, doc.get("sources").get(1).get("rowsPerDay").size());
  }

  @Test
  void a_failed_last_run_exits_3() {
    fill(false);
    try (BarStore s = Stores.open(dir.resolve("prod.db").toString())) {
      long id = s.startIngest(CRYPTO, "crypto", null, "BTC/USD", io.tickvault.domain.TimeRange.ALL);
      s.finishIngest(id, 0, io.tickvault.store.IngestStatus.FAILED, "the vendor refused the key");
    }
    CliHarness.Run r = cli().run("health");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.out().contains("crypto  failed"), r.out());
    assertTrue(r.out().contains("the vendor refused the key"), r.out());
  }

  @Test
  void validate_records_the_open_findings_and_health_shows_them() throws Exception {
    fill(true);
    CliHarness.Run v = cli().run("validate", "--source", "old", "--from", "2025-01-13", "--to", "2025-01-17");
    assertEquals(0, v.code(), v.toString()); // warnings only
    JsonNode doc = Json.MAPPER.readTree(cli().run("health", "--source", "old", "--format", "json").out());
    JsonNode val = doc.get("sources").get(0).get("validation");
    assertEquals(0, val.get("errors").asLong());
    assertTrue(val.get("warnings").asLong() > 0, val.toString());
    assertEquals(4, val.get("counts").get("missing-session").asLong(), val.toString()); // 13, 14, 16, 17
    assertEquals("2025-01-13", val.get("from").asText());
    // one symbol only is not the whole source: not recorded
    cli().run("validate", "--source", "old", "--symbol", "AAPL");
    assertEquals(val, Json.MAPPER.readTree(cli().run("health", "--source", "old", "--format", "json").out())
        .get("sources").get(0).get("validation"));
    // a clean run over the source clears them
    cli().run("validate", "--source", "old");
    val = Json.MAPPER.readTree(cli().run("health", "--source", "old", "--format", "json").out())
        .get("sources").get(0).get("validation");
    assertEquals(0, val.get("warnings").asLong(), val.toString());
  }

  @Test
  void in_mirror_mode_health_reads_the_mirror_and_says_its_age() throws Exception {
    fill(false);
    assertEquals(0, cli().run("sync").code());
    CliHarness.Run r = cli().run("--mode", "mirror", "health");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("(mirror)") && r.out().contains("mirror: last sync "), r.out());
    JsonNode doc = Json.MAPPER.readTree(cli().run("--mode", "mirror", "health", "--format", "json").out());
    assertEquals(false, doc.get("mirror").get("stale").asBoolean());
    assertEquals("fresh", doc.get("sources").get(0).get("state").asText());
  }

  @Test
  void an_unknown_source_exits_2() {
    fill(false);
    assertEquals(2, cli().run("health", "--source", "nosuch").code());
  }
}
