package io.tickvault.cli;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.DbFiles;
import io.tickvault.testing.Sqlite3Shell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sync, verify and check as a user runs them: exit codes, output, JSON. */
class MirrorCommandsTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

  @TempDir
  Path dir;

  private Settings settings;
  private Path production;
  private Path mirror;
  private String out;
  private String err;

  @BeforeEach
  void setUp() {
    production = dir.resolve("data/tickvault.db");
    mirror = dir.resolve("data/mirror.db");
    try (BarStore p = Stores.open(production.toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
      p.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 60, SYN).iterator());
      p.write(SYN, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T14:30:00Z", 60, SYN).iterator());
    }
    settings = Settings.load(Map.of(Settings.DATABASE_URL, "data/tickvault.db"), dir);
  }

  private int run(String... args) {
    CommandLine cl = Cli.create(settings);
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    cl.setOut(new PrintWriter(o));
    cl.setErr(new PrintWriter(e));
    int code = cl.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  @Test
  void sync_then_verify_then_check_succeed_on_a_fresh_mirror() {
    assertEquals(0, run("sync"), err);
    assertTrue(out.contains("synced sqlite:" + production), out);
    assertTrue(out.contains("(first,"), out);
    assertTrue(out.contains("120 rows added"), out);
    assertTrue(Files.exists(mirror));

    assertEquals(0, run("verify"), err);
    assertTrue(out.contains("2 of 2 chunks match (120 rows): the mirror is a faithful copy of production as of its "
        + "last sync"), out);
    assertTrue(out.contains("production sqlite:"), out);

    assertEquals(0, run("check"), out + err);
    assertTrue(out.startsWith("fresh: last sync "), out);
    assertTrue(out.contains("synthetic"), out);
  }

  @Test
  void sync_log_shows_every_attempt_with_the_error_of_a_failed_one_in_text_and_json() throws Exception {
    assertEquals(0, run("sync", "log"), err);
    assertTrue(out.startsWith("no sync attempts logged in " + mirror), out);
    assertTrue(out.contains("no mirror yet"), out);
    assertEquals(0, run("sync"), err);
    assertEquals(2, run("sync", "--sources", "nosuch"), err); // refused: logged as a failed attempt
    assertEquals(0, run("sync"), err);

    assertEquals(0, run("sync", "log"), err);
    List<String> lines = out.lines().toList();
    assertEquals(2 + 3, lines.size(), out); // header, rule, three attempts
    assertTrue(lines.get(0).startsWith("started") && lines.get(0).contains("error"), out);
    assertTrue(lines.get(2).contains(" incremental ") && lines.get(2).contains(" ok "), out);
    assertTrue(lines.get(3).contains(" failed ") && lines.get(3).contains("no source 'nosuch'"), out);
    assertTrue(lines.get(4).contains(" first ") && lines.get(4).contains(" 120 "), out);

    assertEquals(0, run("sync", "log", "--limit", "2", "--format", "json"), err);
    JsonNode j = Json.MAPPER.readTree(out);
    assertEquals(2, j.size());
    assertTrue(j.get(0).get("ok").asBoolean());
    assertTrue(j.get(0).get("error").isNull());
    assertFalse(j.get(1).get("ok").asBoolean());
    assertEquals("sqlite:" + production, j.get(1).get("production").asText());
    assertTrue(j.get(1).get("error").asText().contains("nosuch"), out);
    assertEquals(2, run("sync", "log", "--limit", "0"), err);
  }

  @Test
  void sync_json_reports_the_counts() throws Exception {
    assertEquals(0, run("sync", "--format", "json"), err);
    JsonNode j = Json.MAPPER.readTree(out);
    assertEquals("first", j.get("mode").asText());
    assertEquals(120, j.get("rowsAdded").asLong());
    assertEquals(120, j.get("rowsRead").asLong());
    assertEquals("*", j.get("selection").asText());
  }

  @Test
  void verify_prints_the_tampered_chunk_and_exits_3() throws Exception {
    assertEquals(0, run("sync"), err);
    Sqlite3Shell.run(mirror, "UPDATE price_ticks_synthetic SET volume = 7 WHERE symbol = 'MSFT' "
        + "AND \"timestamp\" = 1736951400000000;");
    assertEquals(3, run("verify", "--offline"), out + err);
    String table = out.substring(out.indexOf("source"));
    assertEquals("""
        source     symbol  day         mirror rows  expected rows  against   problem
        ---------  ------  ----------  -----------  -------------  --------  -------------------------
        synthetic  MSFT    2025-01-15           60             60  recorded  mirror changed since sync
        1 of 2 chunks differ
          mirror changed since sync: the mirror's rows were changed outside `tickvault sync`; run `tickvault sync` \
        to rewrite them from production
        """, table);
    assertTrue(err.contains("--offline"), err);
    assertEquals(3, run("verify", "--format", "json"));
    JsonNode j = Json.MAPPER.readTree(out);
    assertFalse(j.get("ok").asBoolean());
    assertEquals(1, j.get("differences").size(), out); // one line per chunk, against the recorded checksum
    assertEquals("mirror_changed", j.get("differences").get(0).get("problem").asText());
    assertEquals(1, j.get("chunksDiffering").asLong());
    assertEquals(2, j.get("chunksChecked").asLong());
    assertEquals("[\"tickvault sync\"]", j.get("advice").toString());

    assertEquals(0, run("sync"), err);
    assertTrue(out.contains("1 changed"), out);
    assertEquals(0, run("verify"), out + err);
  }

  @Test
  void verify_after_production_moved_on_lists_pending_chunks_and_exits_0() throws Exception {
    assertEquals(0, run("sync"), err);
    try (BarStore p = Stores.open(production.toString())) {
      for (String day : new String[] {"2025-01-16", "2025-01-17", "2025-01-20"}) {
        p.write(SYN, io.tickvault.domain.Timeframe.MIN_1, minutes("AAPL", day + "T14:30:00Z", 30, SYN).iterator());
      }
      p.write(SYN, io.tickvault.domain.Timeframe.MIN_1, minutes("MSFT", "2025-01-15T16:00:00Z", 5, SYN).iterator()); // a chunk the mirror has, grown
    }
    assertEquals(0, run("verify"), out + err);
    assertTrue(out.contains("""
        source     symbol  day         mirror rows  production rows
        ---------  ------  ----------  -----------  ---------------
        synthetic  AAPL    2025-01-16            0               30
        synthetic  AAPL    2025-01-17            0               30
        synthetic  AAPL    2025-01-20            0               30
        synthetic  MSFT    2025-01-15           60               65
        4 chunks changed in production since the last sync: run `tickvault sync`
        1 of 5 chunks match (120 rows): the mirror is a faithful copy of production as of its last sync
        """), out);
    assertFalse(out.contains("differ"), out);

    assertEquals(0, run("verify", "--format", "json"), out + err);
    JsonNode j = Json.MAPPER.readTree(out);
    assertTrue(j.get("ok").asBoolean());
    assertEquals(5, j.get("chunksChecked").asLong());
    assertEquals(4, j.get("chunksPending").asLong());
    assertEquals(0, j.get("chunksDiffering").asLong());
    assertEquals("pending", j.get("pending").get(0).get("problem").asText());
    assertEquals("[\"tickvault sync\"]", j.get("advice").toString());

    // tampering on top: a difference (exit 3), counted once, with the advice for its cause
    Sqlite3Shell.run(mirror, "UPDATE price_ticks_synthetic SET volume = 7 WHERE symbol = 'MSFT' "
        + "AND \"timestamp\" = 1736951400000000;");
    assertEquals(3, run("verify"), out + err);
    assertTrue(out.contains("1 of 5 chunks differ\n"), out);
    assertTrue(out.contains("run `tickvault sync` to rewrite them"), out);
    assertTrue(out.contains("3 chunks changed in production since the last sync: run `tickvault sync`"), out);
    assertFalse(out.contains("--full"), out);

    assertEquals(0, run("sync"), err);
    assertEquals(0, run("verify"), out + err);
    assertTrue(out.contains("5 of 5 chunks match (215 rows)"), out);
    assertFalse(out.contains("changed in production"), out);
  }

  @Test
  void check_exits_0_at_6_days_and_3_at_8_days() throws Exception {
    for (int days : new int[] {6, 8}) {
      Files.deleteIfExists(mirror);
      Instant then = Instant.now().minus(Duration.ofDays(days));
      try (BarStore p = Stores.open(production.toString())) {
        new MirrorService(mirror, Clock.fixed(then, ZoneOffset.UTC)).sync(p, SyncOptions.INCREMENTAL);
      }
      int code = run("check");
      assertEquals(days == 6 ? 0 : 3, code, out + err);
      assertTrue(out.startsWith(days == 6 ? "fresh: " : "stale: "), out);
      assertTrue(out.contains("(" + days + "d"), out);
      assertEquals(days == 6 ? 0 : 3, run("check", "--format", "json"));
      JsonNode j = Json.MAPPER.readTree(out);
      assertEquals(days, j.get("ageDays").asLong());
      assertEquals(days != 6, j.get("stale").asBoolean());
      assertEquals(days == 6 ? 3 : 0, run("check", "--max-age", days == 6 ? "5d" : "9d"), out);
    }
  }

  @Test
  void check_before_any_sync_exits_3_and_says_to_sync() {
    assertEquals(3, run("check"));
    assertTrue(out.contains("no mirror at " + mirror), out);
    assertTrue(out.contains("tickvault sync"), out);
  }

  @Test
  void verify_without_a_mirror_exits_4_and_says_to_sync() {
    assertEquals(4, run("verify"));
    assertTrue(err.contains("run `tickvault sync` first"), err);
  }

  @Test
  void sync_from_another_production_is_refused_with_exit_2_and_full_accepts_it() {
    assertEquals(0, run("sync"), err);
    Path other = dir.resolve("other.db");
    try (BarStore p = Stores.open(other.toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
    }
    assertEquals(2, run("sync", "--db", other.toString()));
    assertTrue(err.contains("made from another production store"), err);
    assertEquals(0, run("sync", "--db", other.toString(), "--full"), err);
  }

  @Test
  void bad_options_are_usage_errors() {
    assertEquals(2, run("sync", "--since", "yesterday"));
    assertTrue(err.contains("invalid --since 'yesterday'"), err);
    assertEquals(2, run("sync", "--sources", "x; DROP TABLE price_ticks_synthetic"));
    assertTrue(err.contains("invalid source name"), err);
    assertEquals(2, run("check", "--max-age", "soon"));
  }

  @Test
  void list_in_mirror_mode_shows_the_lineage() throws Exception {
    assertEquals(0, run("sync"), err);
    assertEquals(0, run("list", "--mode", "mirror"), err);
    assertTrue(out.contains("read-only"), out);
    assertTrue(out.contains("Lineage: mirror of sqlite:" + production), out);
    assertTrue(out.contains("all sources, all history"), out);
    assertTrue(out.contains("first"), out);
    assertEquals(0, run("list", "--mode", "mirror", "--format", "json"), err);
    JsonNode l = Json.MAPPER.readTree(out).get("lineage");
    assertEquals("sqlite", l.get("production").get("engine").asText());
    assertEquals(1, l.get("syncCount").asLong());
    assertEquals(120, l.get("sources").get(0).get("rows").asLong());
    assertEquals(120, l.get("recentSyncs").get(0).get("rowsAdded").asLong());
  }

  @Test
  void every_write_command_aimed_at_the_mirror_is_refused_and_the_file_is_unchanged() throws Exception {
    assertEquals(0, run("create", "--source", "test"), err); // a target to migrate into, mirrored too
    assertEquals(0, run("sync"), err);
    DbFiles.State before = DbFiles.snapshot(mirror);
    String[][] writes = {
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-20", "--mode", "mirror"},
        {"clean", "--source", "synthetic", "--confirm", "--mode", "mirror"},
        {"migrate", "--source", "synthetic", "--target", "test", "--mode", "mirror"},
        {"create", "--source", "scratch", "--mode", "mirror"},
        // the mirror file named as the production store
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-20", "--db", "data/mirror.db"},
        {"create", "--source", "scratch", "--db", "data/mirror.db"},
        {"clean", "--source", "synthetic", "--confirm", "--db", "./data/../data/mirror.db"}};
    for (String[] w : writes) {
      assertEquals(2, run(w), String.join(" ", w) + "\n" + out + err);
      assertTrue(err.contains("the mirror is read-only"), String.join(" ", w) + ": " + err);
      assertTrue(err.contains("tickvault sync"), err);
      DbFiles.assertUnchanged(before, String.join(" ", w));
    }
    settings = Settings.load(Map.of(Settings.DATABASE_URL, "data/tickvault.db", Settings.DATA_MODE, "mirror"), dir);
    assertEquals(2, run("clean", "--source", "synthetic", "--confirm"));
    assertTrue(err.contains("the mirror is read-only"), err);
    DbFiles.assertUnchanged(before, "clean in mirror mode");
    // and the mirror is still a mirror
    settings = Settings.load(Map.of(Settings.DATABASE_URL, "data/tickvault.db"), dir);
    assertEquals(0, run("sync"), out + err);
    assertEquals(0, run("verify"), out + err);
  }

  @Test
  void a_correction_the_change_log_cannot_see_is_found_by_verify_which_points_at_sync_full() throws Exception {
    assertEquals(0, run("sync"), err);
    // INSERT OR REPLACE by plain SQL: SQLite deletes the old row without firing delete triggers
    Sqlite3Shell.run(production, "INSERT OR REPLACE INTO price_ticks_synthetic (symbol, price, \"timestamp\", volume, "
        + "trade_count, origin) VALUES ('MSFT', 1234500, 1736951400000000, 1, 1, 'synthetic');");
    assertEquals(0, run("sync"), err);
    assertTrue(out.contains("0 changed"), "the embedded store does not track it (documented): " + out);
    assertEquals(3, run("verify"), out + err);
    assertTrue(out.contains("differs from production, no change recorded"), out);
    assertTrue(out.contains("1 of 2 chunks differ\n"), out);
    assertTrue(out.contains("run `tickvault sync --full`"), out);
    assertFalse(out.contains("changed in production since"), out);
    assertEquals(0, run("sync", "--full"), err);
    assertTrue(out.contains("1 changed"), out);
    assertEquals(0, run("verify"), out + err);
  }

  @Test
  void every_sync_of_a_narrowed_mirror_notes_what_it_leaves_out_in_text_and_json() throws Exception {
    try (BarStore p = Stores.open(production.toString())) {
      p.createSource(SourceName.ALPACA, SourceKind.VENDOR, "real");
      p.write(SourceName.ALPACA, io.tickvault.domain.Timeframe.MIN_1, minutes("IBM", "2025-01-15T14:30:00Z", 5, SourceName.ALPACA).iterator());
    }
    String note = "tickvault: note: production has 1 source outside this mirror's selection: alpaca; add it with "
        + "--sources all";
    assertEquals(0, run("sync", "--sources", "synthetic"), err);
    assertTrue(err.contains(note), err);
    assertEquals(0, run("sync"), err);
    assertTrue(err.contains(note), "every later sync says it: " + err);
    assertEquals(0, run("sync", "--since", "2025-01-16", "--format", "json"), err);
    JsonNode j = Json.MAPPER.readTree(out);
    assertEquals(2, j.get("notes").size(), out);
    assertTrue(j.get("notes").get(1).asText().startsWith("production has bars before 2025-01-16 (from 2025-01-15, in "
        + "synthetic)"), out);
    assertEquals("[\"alpaca\"]", j.get("leftOut").get("sources").toString());
    assertEquals("2025-01-15T14:30:00Z", j.get("leftOut").get("firstBarBeforeSince").asText());
    assertEquals(0, run("sync", "--sources", "all", "--since", "all"), err);
    assertFalse(err.contains("note:"), err);
  }

  @Test
  void a_refused_sync_names_the_env_file_and_an_empty_production_says_it_has_no_sources() throws Exception {
    assertEquals(0, run("sync"), err); // a mirror of the embedded store, as after the quick start
    Path other = dir.resolve("other.db");
    Stores.open(other.toString()).close(); // an empty production store
    Files.writeString(dir.resolve(".env"), "TICKVAULT_DATABASE_URL=other.db\n");
    settings = Settings.load(Map.of(), dir);
    var lineageBefore = new MirrorService(mirror, Clock.systemUTC()).lineage().orElseThrow();
    assertEquals(2, run("sync"), out + err);
    assertTrue(err.contains("the mirror was made from another production store"), err);
    assertTrue(err.contains("from TICKVAULT_DATABASE_URL set in " + dir.resolve(".env")), err);
    assertTrue(err.contains("tickvault sync --full"), err);
    assertEquals(2, run("sync", "--full"), out + err);
    assertTrue(err.contains("production sqlite:" + other + " has no sources yet"), err);
    assertTrue(err.contains("from TICKVAULT_DATABASE_URL set in " + dir.resolve(".env")), err);
    // the mirror's data and lineage are as they were; the refusals are in its log of attempts
    assertEquals(lineageBefore, new MirrorService(mirror, Clock.systemUTC()).lineage().orElseThrow());
    var attempts = new MirrorService(mirror, Clock.systemUTC()).syncLog(10);
    assertEquals(3, attempts.size());
    assertFalse(attempts.get(0).ok() || attempts.get(1).ok());
    assertTrue(attempts.get(1).error().contains("made from another production store"), attempts.get(1).error());
    try (BarStore p = Stores.open(other.toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
      p.write(SYN, io.tickvault.domain.Timeframe.MIN_1, minutes("AAPL", "2025-01-20T14:30:00Z", 7, SYN).iterator());
    }
    assertEquals(0, run("sync", "--full"), out + err);
    assertTrue(out.contains("7 rows added"), out);
  }

  @Test
  void every_mirror_command_has_help_with_examples() {
    for (String[] cmd : new String[][] {{"sync", "--help"}, {"verify", "--help"}, {"check", "--help"},
        {"hooks", "install", "--help"}}) {
      assertEquals(0, run(cmd), String.join(" ", cmd));
      assertTrue(out.contains("Examples:"), out);
    }
  }
}
