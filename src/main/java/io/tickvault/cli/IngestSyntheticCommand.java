package io.tickvault.cli;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.synthetic.SyntheticIngest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault ingest synthetic}: deterministic generated bars into a generated source. */
@Command(name = "synthetic", mixinStandardHelpOptions = true,
    header = "Generate realistic synthetic bars for development and tests.",
    description = {"Generate realistic bars (geometric Brownian motion, OHLC consistent, vwap within [low, high],",
        "U-shaped intraday volume) and write them into 'synthetic' (or another generated source with --into).",
        "Stock-like symbols trade 09:30-16:00 New York time on weekdays; symbols with '/' (BTC/USD) and",
        "--all-hours trade around the clock. The same --seed gives the same bars, so reruns change nothing."},
    footer = {"", "Examples:", "  tickvault ingest synthetic --symbols AAPL,MSFT --from 2025-01-15 --to 2025-01-20",
        "  tickvault create --source synthetic_1day --kind generated --timeframe 1Day",
        "  tickvault ingest synthetic --symbols SPY --from 2024-01-01 --to 2024-12-31 --timeframe 1Day --seed 7 "
            + "--into synthetic_1day",
        "  tickvault ingest synthetic --symbols BTC/USD --from 2025-01-01 --to 2025-01-02 --into mock"})
final class IngestSyntheticCommand extends BaseCommand {
  @Option(names = "--symbols", required = true, paramLabel = "SYMBOLS",
      description = "Comma-separated symbols, e.g. AAPL,MSFT,BTC/USD.")
  String symbols;

  @Option(names = "--from", required = true, paramLabel = "DATE", description = "First day (YYYY-MM-DD).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day, inclusive (default: --from).")
  LocalDate to;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "1Min, 5Min, 15Min, 30Min, 1Hour or 1Day (default: the width the target holds, 1Min for a new "
          + "one). A source holds one width: other widths go into another generated source (--into).")
  String timeframe;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--into", defaultValue = "synthetic", paramLabel = "SOURCE",
      description = "Generated source to write into: synthetic, mock, test, or one created with --kind generated "
          + "(default: ${DEFAULT-VALUE}). Vendor sources are refused.")
  String into;

  @Option(names = "--all-hours", description = "Trade around the clock (24/7) instead of US regular hours.")
  boolean allHours;

  @picocli.CommandLine.Mixin
  OutputOptions output;

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    LinkedHashSet<Symbol> syms = new LinkedHashSet<>();
    for (String s : symbols.split(",", -1)) {
      if (!s.isBlank()) {
        syms.add(Symbol.of(s));
      }
    }
    LocalDate f = from;
    LocalDate t = to == null ? f : to;
    if (t.isBefore(f)) {
      throw new InvalidInputException("--to " + t + " is before --from " + f);
    }
    SourceName target = sourceName(into);
    Timeframe width = timeframe != null ? Timeframe.parse(timeframe) : workspace().store().source(target)
        .map(io.tickvault.store.SourceRecord::width).orElse(null);
    SyntheticIngest.Request req = new SyntheticIngest.Request(target, new ArrayList<>(syms), f, t,
        width == null ? Timeframe.MIN_1 : width, seed, allHours);
    SyntheticIngest.Result r;
    try (Progress progress = Progress.forTerminal(err())) {
      r = new SyntheticIngest(workspace().store()).run(req, new SyntheticIngest.Listener() {
        long expected;

        @Override
        public void symbolStarted(Symbol symbol, long expectedRows) {
          expected = Math.max(1, expectedRows);
          progress.update(symbol.value(), 0, "0/" + Formats.count(expectedRows));
        }

        @Override
        public void advanced(Symbol symbol, long rowsSoFar) {
          progress.update(symbol.value(), (double) rowsSoFar / expected,
              Formats.count(rowsSoFar) + "/" + Formats.count(expected));
        }

        @Override
        public void symbolDone(Symbol symbol, long rows) {
          progress.done(symbol.value(), Formats.count(rows) + " bars");
        }
      });
    }
    if (output.json()) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("source", r.target().value());
      m.put("symbols", req.symbols().stream().map(Symbol::value).toList());
      m.put("from", f.toString());
      m.put("to", t.toString());
      m.put("timeframe", req.timeframe().cliName());
      m.put("seed", req.seed());
      m.put("rows", r.rows());
      m.putAll(r.written().json());
      m.put("elapsedMs", r.elapsed().toMillis());
      m.put("rowsPerSecond", Math.round(r.rowsPerSecond()));
      out().println(Json.write(m));
      return ExitCodes.OK;
    }
    out().println("ingested " + Formats.count(r.rows()) + " synthetic bars into " + r.target() + " ("
        + r.symbols() + (r.symbols() == 1 ? " symbol, " : " symbols, ") + f + ".." + t + ", " + req.timeframe().cliName() + ") in "
        + String.format(java.util.Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0) + " s, "
        + Formats.rate(r.rowsPerSecond()) + " rows/s: " + r.written().summary()
        + (r.written().unchanged() == r.rows() && r.rows() > 0 ? " (the bars were already stored, identical)" : ""));
    return ExitCodes.OK;
  }
}
