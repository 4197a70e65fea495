package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench measures against same-run baselines and never touches a database holding data; demo stays embedded. */
class BenchAndSafetyTest {
  @TempDir
  Path dir;

  @Test
  void bench_reports_ratios_against_same_run_baselines_on_a_scratch_database() throws Exception {
    CliHarness cli = new CliHarness(dir);
    Run r = cli.run("bench", "--rows", "20000", "--pg", TestPostgres.newDatabase(), "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.MAPPER.readTree(r.out());
    java.util.Set<String> names = new java.util.HashSet<>();
    for (JsonNode m : doc.get("results")) {
      names.add(m.get("name").asText());
      assertTrue(m.get("rowsPerSecond").asLong() > 0, m.toString());
      assertTrue(m.get("baselineRowsPerSecond").asLong() > 0, m.toString());
      assertEquals(m.get("rowsPerSecond").asDouble() / m.get("baselineRowsPerSecond").asDouble(),
          m.get("ratio").asDouble(), 0.01 * m.get("ratio").asDouble(), m.toString());
    }
    assertTrue(names.containsAll(java.util.List.of("ingest sqlite", "ingest postgresql", "sync full",
        "sync incremental, 1 chunk", "verify", "validate sqlite")), names.toString());
    for (String history : new String[] {"history 1m sqlite", "history 1d sqlite", "history 1m postgresql",
        "history 1d postgresql"}) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(history + " (")), history + " in " + names);
    }
  }

  @Test
  void bench_refuses_a_database_that_holds_source_tables_and_leaves_it_alone() {
    String db = TestPostgres.newDatabase();
    CliHarness cli = new CliHarness(dir).env("TICKVAULT_DATABASE_URL", db);
    assertEquals(0, cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15").code());
    Run r = cli.run("bench", "--rows", "20000", "--pg", db);
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("refusing to benchmark"), r.err());
    assertTrue(cli.run("list").out().matches("(?s).*\\nsynthetic +generated +1Min +America/New_York +has data +390 .*"));
  }

  @Test
  void demo_refuses_to_write_into_a_configured_postgresql_store_without_yes() {
    String db = TestPostgres.newDatabase();
    CliHarness cli = new CliHarness(dir).env("TICKVAULT_DATABASE_URL", db);
    Run r = cli.run("demo", "--no-serve");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("--yes"), r.err());
    assertFalse(cli.run("list").out().contains("has data"));
  }
}
