package io.tickvault.cli;

import io.tickvault.domain.Dates;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
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
        "  tickvault migrate --source synthetic --target mock --from 2025-01-15 --to 2025-01-16 --replace"})
final class MigrateCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "FROM", description = "Source to copy from.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "TO", description = "Source to copy into (must exist).")
  String target;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
  String symbol;

  @Option(names = "--from", paramLabel = "DATE", description = "From this date (inclusive, UTC).")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Through this date (inclusive, UTC).")
  String to;

  @Option(names = "--replace", description = "Delete the target's rows in the selection first (atomically).")
  boolean replace;

  @Override
  protected int run() {
    SourceName a = sourceName(source);
    SourceName b = sourceName(target);
    MigrateResult r = new SourceService(workspace().store()).migrate(a, b, symbol == null ? null : Symbol.of(symbol),
        Dates.range(from, to), replace);
    if (r.rows() == 0) {
      out().println("nothing to migrate: no rows in " + a + " match the selection");
    } else {
      out().println("migrated " + Formats.count(r.rows()) + " rows " + a + " -> " + b + (r.replaced() ? " (replaced)" : "")
          + " [origin=" + r.origins().stream().map(SourceName::value).collect(Collectors.joining(",")) + "]");
    }
    return ExitCodes.OK;
  }
}
