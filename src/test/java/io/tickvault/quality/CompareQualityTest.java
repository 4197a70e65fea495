package io.tickvault.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.cli.Json;
import io.tickvault.config.Settings;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare runs the checks of validate on both sides, in a section of its own; validate's own CLI. */
class CompareQualityTest {
  @TempDir
  Path dir;

  CliHarness fill() throws Exception {
    Path db = dir.resolve("q.db");
    try (BarStore store = Stores.open(db.toString())) {
      CraftedData.write(store, db);
      store.createSource(SourceName.of("copy"), SourceKind.VENDOR, "");
      store.write(SourceName.of("copy"), io.tickvault.domain.Timeframe.MIN_1, CraftedData.series("CLEAN", false).iterator());
    }
    return new CliHarness(dir).env(Settings.DATABASE_URL, db.toString());
  }

  @Test
  void compareAddsTheQualitySectionAndFailsOnValidateErrors() throws Exception {
    CliHarness cli = fill();
    Run clean = cli.run("compare", "--source", "crafted", "--target", "copy", "--symbol", "CLEAN");
    assertEquals(0, clean.code(), clean.toString());
    assertTrue(clean.out().contains("-- quality: the checks of `tickvault validate`"), clean.out());
    assertTrue(clean.out().contains("no findings"), clean.out());

    Run flawed = cli.run("compare", "--source", "crafted", "--target", "copy", "--symbol", "FLAWED");
    assertEquals(3, flawed.code(), flawed.toString());
    assertTrue(flawed.out().contains("errors: exit 3"), flawed.out());
    Run json = cli.run("compare", "--source", "crafted", "--target", "copy", "--symbol", "FLAWED", "--format", "json");
    JsonNode q = Json.MAPPER.readTree(json.out()).get("quality");
    assertEquals(2, q.size());
    assertTrue(q.get(0).get("errors").asLong() >= 3, q.toString()); // the future bar depends on today
    assertEquals(0, q.get(1).get("symbols").size(), "copy holds no FLAWED bars");
  }

  @Test
  void validateCliTextJsonStrictAndBadOptions() throws Exception {
    CliHarness cli = fill();
    Run clean = cli.run("validate", "--source", "copy");
    assertEquals(0, clean.code(), clean.toString());
    assertTrue(clean.out().contains("0 errors, 0 warnings"), clean.out());
    Run flawed = cli.run("validate", "--source", "crafted", "--symbol", "FLAWED");
    assertEquals(3, flawed.code(), flawed.toString());
    assertTrue(flawed.out().contains("ohlc-outside-range") && flawed.out().contains("2024-01-10"), flawed.out());
    assertTrue(flawed.out().contains("missing-session") && flawed.out().contains("2024-02-07"), flawed.out());
    // warnings alone pass, and fail with --strict
    Run warnOnly = cli.run("validate", "--source", "crafted", "--symbol", "FLAWED", "--from", "2024-02-05", "--to",
        "2024-02-09");
    assertEquals(0, warnOnly.code(), warnOnly.toString());
    assertTrue(warnOnly.out().contains("missing-session"), warnOnly.out());
    Run strict = cli.run("validate", "--source", "crafted", "--symbol", "FLAWED", "--from", "2024-02-05", "--to",
        "2024-02-09", "--strict");
    assertEquals(3, strict.code(), strict.toString());
    Run json = cli.run("validate", "--source", "crafted", "--symbol", "FLAWED", "--format", "json", "--jump", "20%");
    JsonNode doc = Json.MAPPER.readTree(json.out());
    assertEquals(0, doc.get("symbols").get(0).get("counts").get("jump").asLong(), "15% is no jump at --jump 20%");
    assertEquals(false, doc.get("ok").asBoolean());
    Run bad = cli.run("validate", "--source", "crafted", "--calendar", "lse");
    assertEquals(2, bad.code(), bad.toString());
    assertTrue(bad.err().contains("us-equities"), bad.err());
    Run badJump = cli.run("validate", "--source", "crafted", "--jump", "ten");
    assertEquals(2, badJump.code(), badJump.toString());
  }
}
