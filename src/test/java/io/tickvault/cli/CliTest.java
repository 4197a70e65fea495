package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a black box on the embedded default store (a SQLite file in a temp dir). */
class CliTest {
  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
  }

  private Run ok(String... args) {
    Run r = cli.run(args);
    assertEquals(0, r.code(), r.toString());
    return r;
  }

  @Test
  void help_lists_commands_and_each_command_has_examples() {
    Run r = ok("--help");
    for (String c : new String[] {"list", "create", "clean", "migrate", "compare", "ingest"}) {
      assertTrue(r.out().contains(c), c);
    }
    for (String c : new String[] {"list", "create", "clean", "migrate", "compare"}) {
      Run h = ok(c, "--help");
      assertTrue(h.out().contains("Examples:"), c + ":\n" + h.out());
      assertTrue(h.out().contains("tickvault " + c), c);
    }
    assertTrue(ok("ingest", "synthetic", "--help").out().contains("--seed"));
  }

  @Test
  void ingest_then_list_shows_rows_on_the_embedded_default() {
    Run r = ok("ingest", "synthetic", "--symbols", "AAPL,MSFT", "--from", "2025-01-15", "--to", "2025-01-20");
    assertTrue(r.out().contains("ingested 3,120 synthetic bars into synthetic"), r.out());
    assertTrue(dir.resolve("data/tickvault.db").toFile().isFile());
    Run l = ok("list");
    assertTrue(l.out().contains("synthetic  generated  1Min   America/New_York  has data     3,120        2"), l.out());
    assertTrue(l.out().contains("alpaca     vendor     -      -                 not created"), l.out());
  }

  @Test
  void list_json_parses_and_matches_the_store() throws Exception {
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    JsonNode doc = Json.MAPPER.readTree(ok("list", "--format", "json").out());
    assertEquals("sqlite", doc.at("/store/engine").asText());
    JsonNode syn = null;
    for (JsonNode s : doc.get("sources")) {
      if (s.get("source").asText().equals("synthetic")) syn = s;
    }
    assertEquals(390, syn.get("rows").asLong());
    assertEquals("2025-01-15T14:30:00Z", syn.get("first").asText());
    assertEquals("1Min", syn.get("timeframe").asText());
    assertEquals("America/New_York", syn.get("timezone").asText());
    assertTrue(syn.get("mixed").isNull());
    assertEquals("ok", syn.at("/lastIngest/status").asText());
  }

  @Test
  void compare_exits_3_when_sources_differ_and_0_when_identical() throws Exception {
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    ok("create");
    Run differ = cli.run("compare", "--source", "synthetic", "--target", "mock");
    assertEquals(3, differ.code(), differ.toString());
    assertTrue(differ.out().contains("sources differ"));
    ok("migrate", "--source", "synthetic", "--target", "mock");
    Run same = ok("compare", "--source", "synthetic", "--target", "mock", "--format", "json");
    assertTrue(Json.MAPPER.readTree(same.out()).get("identical").asBoolean());
  }

  @Test
  void clean_of_a_vendor_source_without_confirm_exits_2_and_deletes_nothing() throws Exception {
    ok("create");
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "test");
    java.nio.file.Files.writeString(dir.resolve("bars.csv"),
        "symbol,timestamp,open,high,low,close,volume\nAAPL,2025-01-15T14:30:00Z,10,11,9,10.5,100\n");
    ok("import", "csv", "bars.csv", "--source", "real", "--create", "--timeframe", "1Min");
    Run r = cli.run("clean", "--source", "real");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("would delete 1 rows from real"), r.err());
    assertTrue(ok("list").out().matches("(?s).*\\nreal +vendor +1Min +America/New_York +has data +1 .*"));
    Run empty = ok("clean", "--source", "alpaca"); // nothing to delete: nothing to confirm
    assertTrue(empty.out().contains("deleted 0 rows from alpaca (no rows matched)"), empty.out());
    Run cleaned = ok("clean", "--source", "test", "--symbol", "AAPL");
    assertTrue(cleaned.out().contains("deleted 390 rows from test"), cleaned.out());
  }

  @Test
  void synthetic_data_cannot_be_ingested_into_a_vendor_source() {
    Run r = cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "alpaca");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("vendor source"), r.err());
  }

  @Test
  void refused_migration_exits_2_with_the_reason() {
    ok("create");
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    Run r = cli.run("migrate", "--source", "synthetic", "--target", "alpaca");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("migrate refused"), r.err());
  }

  @Test
  void every_mixing_refusal_exits_2_names_the_rule_and_writes_nothing() throws Exception {
    ok("create");
    java.nio.file.Files.writeString(dir.resolve("real.csv"), "symbol,timestamp,open,high,low,close,volume\n"
        + "AAPL,2025-01-15T14:30:00Z,10,11,9,10.5,100\n", java.nio.charset.StandardCharsets.UTF_8);
    ok("import", "csv", dir.resolve("real.csv").toString(), "--source", "mine", "--timeframe", "1Min", "--create");
    ok("migrate", "--source", "mine", "--target", "test"); // a backup: test now holds real rows
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    for (String[] args : new String[][] {
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "test"},
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "mine"},
        {"import", "csv", dir.resolve("real.csv").toString(), "--source", "alpaca"},
        {"migrate", "--source", "synthetic", "--target", "test"},
        {"migrate", "--source", "mine", "--target", "alpaca"}}) {
      Run r = cli.run(args);
      assertEquals(ExitCodes.USAGE, r.code(), r.toString());
      assertTrue(r.err().startsWith("tickvault: ") && r.err().contains("refus"), r.toString());
    }
    Run list = ok("list", "--format", "json");
    JsonNode doc = Json.MAPPER.readTree(list.out());
    for (JsonNode s : doc.get("sources")) {
      String name = s.get("source").asText();
      long expected = switch (name) {
        case "mine", "test" -> 1;
        case "synthetic" -> 390;
        default -> 0;
      };
      assertEquals(expected, s.get("rows").asLong(), name);
    }
  }

  @Test
  void usage_errors_exit_2() {
    assertEquals(2, cli.run("no-such-command").code());
    assertEquals(2, cli.run("clean").code()); // --source missing
    assertEquals(2, cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "15/01/2025").code());
    Run tf = cli.run("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--timeframe", "2Min");
    assertEquals(2, tf.code());
    assertTrue(tf.err().contains("invalid timeframe '2Min'"), tf.err());
  }

  @Test
  void unreachable_store_exits_4_without_printing_the_password() {
    Run r = cli.run("list", "--db", "postgres://alice:s3cret@127.0.0.1:1/prod");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("postgresql://127.0.0.1:1/prod"), r.err());
    assertTrue(!r.err().contains("s3cret") && !r.out().contains("s3cret"), r.err());
  }

  @Test
  void settings_come_from_flag_then_environment_then_dotenv() throws Exception {
    java.nio.file.Files.writeString(dir.resolve(".env"), "TICKVAULT_DATABASE_URL=from-dotenv.db\n");
    ok("create", "--source", "synthetic");
    assertTrue(dir.resolve("from-dotenv.db").toFile().isFile());
    cli.env("TICKVAULT_DATABASE_URL", "from-env.db");
    ok("create", "--source", "synthetic");
    assertTrue(dir.resolve("from-env.db").toFile().isFile());
    ok("create", "--source", "synthetic", "--db", dir.resolve("from-flag.db").toString());
    assertTrue(dir.resolve("from-flag.db").toFile().isFile());
  }

  @Test
  void test_mode_writes_to_the_separate_test_store() {
    cli.env("DATA_MODE", "test");
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    assertTrue(dir.resolve("data/test.db").toFile().isFile());
    assertTrue(!dir.resolve("data/tickvault.db").toFile().exists());
  }
}
