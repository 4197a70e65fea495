package io.tickvault.cli;

import io.tickvault.backtest.BacktestJson;
import io.tickvault.backtest.BacktestRequest;
import io.tickvault.backtest.BacktestRun;
import io.tickvault.backtest.BacktestService;
import io.tickvault.backtest.BarDiff;
import io.tickvault.backtest.DataDigest;
import io.tickvault.backtest.DigestCheck;
import io.tickvault.backtest.Strategy;
import io.tickvault.domain.DataMode;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.mirror.MirrorService;
import io.tickvault.store.OriginCount;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault backtest}: a long-only strategy on one source (or two, side by side), with lineage and digest. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    header = "Run a long-only strategy on one symbol and report its returns with the data's lineage.",
    description = {"Run a long-only strategy on one symbol of a source and report total and annualised return, Sharpe",
        "ratio, max drawdown, trades, win rate and exposure, with the lineage of the data (source, kind, width,",
        "zone, origins, range, rows; the mirror's last sync in mirror mode) and a data digest (SHA-256 of the",
        "chunk checksums of the bars used). Trades happen at the close of the bar that signals, in whole shares;",
        "a position still open at the end is sold at the last close.",
        "--compare-with runs the same on a second source and lists where the two sources' bars differ.",
        "--check FILE recomputes the digest of a saved JSON result: exit 3 when the data changed, naming the chunks."},
    footer = {"", "Examples:",
        "  tickvault backtest --source alpaca --symbol AAPL --strategy sma-cross --fast 10 --slow 30",
        "  tickvault backtest --source alpaca --symbol AAPL --strategy buy-and-hold --from 2024-01-01 --to 2024-12-31",
        "  tickvault backtest --source alpaca --symbol AAPL --strategy rsi-reversion --compare-with synthetic",
        "  DATA_SOURCE=alpaca tickvault backtest --symbol AAPL --strategy sma-cross --format json > results_real.json",
        "  tickvault backtest --check results_real.json",
        "", "Exit codes: 0 done (or --check: same data), 2 bad option or no bars, 3 --check found changed data."})
public final class BacktestCommand extends BaseCommand {
  @Option(names = "--source", paramLabel = "SOURCE", description = "Source to run on (default: DATA_SOURCE).")
  String source;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "The symbol (required unless --check).")
  Symbol symbol;

  @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "sma-cross",
      description = "sma-cross, rsi-reversion or buy-and-hold (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--fast", paramLabel = "BARS", description = "sma-cross: fast average length (default 10).")
  Integer fast;

  @Option(names = "--slow", paramLabel = "BARS", description = "sma-cross: slow average length (default 30).")
  Integer slow;

  @Option(names = "--period", paramLabel = "BARS", description = "rsi-reversion: RSI length (default 14).")
  Integer period;

  @Option(names = "--lower", paramLabel = "RSI", description = "rsi-reversion: buy below this RSI (default 30).")
  BigDecimal lower;

  @Option(names = "--upper", paramLabel = "RSI", description = "rsi-reversion: sell above this RSI (default 70).")
  BigDecimal upper;

  @Option(names = "--from", paramLabel = "DATE", description = "First trading day (default: the first bar).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last trading day, inclusive (default: the last bar).")
  LocalDate to;

  @Option(names = "--interval", paramLabel = "WIDTH",
      description = "Bar width to trade on: 1m, 5m, 15m, 1h or 1d (default: the source's width).")
  String interval;

  @Option(names = "--cash", paramLabel = "AMOUNT", defaultValue = "100000",
      description = "Starting cash (default: ${DEFAULT-VALUE}).")
  BigDecimal cash;

  @Option(names = "--fee-bps", paramLabel = "BPS", defaultValue = "1",
      description = "Fee per trade in basis points of its value (default: ${DEFAULT-VALUE}).")
  BigDecimal feeBps;

  @Option(names = "--compare-with", paramLabel = "SOURCE", description = "Run the same on this source too (A/B).")
  String compareWith;

  @Option(names = "--check", paramLabel = "FILE", description = "Recompute the data digest of a saved JSON result.")
  Path check;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() throws IOException {
    BacktestService service = new BacktestService(workspace().store(), workspace().mode(),
        workspace().mode() == DataMode.MIRROR ? new MirrorService(settings().mirrorPath(), Clock.systemUTC()) : null);
    if (check != null) {
      return check(service);
    }
    if (symbol == null) {
      throw new InvalidInputException("--symbol is required, e.g. `tickvault backtest --symbol AAPL --strategy "
          + "sma-cross` (or --check results.json)");
    }
    BacktestRequest req = new BacktestRequest(source == null ? settings().dataSource() : SourceName.of(source),
        symbol, Strategy.of(strategy, fast, slow, period, lower, upper),
        from, to,
        interval == null ? null : Timeframe.parse(interval), cash, feeBps);
    BacktestRun a = service.run(req);
    BacktestRun b = null;
    BarDiff diff = null;
    if (compareWith != null) {
      SourceName other = SourceName.of(compareWith);
      b = service.run(req.withSource(other));
      diff = service.diff(req, other, 20);
    }
    if (output.json()) {
      out().println(Json.write(BacktestJson.of(a, b, diff)));
    } else {
      print(a, b, diff, out());
    }
    return ExitCodes.OK;
  }

  private int check(BacktestService service) throws IOException {
    if (!Files.isRegularFile(check)) {
      throw new InvalidInputException("--check: no file " + check + "; save a result with `tickvault backtest ... "
          + "--format json > results.json`");
    }
    Map<?, ?> doc;
    try {
      doc = Json.MAPPER.readValue(check.toFile(), Map.class);
    } catch (IOException e) {
      throw new InvalidInputException("--check: " + check + " is not JSON (" + e.getMessage().lines().findFirst()
          .orElse("") + ")");
    }
    BacktestRequest req = BacktestJson.parseRequest(doc);
    boolean same = true;
    List<Map<String, Object>> runs = new ArrayList<>();
    for (BacktestJson.RecordedRun rec : BacktestJson.parseRuns(doc)) {
      List<DataDigest.ChunkSum> now = service.chunks(req.withSource(rec.source()));
      String digestNow = DataDigest.digest(req.symbol().value(), now);
      List<DigestCheck.Change> changes = DigestCheck.changes(rec.chunks(), now);
      boolean ok = digestNow.equals(rec.digest()) && changes.isEmpty();
      same &= ok;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", rec.source().value());
      m.put("same", ok);
      m.put("digestThen", rec.digest());
      m.put("digestNow", digestNow);
      m.put("changedChunks", changes.stream().map(c -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("chunk", rec.source() + "/" + req.symbol() + "/" + c.day());
        x.put("status", c.status());
        x.put("rowsThen", c.rowsThen());
        x.put("rowsNow", c.rowsNow());
        return x;
      }).toList());
      runs.add(m);
    }
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", check.toString());
      m.put("same", same);
      m.put("runs", runs);
      out().println(Json.write(m));
    } else {
      for (Map<String, Object> m : runs) {
        if ((Boolean) m.get("same")) {
          out().printf("%s: same data (digest %s)%n", m.get("source"), m.get("digestNow"));
          continue;
        }
        out().printf("%s: the data changed since the result was saved (digest %s, now %s)%n", m.get("source"),
            m.get("digestThen"), m.get("digestNow"));
        Table t = new Table("CHUNK", "STATUS", "ROWS THEN", "ROWS NOW");
        for (Object o : (List<?>) m.get("changedChunks")) {
          Map<?, ?> x = (Map<?, ?>) o;
          t.row(x.get("chunk"), x.get("status"), x.get("rowsThen") == null ? "-" : x.get("rowsThen"),
              x.get("rowsNow") == null ? "-" : x.get("rowsNow"));
        }
        t.print(out());
      }
      out().println(same ? "the result's data is unchanged" : "the result's data changed (exit 3); rerun the backtest");
    }
    return same ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  static void print(BacktestRun a, BacktestRun b, BarDiff diff, PrintWriter out) {
    BacktestRequest r = a.request();
    out.printf("backtest %s on %s, %s%s, cash %s, fee %s bps%n", r.strategy().name()
        + (r.strategy().params().isEmpty() ? "" : " " + r.strategy().params()), r.symbol(),
        r.from() == null && r.to() == null ? "all bars" : (r.from() == null ? "start" : r.from()) + ".."
            + (r.to() == null ? "end" : r.to()), r.interval() == null ? "" : ", interval " + r.interval().apiName(),
        r.cash().toPlainString(), r.feeBps().toPlainString());
    List<BacktestRun> runs = b == null ? List.of(a) : List.of(a, b);
    List<String> head = new ArrayList<>();
    head.add("");
    runs.forEach(x -> head.add(x.request().source().value()));
    if (b != null) head.add("B - A");
    Table t = new Table(head.toArray(String[]::new));
    row(t, "total return", runs, x -> pct(x.metrics().totalReturn()), b == null ? null
        : pct(b.metrics().totalReturn().subtract(a.metrics().totalReturn())));
    row(t, "annualised return", runs, x -> pct(x.metrics().annualisedReturn()), null);
    row(t, "sharpe", runs, x -> x.metrics().sharpe() == null ? "-" : String.format(Locale.ROOT, "%.2f",
        x.metrics().sharpe()), null);
    row(t, "max drawdown", runs, x -> pct(x.metrics().maxDrawdown()), null);
    row(t, "trades", runs, x -> Integer.toString(x.metrics().trades()), b == null ? null
        : Integer.toString(b.metrics().trades() - a.metrics().trades()));
    row(t, "win rate", runs, x -> pct(x.metrics().winRate()), null);
    row(t, "exposure", runs, x -> pct(x.metrics().exposure()), null);
    row(t, "final equity", runs, x -> x.metrics().finalEquity().setScale(2, RoundingMode.HALF_EVEN).toPlainString(),
        null);
    row(t, "bars", runs, x -> Formats.count(x.metrics().bars()), null);
    t.print(out);
    for (BacktestRun x : runs) {
      BacktestRun.Lineage l = x.lineage();
      out.println();
      out.printf("lineage of %s: %s source, %s bars, zone %s, %s mode%n", l.source(), l.kind(), l.width(), l.zone(),
          l.mode());
      out.printf("  rows %s (%s points) from %s to %s%n", Formats.count(l.rows()), Formats.count(l.points()),
          Formats.time(l.first()), Formats.time(l.last()));
      StringBuilder o = new StringBuilder();
      for (OriginCount c : l.origins()) {
        o.append(o.length() == 0 ? "" : ", ").append(c.origin()).append(' ').append(Formats.count(c.rows()));
      }
      out.printf("  origins: %s%n", o);
      if (l.mirror() != null) {
        out.printf("  mirror: last sync %s of %s (store %s), data through %s%n", l.mirror().lastSyncAt(),
            l.mirror().production(), l.mirror().productionStoreId(), l.mirror().dataThrough());
      }
      out.printf("  data digest: %s (%d chunks)%n", x.digest(), x.chunks().size());
    }
    if (diff != null) {
      out.println();
      if (diff.identical()) {
        out.printf("compare: the two sources hold the same %s bars in this range%n", Formats.count(diff.common()));
      } else {
        out.printf("compare: %s common bars, %s differ; %s only in %s, %s only in %s; largest close difference %s%n",
            Formats.count(diff.common()), Formats.count(diff.differing()), Formats.count(diff.onlyA()),
            a.request().source(), Formats.count(diff.onlyB()), b.request().source(),
            diff.maxAbsCloseDiff() == null ? "-" : diff.maxAbsCloseDiff().toPlainString());
        Table d = new Table("BAR", "DIFFERENCE", "CLOSE " + a.request().source(), "CLOSE " + b.request().source());
        for (BarDiff.Difference x : diff.listed()) {
          d.row(Formats.time(x.time()), x.what(), x.closeA() == null ? "-" : x.closeA().toPlainString(),
              x.closeB() == null ? "-" : x.closeB().toPlainString());
        }
        d.print(out);
        long all = diff.onlyA() + diff.onlyB() + diff.differing();
        if (all > diff.listed().size()) {
          out.printf("  ... and %s more%n", Formats.count(all - diff.listed().size()));
        }
      }
    }
  }

  private static void row(Table t, String label, List<BacktestRun> runs,
      java.util.function.Function<BacktestRun, String> f, String delta) {
    List<Object> cells = new ArrayList<>();
    cells.add(label);
    runs.forEach(x -> cells.add(f.apply(x)));
    if (runs.size() > 1) cells.add(delta == null ? "" : delta);
    t.row(cells.toArray());
  }

  private static String pct(BigDecimal v) {
    return v == null ? "-" : v.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
  }

  private static String pct(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", v * 100);
  }
}
