package io.tickvault.cli;

import io.tickvault.config.Settings;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/** Builds the {@code tickvault} command line for given settings (the real environment, or a test's). */
public final class Cli {
  private Cli() {}

  public static CommandLine create(Settings settings) {
    CommandLine cl = new CommandLine(new TickvaultCommand(settings));
    cl.setExecutionExceptionHandler(new CliExceptionHandler());
    Converters.register(cl);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    keepExamplesWhole(cl);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("tickvault: " + ex.getMessage());
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
        err.println("Run `" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help` for usage.");
      }
      return ExitCodes.USAGE;
    });
    setOutput(cl, cl.getOut(), cl.getErr());
    return cl;
  }

  /**
   * Sets where the command line prints, through the redaction boundary ({@link RedactingOutput}):
   * no line it prints can show a secret this process holds.
   */
  public static void setOutput(CommandLine cl, PrintWriter out, PrintWriter err) {
    cl.setOut(RedactingOutput.writer(out));
    cl.setErr(RedactingOutput.writer(err));
  }

  /**
   * Prints every command's footer (its examples) line by line as written, never wrapped in the
   * middle of a command on a narrow terminal; and separates summary, usage and description.
   */
  private static void keepExamplesWhole(CommandLine cl) {
    UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
    if (usage.header().length > 0) {
      usage.synopsisHeading("%nUsage: "); // a blank line between the one-line summary and the usage
    }
    usage.descriptionHeading("%n");
    usage.description(reflow(usage.description()));
    usage.optionListHeading("%nOptions:%n");
    usage.commandListHeading("%nCommands:%n");
    cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
      String[] footer = help.commandSpec().usageMessage().footer();
      return footer.length == 0 ? "" : String.join(System.lineSeparator(), footer) + System.lineSeparator();
    });
    for (CommandLine sub : cl.getSubcommands().values()) {
      keepExamplesWhole(sub);
    }
  }

  /**
   * The description's source lines joined into paragraphs, so picocli wraps each paragraph to the
   * terminal instead of breaking every source line where the code happened to end it. A blank
   * line, or a line that starts with a space (a list, an example), starts a new paragraph.
   */
  static String[] reflow(String[] lines) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder para = new StringBuilder();
    for (String line : lines) {
      boolean own = line.isBlank() || line.startsWith(" ");
      if (own || para.length() == 0) {
        if (para.length() > 0) {
          out.add(para.toString());
          para.setLength(0);
        }
        if (own) {
          out.add(line);
          continue;
        }
        para.append(line);
      } else {
        para.append(' ').append(line);
      }
    }
    if (para.length() > 0) {
      out.add(para.toString());
    }
    return out.toArray(String[]::new);
  }

  /**
   * Sets where data written to standard output goes, bypassing the redaction boundary: only
   * {@code export} writes there, and only bars (validated names and numbers). Default: the
   * process's standard output.
   */
  public static void setDataOutput(CommandLine cl, java.io.OutputStream out) {
    ((TickvaultCommand) cl.getCommandSpec().userObject()).dataOut = out;
  }

  /** Runs the command line with the settings and returns the exit code. */
  public static int run(Settings settings, String... args) {
    return create(settings).execute(args);
  }
}
