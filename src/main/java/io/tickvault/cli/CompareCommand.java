package io.tickvault.cli;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.source.SourceService;
import io.tickvault.source.SymbolComparison;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault compare}: per-symbol differences between two sources; exit 3 when they differ. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare two sources per symbol: rows on each side, common timestamps, only-in-A, only-in-B,",
        "bars whose values differ, largest and mean absolute price difference on common bars, date ranges.",
        "Exit code 0 when identical, 3 when they differ."},
    footer = {"", "Examples:", "  tickvault compare --source alpaca --target polygon --symbol AAPL",
        "  tickvault compare --source synthetic --target test --format json"})
final class CompareCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "A", description = "First source.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "B", description = "Second source.")
  String target;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
  String symbol;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    SourceName a = sourceName(source);
    SourceName b = sourceName(target);
    List<SymbolComparison> rows = new SourceService(workspace().store()).compare(a, b,
        symbol == null ? null : Symbol.of(symbol));
    boolean identical = rows.stream().allMatch(SymbolComparison::identical);
    if (output.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("source", a.value());
      doc.put("target", b.value());
      doc.put("identical", identical);
      doc.put("symbols", rows.stream().map(CompareCommand::json).toList());
      out().println(Json.write(doc));
    } else {
      Table t = new Table("SYMBOL", "ROWS A", "ROWS B", "COMMON", "ONLY A", "ONLY B", "DIFFER", "MAX |DIFF|",
          "MEAN |DIFF|", "RANGE A", "RANGE B");
      for (SymbolComparison c : rows) {
        t.row(c.symbol(), c.rowsA(), c.rowsB(), c.common(), c.onlyA(), c.onlyB(), c.differingBars(),
            plain(c.maxAbsPriceDiff()), plain(c.meanAbsPriceDiff()), range(c.firstA(), c.lastA()),
            range(c.firstB(), c.lastB()));
      }
      out().println("compare " + a + " (A) with " + b + " (B)");
      t.print(out());
      out().println(identical ? "identical" : "sources differ");
    }
    return identical ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  private static String plain(BigDecimal d) {
    return d == null ? "-" : d.toPlainString();
  }

  private static String range(java.time.Instant f, java.time.Instant l) {
    return f == null ? "-" : Formats.time(f) + ".." + Formats.time(l);
  }

  private static Map<String, Object> json(SymbolComparison c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("symbol", c.symbol().value());
    m.put("rowsA", c.rowsA());
    m.put("rowsB", c.rowsB());
    m.put("common", c.common());
    m.put("onlyA", c.onlyA());
    m.put("onlyB", c.onlyB());
    m.put("differingBars", c.differingBars());
    m.put("maxAbsPriceDiff", c.maxAbsPriceDiff());
    m.put("meanAbsPriceDiff", c.meanAbsPriceDiff());
    m.put("firstA", c.firstA());
    m.put("lastA", c.lastA());
    m.put("firstB", c.firstB());
    m.put("lastB", c.lastB());
    m.put("identical", c.identical());
    return m;
  }
}
