package io.tickvault.cli;

import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.Dates;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.quality.SymbolReport;
import io.tickvault.quality.ValidateOptions;
import io.tickvault.quality.ValidationJson;
import io.tickvault.quality.ValidationReport;
import io.tickvault.quality.Validator;
import io.tickvault.source.SourceService;
import io.tickvault.source.SymbolComparison;
import io.tickvault.source.SymbolComparison.BarDifference;
import io.tickvault.source.SymbolComparison.FieldDifference;
import io.tickvault.source.SymbolComparison.PriceRatio;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault compare}: per-symbol differences between two sources; exit 3 when they differ. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    header = "Compare two sources bar by bar and show what differs.",
    description = {"Per symbol: rows on each side, common timestamps, bars only in A or only in B, bars whose",
        "values differ, largest and mean absolute price difference, and date ranges; then the first",
        "differing bars with the fields that differ, and a price ratio when every differing price of A",
        "is the same multiple of B's (a split adjusted on one side only, or prices in other units).",
        "Then, in a section of its own, the checks of `tickvault validate` on both sources (a summary per symbol).",
        "Exit code 0 when identical and without validate errors, 3 when they differ or either side has",
        "validate errors, 2 for an unknown source or symbol."},
    footer = {"", "Examples:",
        "  tickvault compare --source alpaca --target polygon --symbol AAPL",
        "  tickvault compare --source alpaca --target polygon --from 2025-01-01 --to 2025-01-31",
        "  tickvault compare --source synthetic --target test --format json"})
final class CompareCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "A", description = "First source.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "B", description = "Second source.")
  String target;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol (it must exist in A or B).")
  Symbol symbol;

  @Option(names = "--from", paramLabel = "DATE",
      description = "Only bars from this day (YYYY-MM-DD, in the sources' time zone) or ISO date-time on.")
  String from;

  @Option(names = "--to", paramLabel = "DATE",
      description = "Only bars up to this day (inclusive, in the sources' time zone) or before this ISO "
          + "date-time.")
  String to;

  @Option(names = "--calendar", paramLabel = "NAME", defaultValue = "us-equities",
      description = "Calendar of the quality checks: us-equities or 24x7 (default: ${DEFAULT-VALUE}).")
  String calendar;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    SourceName a = sourceName(source);
    SourceName b = sourceName(target);
    java.time.ZoneId zone = dayZone(a, b);
    TimeRange range = Dates.range(from, to, zone);
    List<SymbolComparison> rows = new SourceService(workspace().store()).compare(a, b,
        symbol, range);
    boolean identical = rows.stream().allMatch(SymbolComparison::identical);
    // ---- quality section (issue 12): the checks of `tickvault validate` on both sides ----
    ValidateOptions checks = ValidateOptions.defaults(TradingCalendar.named(calendar, null), Instant.now())
        .withSymbol(symbol).withDays(
            range.from() == null ? null : java.time.LocalDate.ofInstant(range.from(), zone),
            range.to() == null ? null : java.time.LocalDate.ofInstant(range.to().minusNanos(1), zone));
    List<ValidationReport> quality = List.of(validate(a, checks), validate(b, checks));
    boolean qualityErrors = quality.stream().anyMatch(q -> q.errors() > 0);
    // ---- end of the quality section's work ----
    if (output.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("source", a.value());
      doc.put("target", b.value());
      doc.put("from", range.from());
      doc.put("to", range.to());
      doc.put("identical", identical);
      doc.put("symbols", rows.stream().map(CompareCommand::json).toList());
      doc.put("quality", quality.stream().map(q -> ValidationJson.of(q, false)).toList());
      out().println(Json.write(doc));
    } else {
      Table t = new Table("SYMBOL", "ROWS A", "ROWS B", "COMMON", "ONLY A", "ONLY B", "DIFFER", "MAX |DIFF|",
          "MEAN |DIFF|", "RANGE A", "RANGE B");
      for (SymbolComparison c : rows) {
        t.row(c.symbol(), c.rowsA(), c.rowsB(), c.common(), c.onlyA(), c.onlyB(), c.differingBars(),
            plain(c.maxAbsPriceDiff()), plain(c.meanAbsPriceDiff()), range(c.firstA(), c.lastA()),
            range(c.firstB(), c.lastB()));
      }
      out().println("compare " + a + " (A) with " + b + " (B)" + (from == null && to == null ? ""
          : ", bars " + (range.from() == null ? "" : "from " + Formats.time(range.from()) + " ")
          + (range.to() == null ? "" : "before " + Formats.time(range.to()))));
      if (rows.isEmpty()) {
        out().println("no bars on either side" + (from == null && to == null ? "" : " in this range"));
      } else {
        t.print(out());
      }
      for (SymbolComparison c : rows) {
        printDetails(c, a, b);
      }
      out().println(identical ? "identical" : "sources differ");
      printQuality(quality);
    }
    return identical && !qualityErrors ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  /** validate on one side; a side without bars of the symbol has nothing to check. */
  private ValidationReport validate(SourceName s, ValidateOptions checks) {
    try {
      return Validator.validate(workspace().store(), s, checks);
    } catch (io.tickvault.domain.NotFoundException e) {
      var rec = workspace().store().requireSource(s);
      return new ValidationReport(s, rec.kind(), new io.tickvault.quality.SourceShape(io.tickvault.domain.Timeframe.DAY_1,
          checks.calendar().zone(), "no bars"), checks.calendar().name(), checks, List.of());
    }
  }

  /** The quality section: a separate block after the comparison, one summary line per source and symbol. */
  private void printQuality(List<ValidationReport> quality) {
    out().println();
    out().println("-- quality: the checks of `tickvault validate` (calendar " + quality.get(0).calendar() + ") --");
    Table t = new Table("SOURCE", "SYMBOL", "ROWS", "MISSING SESSIONS", "MISSING BARS IN SESSIONS", "ERRORS",
        "WARNINGS");
    for (ValidationReport q : quality) {
      for (SymbolReport s : q.symbols()) {
        t.row(q.source(), s.symbol(), Formats.count(s.rows()), Formats.count(s.missingSessions()),
            Formats.count(s.missingBars()), Formats.count(s.errors()), Formats.count(s.warnings()));
      }
    }
    t.print(out());
    long errors = quality.stream().mapToLong(ValidationReport::errors).sum();
    long warnings = quality.stream().mapToLong(ValidationReport::warnings).sum();
    out().println(errors + warnings == 0 ? "no findings"
        : errors + " errors, " + warnings + " warnings; `tickvault validate --source " + quality.get(0).source()
            + "` (and " + quality.get(1).source() + ") lists them" + (errors > 0 ? " (errors: exit 3)" : ""));
  }

  private void printDetails(SymbolComparison c, SourceName a, SourceName b) {
    PriceRatio r = c.priceRatio();
    if (r != null) {
      long samePrices = c.common() - r.bars();
      out().println();
      out().println(c.symbol() + ": every price in " + a + " is " + ratio(r.ratio()) + " x the price in " + b
          + " on " + (samePrices == 0 ? "all " + Formats.count(r.bars()) : Formats.count(r.bars()) + " of "
          + Formats.count(c.common())) + " common bars (" + Formats.time(r.first()) + " .. " + Formats.time(r.last())
          + ")" + (samePrices == 0 ? "" : ", the others have the same prices") + ": a split adjusted on one side "
          + "only, or prices in other units");
    }
    if (!c.firstDifferences().isEmpty()) {
      out().println();
      out().println(c.symbol() + ": first differing bars (A | B):");
      for (BarDifference d : c.firstDifferences()) {
        out().println("  " + Formats.time(d.timestamp()) + "  " + d.fields().stream()
            .map(f -> f.field() + " " + value(f.a()) + " | " + value(f.b())).collect(Collectors.joining(", ")));
      }
      if (c.differingBars() > c.firstDifferences().size()) {
        out().println("  ... and " + Formats.count(c.differingBars() - c.firstDifferences().size()) + " more");
      }
    }
  }

  /** 2, 0.5, 1.5 as plain decimals. */
  private static String ratio(BigDecimal r) {
    return r.toPlainString();
  }

  private static String value(String v) {
    return v == null ? "-" : v;
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
    m.put("firstDifferences", c.firstDifferences().stream().map(CompareCommand::json).toList());
    PriceRatio r = c.priceRatio();
    if (r == null) {
      m.put("priceRatio", null);
    } else {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("ratio", r.ratio());
      p.put("bars", r.bars());
      p.put("first", r.first());
      p.put("last", r.last());
      m.put("priceRatio", p);
    }
    return m;
  }

  private static Map<String, Object> json(BarDifference d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("timestamp", d.timestamp());
    Map<String, Object> fields = new LinkedHashMap<>();
    for (FieldDifference f : d.fields()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("a", f.a());
      v.put("b", f.b());
      fields.put(f.field(), v);
    }
    m.put("fields", fields);
    return m;
  }

  /**
   * The zone --from and --to days are read in: the sources' market zone. Two sources in different
   * zones have different days, so plain dates are refused for them (date-times still work).
   */
  private java.time.ZoneId dayZone(SourceName a, SourceName b) {
    java.time.ZoneId za = workspace().store().requireSource(a).zone();
    java.time.ZoneId zb = workspace().store().requireSource(b).zone();
    if (!za.equals(zb) && (Dates.isDay(from) || Dates.isDay(to))) {
      throw new InvalidInputException(a + " keeps its days in " + za + " and " + b + " in " + zb
          + ": a plain date names a different span of time in each; give --from/--to as ISO date-times "
          + "(e.g. 2025-01-15T00:00:00Z)");
    }
    return za;
  }
}
