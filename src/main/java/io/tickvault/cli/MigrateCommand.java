package io.tickvault.cli;

import io.tickvault.domain.Dates;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.source.MigrateResult;
import io.tickvault.source.SourceService;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault migrate}: copy rows between sources, keeping their origin. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    header = "Copy rows from one source to another, keeping each row's origin.",
    description = {"Copy rows from one source to another, keeping each row's origin. Rerunning duplicates nothing",
        "(rows are upserted on symbol + timestamp). With --replace the target's rows in the same selection are",
        "deleted first, in the same transaction.",
        "Refused, with nothing changed, when it would mix real and generated data in one table or put rows of",
        "another origin into a vendor's table (a backup in 'test' can go back into 'alpaca'; synthetic rows cannot)."},
    footer = {"", "Examples:", "  tickvault migrate --source alpaca --target test --symbol AAPL   # back up",
        "  tickvault migrate --source test --target alpaca --symbol AAPL   # restore",
        "  tickvault migrate --source synthetic --target mock --from 2025-01-15 --to 2025-01-16 --replace",
        "  tickvault migrate --source alpaca --target alpaca_1day --timeframe 1Day   # split a mixed source",
        "", "A source holds bars of one width: the target must hold the source's width (or none yet). A source",
        "marked mixed (made before tickvault recorded widths) is split with --timeframe: the bars standing alone at",
        "local midnight are its 1Day bars, the others its intraday bars; then `clean --timeframe` removes them."})
final class MigrateCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "FROM", description = "Source to copy from.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "TO", description = "Source to copy into (must exist).")
  String target;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
  Symbol symbol;

  @Option(names = "--from", paramLabel = "DATE", description = "From this day (inclusive, in the source's time zone).")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Through this day (inclusive, in the source's time zone).")
  String to;

  @Option(names = "--replace", description = "Delete the target's rows in the selection first (atomically).")
  boolean replace;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "Copy only the bars of this width out of a source marked mixed (1Day: the bars standing alone "
          + "at local midnight; 1Min etc.: the others). Not with --symbol, --from, --to or --replace.")
  String timeframe;
  @picocli.CommandLine.Mixin
  OutputOptions output;

  @Override
  protected int run() {
    SourceName a = sourceName(source);
    SourceName b = sourceName(target);
    MigrateResult r;
    if (timeframe != null) {
      if (symbol != null || from != null || to != null || replace) {
        throw new InvalidInputException("--timeframe splits a whole mixed source: leave out --symbol, --from, --to "
            + "and --replace");
      }
      r = new SourceService(workspace().store()).split(a, b, Timeframe.parse(timeframe));
    } else {
      r = new SourceService(workspace().store()).migrate(a, b, symbol,
          Dates.range(from, to, workspace().store().requireSource(a).zone()), replace);
    }
    if (output.json()) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("source", a.value());
      m.put("target", b.value());
      m.put("rows", r.rows());
      m.putAll(r.written().json());
      m.put("origins", r.origins().stream().map(SourceName::value).toList());
      m.put("replace", r.replaced());
      out().println(Json.write(m));
      return ExitCodes.OK;
    }
    if (r.rows() == 0) {
      out().println("nothing to migrate: no rows in " + a + " match the selection");
    } else {
      out().println("migrated " + Formats.count(r.rows()) + " rows " + a + " -> " + b + (r.replaced() ? " (replaced)" : "")
          + " [origin=" + r.origins().stream().map(SourceName::value).collect(Collectors.joining(",")) + "]: "
          + r.written().summary());
      if (r.written().flawed() > 0) {
        err().println(r.written().flawNote());
      }
    }
    return ExitCodes.OK;
  }
}
