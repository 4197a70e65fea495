package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import io.tickvault.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 10 §5: global options before the verb, help CMD, the real version, whole summaries, whole examples. */
@Timeout(120)
class CliPolishTest {
  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
  }

  private Run ok(String... args) {
    Run r = cli.run(args);
    assertEquals(0, r.code(), String.join(" ", args) + "\n" + r);
    return r;
  }

  @Test
  void global_options_work_before_the_verb_and_the_verbs_own_win() {
    ok("--db", "data/other.db", "ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    assertTrue(Files.isRegularFile(dir.resolve("data/other.db")));
    assertTrue(ok("--db", "data/other.db", "list").out().contains("Store: sqlite:" + dir.resolve("data/other.db")));
    Run mine = cli.run("--db", "data/nothing.db", "list", "--db", "data/other.db");
    assertEquals(0, mine.code(), mine.toString());
    Run missing = cli.run("--db", "data/nothing.db", "list");
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(missing.err().contains("no store at " + dir.resolve("data/nothing.db")) && missing.err().contains(
        "it comes from a flag"), missing.err());
    assertEquals(2, cli.run("--mode", "test", "list").code(), "the test store does not exist");
  }

  @Test
  void help_cmd_is_the_commands_help() {
    assertEquals(ok("compare", "--help").out(), ok("help", "compare").out());
    assertEquals(ok("ingest", "--help").out(), ok("help", "ingest").out());
    assertTrue(ok("help").out().contains("Usage: tickvault"));
  }

  @Test
  void version_is_the_version_of_the_build() throws Exception {
    Matcher m = Pattern.compile("<artifactId>tickvault</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "no version in pom.xml");
    assertEquals("tickvault " + m.group(1) + "\n", ok("--version").out());
  }

  @Test
  void every_commands_summary_is_a_whole_sentence() {
    CommandLine root = Cli.create(Settings.load(Map.of(), dir));
    List<String> bad = new ArrayList<>();
    for (CommandLine c : all(root)) {
      CommandLine.Model.UsageMessageSpec u = c.getCommandSpec().usageMessage();
      String summary = u.header().length > 0 ? u.header()[0] : u.description().length > 0 ? u.description()[0] : "";
      if (!summary.matches("[A-Z][^\\n]*[a-z)]\\.")) {
        bad.add(c.getCommandSpec().qualifiedName() + ": '" + summary + "'");
      }
    }
    assertEquals(List.of(), bad, "summaries shown by --help must be whole sentences (set header = \"...\")");
    Run help = ok("--help");
    for (String name : root.getSubcommands().keySet()) {
      assertTrue(help.out().contains("  " + name + " "), name);
    }
  }

  @Test
  void examples_are_printed_whole_on_a_narrow_terminal() {
    CommandLine root = Cli.create(Settings.load(Map.of(), dir));
    int examples = 0;
    for (CommandLine c : all(root)) {
      c.setUsageHelpAutoWidth(false);
      c.setUsageHelpWidth(55);
      List<String> help = c.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
      for (String line : c.getCommandSpec().usageMessage().footer()) {
        if (line.strip().startsWith("tickvault ") || line.contains(" tickvault ")) {
          examples++;
          assertTrue(help.contains(line), c.getCommandSpec().qualifiedName() + ": example wrapped: " + line);
        }
      }
    }
    assertTrue(examples > 30, "examples found: " + examples);
  }

  @Test
  void completion_prints_a_script_that_knows_the_commands_and_options() {
    Run r = ok("completion");
    assertTrue(r.out().contains("complete -F"), r.out().substring(0, Math.min(500, r.out().length())));
    for (String word : List.of("compare", "import", "csv", "--symbol", "--create", "--from")) {
      assertTrue(r.out().contains(word), word);
    }
  }

  static List<CommandLine> all(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      if (e.getKey().equals(e.getValue().getCommandName())) {
        out.add(e.getValue());
        out.addAll(all(e.getValue()));
      }
    }
    return out;
  }
}
