package io.tickvault.cli;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.TickvaultException;
import io.tickvault.ingest.VendorException;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.StoreException;
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

  static int exitCodeOf(Throwable e) {
    if (e instanceof InvalidInputException || e instanceof NotFoundException || e instanceof MirrorReadOnlyException
        || e instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof StoreException || e instanceof VendorException) {
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof TickvaultException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.INTERNAL;
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
      err.println("tickvault: " + msg);
    }
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }
}
