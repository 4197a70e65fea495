package io.tickvault.cli;

import io.tickvault.domain.Dates;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
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
        "  tickvault clean --source alpaca --symbol AAPL --before 2024-01-01 --confirm",
        "  tickvault clean --source alpaca --timeframe 1Day --confirm   # after migrate --timeframe 1Day: split done"})
final class CleanCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "NAME", description = "Source to clean.")
  String source;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
  Symbol symbol;

  @Option(names = "--before", paramLabel = "DATE",
      description = "Only rows before this date (YYYY-MM-DD, 00:00 UTC) or ISO date-time.")
  String before;

  @Option(names = "--confirm", description = "Really delete real (vendor) data.")
  boolean confirm;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "Delete only the bars of this width from a source marked mixed (1Day: the bars standing alone "
          + "at local midnight); the source then holds one width again. Not with --symbol or --before.")
  String timeframe;

  @Override
  protected int run() {
    SourceName name = sourceName(source);
    Symbol sym = symbol;
    if (timeframe != null) {
      if (sym != null || before != null) {
        throw new InvalidInputException("--timeframe cleans a whole mixed source: leave out --symbol and --before");
      }
      Timeframe tf = Timeframe.parse(timeframe);
      SourceService service = new SourceService(workspace().store());
      if (!confirm && service.store().requireSource(name).kind() == SourceKind.VENDOR) {
        err().println("tickvault: would delete the " + tf + " bars of " + name + ": it is a vendor source (real "
            + "market data). Copy them first (tickvault migrate --source " + name + " --target " + name + "_"
            + tf.cliName().toLowerCase(java.util.Locale.ROOT) + " --timeframe " + tf + "), then rerun with --confirm. "
            + "Nothing was deleted.");
        return ExitCodes.USAGE;
      }
      long n = service.cleanWidth(name, tf);
      out().println("deleted " + Formats.count(n) + " " + tf + " rows from " + name + "; it now holds "
          + service.store().requireSource(name).widthLabel() + " bars");
      return ExitCodes.OK;
    }
    CleanResult r = new SourceService(workspace().store()).clean(name, sym,
        Dates.start(before, "--before", before == null ? null : workspace().store().requireSource(name).zone()), confirm);
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
