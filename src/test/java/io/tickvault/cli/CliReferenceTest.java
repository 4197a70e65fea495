package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md holds the command reference generated from the picocli model (the same text as
 * {@code --help}): this test fails when it is out of date. To regenerate it:
 * {@code ./mvnw -q test -Dtest=CliReferenceTest -Dtickvault.writeDocs=true}.
 */
class CliReferenceTest {
  static final Path DOC = Path.of("docs/cli.md");
  static final String MARKER = "<!-- Generated from the commands by CliReferenceTest; do not edit below this line. -->";

  /** The reference: every command's help, depth first in the order of `tickvault --help`. */
  static String reference() {
    CommandLine root = Cli.create(Settings.load(Map.of(), Path.of("/nonexistent")));
    StringBuilder b = new StringBuilder();
    render(root, b);
    return b.toString();
  }

  private static void render(CommandLine cl, StringBuilder b) {
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(100);
    b.append("\n## ").append(cl.getCommandSpec().qualifiedName()).append("\n\n```text\n")
        .append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      if (e.getKey().equals(e.getValue().getCommandName())) {
        render(e.getValue(), b);
      }
    }
  }

  @Test
  void docs_cli_md_matches_the_commands() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int at = doc.indexOf(MARKER);
    assertTrue(at >= 0, DOC + " has no line " + MARKER);
    String head = doc.substring(0, at + MARKER.length()) + "\n";
    String expected = head + reference();
    if (Boolean.getBoolean("tickvault.writeDocs")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
      doc = Files.readString(DOC, StandardCharsets.UTF_8);
    }
    assertEquals(expected, doc, DOC + " is out of date with the commands: regenerate it with "
        + "./mvnw -q test -Dtest=CliReferenceTest -Dtickvault.writeDocs=true");
  }
}
