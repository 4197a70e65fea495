package io.tickvault.cli;

import io.tickvault.domain.Dates;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.source.CleanResult;
import io.tickvault.source.SourceService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault clean}: delete rows of a source; real data needs --confirm. */
@Command(name = "clean", mixinStandardHelpOptions = true,
    header = "Delete rows from a source.",
    description = {"Delete rows from a source, optionally only one symbol and/or rows before a date.",
        "A vendor source (or rows of real origin) needs --confirm: without it tickvault says how many rows",
        "would be deleted, changes nothing and exits with 2. An unknown source or symbol is an error (exit 2);",
        "a selection that matches no rows deletes nothing and needs no --confirm."},
    footer = {"", "Examples:", "  tickvault clean --source synthetic",
        "  tickvault clean --source alpaca --symbol AAPL --before 2024-01-01            # dry run",
        "  tickvault clean --source alpaca --symbol AAPL --before 2024-01-01 --confirm"})
final class CleanCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "NAME", description = "Source to clean.")
  String source;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
  String symbol;

  @Option(names = "--before", paramLabel = "DATE",
      description = "Only rows before this date (YYYY-MM-DD, 00:00 UTC) or ISO date-time.")
  String before;

  @Option(names = "--confirm", description = "Really delete real (vendor) data.")
  boolean confirm;

  @Override
  protected int run() {
    SourceName name = sourceName(source);
    Symbol sym = symbol == null ? null : Symbol.of(symbol);
    CleanResult r = new SourceService(workspace().store()).clean(name, sym, Dates.start(before, "--before"), confirm);
    if (r.needsConfirm()) {
      err().println("tickvault: would delete " + Formats.count(r.wouldDelete()) + " rows from " + name + ": "
          + r.reason() + ". Nothing was deleted; rerun with --confirm to delete them.");
      return ExitCodes.USAGE;
    }
    out().println("deleted " + Formats.count(r.deleted()) + " rows from " + name + (r.deleted() == 0
        ? " (no rows matched" + (sym == null ? "" : " of " + sym) + (before == null ? "" : " before " + before) + ")"
        : ""));
    return ExitCodes.OK;
  }
}
