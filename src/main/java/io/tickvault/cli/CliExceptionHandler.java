package io.tickvault.cli;

import io.tickvault.domain.TickvaultException;
import io.tickvault.domain.WidthMismatchException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where exceptions become messages and exit codes. Stack traces only with
 * {@code -v}/{@code --verbose}.
 */
final class CliExceptionHandler implements IExecutionExceptionHandler {

  /** The exit code of a failure: its kind's ({@link ExitCodes#of}); anything else is a bug. */
  static int exitCodeOf(Throwable e) {
    if (e instanceof TickvaultException t) {
      return ExitCodes.of(t.kind());
    }
    if (e instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.INTERNAL;
  }

  /** The option that names the target source of a command that writes bars. */
  static String targetOption(CommandLine cmd) {
    return switch (cmd.getCommandName()) {
      case "csv" -> "--source";
      case "migrate" -> "--target";
      case "create" -> "--source";
      default -> "--into";
    };
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code = exitCodeOf(ex);
    boolean verbose = parsed.expandedArgs().contains("-v") || parsed.expandedArgs().contains("--verbose");
    String msg = ex.getMessage();
    if (code == ExitCodes.INTERNAL) {
      if (ex instanceof UncheckedIOException && ex.getCause() != null) {
        msg = ex.getCause().getMessage();
      }
      err.println("tickvault: internal error: " + ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
      if (!verbose) {
        err.println("Run with -v for more details.");
      }
    } else {
      if (ex instanceof WidthMismatchException w) {
        msg = w.message(targetOption(cmd)); // names the option of this command that picks another source
        if ("synthetic".equals(cmd.getCommandName())) {
          msg += "; create it first: tickvault create --source " + w.suggestedSource() + " --kind generated";
        }
      }
      err.println("tickvault: " + msg);
    }
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }
}
