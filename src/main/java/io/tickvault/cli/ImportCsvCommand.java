package io.tickvault.cli;

import io.tickvault.domain.BarGrid;
import io.tickvault.domain.DidYouMean;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.csv.CsvImportOptions;
import io.tickvault.ingest.csv.CsvImportReport;
import io.tickvault.ingest.csv.CsvImportService;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tickvault import csv}: a CSV file of bars into a source of your own. Not thread-safe: one
 * instance per run.
 */
@Command(name = "csv", mixinStandardHelpOptions = true,
    header = "Import a CSV file of bars into a source of your own.",
    description = {"The source must exist, or be created with --create (as a vendor source; --create --kind",
        "generated for made-up data). The layout is recognised from the header:",
        "  symbol,timestamp,open,high,low,close,volume[,trade_count,vwap]   (tickvault)",
        "  Date,Open,High,Low,Close,Adj Close,Volume                         (Yahoo; needs --symbol)",
        "  t,o,h,l,c,v[,n,vw]                                                (Alpaca/Polygon export; needs --symbol)",
        "in any letter case. Times: 2024-01-02, 2024-01-02T14:30:00Z (or an offset), 2024-01-02 09:30:00",
        "(read in --timezone), epoch seconds or milliseconds. One bad line refuses the whole import (the",
        "message names the line) unless --skip-bad-rows. 'alpaca' and 'polygon' are refused."},
    footer = {"", "Examples:",
        "  tickvault import csv bars.csv --source mydata --create",
        "  tickvault import csv more.csv --source mydata",
        "  tickvault import csv AAPL.csv --source yahoo --symbol AAPL --create",
        "  tickvault import csv export.csv --source vendor_export --symbol MSFT --timezone UTC --create",
        "  tickvault import csv hsbc.csv --source hkex --symbol 0005.HK --timezone Asia/Hong_Kong --create",
        "  tickvault import csv minutes.csv --source mydata_1min --timeframe 1Min --create",
        "  tickvault import csv messy.csv --source mydata --skip-bad-rows",
        "  tickvault import csv sim.csv --source scenario --create --kind generated",
        "", "Exit codes: 0 ok, 2 bad file, bad line or refused source, 4 store unreachable."})
final class ImportCsvCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
  String file;

  @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "Source to import into.")
  String source;

  @Option(names = "--symbol", paramLabel = "SYMBOL",
      description = "Symbol of every row when the file has no symbol column; with one, import only this symbol.")
  Symbol symbol;

  @Option(names = "--timezone", paramLabel = "ZONE",
      description = "Zone of dates and times written without one (default: the source's zone; America/New_York "
          + "for a new source), e.g. UTC or Asia/Hong_Kong. When the import creates the source, also its market "
          + "time zone: daily bars start at its local midnight.")
  String timezone;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "Bar width of the file: 1Min, 5Min, 15Min, 30Min, 1Hour, 1Day, 1Week or 1Month (default: "
          + "inferred from the timestamps, and printed).")
  String timeframe;

  @Option(names = "--skip-bad-rows", description = "Skip bad lines (and list them) instead of refusing the import.")
  boolean skipBadRows;

  @Option(names = "--kind", paramLabel = "KIND",
      description = "Kind of the source that --create makes: vendor (real data, default) or generated; for an "
          + "existing source, the kind it must have.")
  String kind;

  @Mixin
  OutputOptions output;

  @Option(names = "--create",
      description = "Create the source when it does not exist (as --kind, default vendor); without it a missing "
          + "source is an error, so a typo never becomes a new source.")
  boolean create;

  @Override
  protected boolean mayCreateStores() {
    return create;
  }

  @Override
  protected int run() {
    Path path = inputFile(file);
    SourceName target = sourceName(source);
    requireTargetOrCreate(target);
    CsvImportOptions opts = new CsvImportOptions(target, symbol,
        zone(), skipBadRows, kind == null ? null : SourceKind.parse(kind),
        timeframe == null ? null : Timeframe.parse(timeframe));
    CsvImportReport r;
    long size = sizeOf(path);
    try (Progress p = Progress.forTerminal(err())) {
      String label = path.getFileName().toString();
      r = new CsvImportService(workspace().store()).importFile(path, opts,
          bytes -> p.update(label, size <= 0 ? Double.NaN : (double) bytes / size, Formats.count(bytes >> 20) + " MB"));
      p.close();
    }
    for (String rep : r.repeatedLines()) {
      err().println(rep);
    }
    if (r.written().flawed() > 0) {
      err().println(r.written().flawNote());
    }
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", r.target().value());
      m.put("layout", r.layout().name().toLowerCase(Locale.ROOT));
      m.put("ignoredColumns", r.ignoredColumns());
      m.put("timezone", r.zone().getId());
      m.put("timeframe", r.width() == null ? null : r.width().cliName());
      m.put("timeframeFrom", r.widthHow());
      m.put("rows", r.rows());
      m.putAll(r.written().json());
      m.put("repeatedLines", r.repeatedLines());
      m.put("symbols", r.symbols().stream().map(Symbol::value).toList());
      m.put("first", r.first() == null ? null : r.first().toString());
      m.put("last", r.last() == null ? null : r.last().toString());
      m.put("skippedLines", r.skipped().stream().map(b -> Map.of("line", b.line(), "reason", b.reason())).toList());
      m.put("skipped", r.skippedCount());
      m.put("otherSymbolRows", r.otherSymbolRows());
      m.put("roundedPrices", r.roundedPrices());
      m.put("createdSource", r.createdSource());
      m.put("elapsedMs", r.elapsed().toMillis());
      m.put("rowsPerSecond", r.rowsPerSecond());
      out().println(Json.write(m));
      return ExitCodes.OK;
    }
    if (r.createdSource()) {
      out().println("created source " + r.target() + " (kind " + workspace().store().source(r.target())
          .map(x -> x.kind().label()).orElse("?") + ", table " + r.target().tableName() + ")");
    }
    out().println("layout: " + r.layout().description()
        + (r.ignoredColumns().isEmpty() ? "" : "; ignored columns: " + String.join(", ", r.ignoredColumns()))
        + "; times without a zone read as " + r.zone().getId());
    if (r.width() != null) {
      out().println("bar width: " + r.width() + " (" + r.widthHow() + ")");
    }
    if (r.skippedCount() > 0) {
      err().println("skipped " + Formats.count(r.skippedCount()) + " bad line" + (r.skippedCount() == 1 ? "" : "s")
          + ":");
      for (CsvImportReport.BadLine b : r.skipped()) {
        err().println("  line " + b.line() + ": " + b.reason());
      }
      if (r.skippedCount() > r.skipped().size()) {
        err().println("  ... and " + Formats.count(r.skippedCount() - r.skipped().size()) + " more");
      }
    }
    if (r.roundedPrices() > 0) {
      err().println("rounded " + Formats.count(r.roundedPrices()) + " values to 4 decimal places (vwaps with more "
          + "decimals, and Yahoo prices, which carry float artifacts such as 185.639999)");
    }
    if (r.otherSymbolRows() > 0) {
      err().println("left out " + Formats.count(r.otherSymbolRows()) + " rows of other symbols than " + symbol);
    }
    if (r.rows() == 0) {
      out().println("nothing imported: " + path.getFileName() + " has no "
          + (r.skippedCount() > 0 ? "good " : "") + "rows after the header");
      return ExitCodes.OK;
    }
    int n = r.symbols().size();
    String syms = n <= 5 ? String.join(", ", r.symbols().stream().map(Symbol::value).toList())
        : String.join(", ", r.symbols().subList(0, 5).stream().map(Symbol::value).toList()) + ", ...";
    out().println("imported " + Formats.count(r.rows()) + " rows of " + n + " symbol" + (n == 1 ? "" : "s") + " ("
        + syms + ") into " + r.target() + (r.createdSource() ? " (created)" : "") + ", " + Formats.time(r.first())
        + " .. " + Formats.time(r.last()) + ", in " + String.format(Locale.ROOT, "%.1f",
        r.elapsed().toMillis() / 1000.0) + " s (" + Formats.rate(r.rowsPerSecond()) + " rows/s): "
        + r.written().summary());
    return ExitCodes.OK;
  }

  /** Without --create the source must exist: did you mean the nearest one, or how to create it. */
  private void requireTargetOrCreate(SourceName target) {
    io.tickvault.source.MixingRules.checkImport(target);
    if (create) {
      return;
    }
    BarStore store = workspace().store();
    List<SourceRecord> all = store.sources();
    if (all.stream().anyMatch(r -> r.name().equals(target) && r.tableExists())) {
      return;
    }
    List<String> known = all.stream().filter(SourceRecord::tableExists).map(r -> r.name().value()).toList();
    String near = DidYouMean.closest(target.value(), known).orElse(null);
    throw new NotFoundException("no source '" + target + "' in " + store.info().location() + (near != null
        ? "; did you mean '" + near + "'?" : "; to import into a new source add --create (kind vendor, for real "
        + "data; add --kind generated for made-up data)"));
  }

  private ZoneId zone() {
    return timezone == null ? null : BarGrid.zone(timezone, "--timezone");
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
