package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile source names and symbols are refused with a clear message before anything reaches SQL,
 * and the existing data is untouched, on both engines.
 */
class HostileNamesTest {
  @TempDir
  Path dir;

  static final List<String> HOSTILE = List.of("x; DROP TABLE price_ticks_alpaca; --", "a\"b", "../x",
      "a".repeat(41), "", "Alpaca", "1abc", "x y");

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void hostile_source_names_and_symbols_are_refused_and_nothing_is_touched(String engine) {
    CliHarness cli = new CliHarness(dir);
    if (engine.equals("postgresql")) {
      cli.env("TICKVAULT_DATABASE_URL", TestPostgres.newDatabase());
    }
    assertEquals(0, cli.run("create").code());
    assertEquals(0, cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "test").code());
    assertEquals(0, cli.run("migrate", "--source", "test", "--target", "mock").code());
    for (String bad : HOSTILE) {
      for (String[] args : List.of(
          new String[] {"create", "--source", bad},
          new String[] {"clean", "--source", bad, "--confirm"},
          new String[] {"migrate", "--source", "test", "--target", bad},
          new String[] {"migrate", "--source", bad, "--target", "mock"},
          new String[] {"compare", "--source", bad, "--target", "test"},
          new String[] {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", bad})) {
        Run r = cli.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r);
        assertTrue(r.err().contains("invalid source name"), r.err());
      }
    }
    for (String bad : List.of("x; DROP TABLE price_ticks_alpaca; --", "a\"b", "../x", "ABCDEFGHIJK", "A B")) {
      Run r = cli.run("clean", "--source", "test", "--symbol", bad, "--confirm");
      assertEquals(2, r.code(), r.toString());
      assertTrue(r.err().contains("invalid symbol"), r.err());
      Run g = cli.run("ingest", "synthetic", "--symbols", bad, "--from", "2025-01-15");
      assertEquals(2, g.code(), g.toString());
    }
    Run list = cli.run("list");
    assertTrue(list.out().matches("(?s).*\\nalpaca +vendor +- +America/New_York +empty +0 .*"), list.out());
    assertTrue(list.out().matches("(?s).*\\nmock +generated +1Min +America/New_York +has data +390 .*"), list.out());
    assertTrue(list.out().matches("(?s).*\\ntest +generated +1Min +America/New_York +has data +390 .*"), list.out());
    assertEquals(5, list.out().lines().filter(l -> l.matches("^[a-z]+ +(vendor|generated) .*")).count(), list.out());
  }
}
