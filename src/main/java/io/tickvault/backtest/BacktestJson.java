package io.tickvault.backtest;

import io.tickvault.backtest.DataDigest.ChunkSum;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.OriginCount;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of a backtest as plain maps and lists, shared by {@code backtest --format json}
 * and {@code POST /api/backtest}, and read back by {@code backtest --check}.
 */
public final class BacktestJson {
  /** At most this many equity points per run in the document (evenly spaced, the last one kept). */
  public static final int MAX_POINTS = 2000;

  private BacktestJson() {}

  public static Map<String, Object> of(BacktestRun a, BacktestRun b, BarDiff diff) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request", request(a.request()));
    List<Map<String, Object>> runs = new ArrayList<>();
    runs.add(run(a));
    if (b != null) {
      runs.add(run(b));
    }
    m.put("runs", runs);
    if (b != null) {
      m.put("differences", differences(a.metrics(), b.metrics()));
      m.put("sameData", a.digest().equals(b.digest()));
    }
    if (diff != null) {
      m.put("compare", compare(a.request().source(), b == null ? null : b.request().source(), diff));
    }
    return m;
  }

  public static Map<String, Object> request(BacktestRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", r.source().value());
    m.put("symbol", r.symbol().value());
    m.put("strategy", r.strategy().name());
    m.put("params", r.strategy().params());
    m.put("from", r.from() == null ? null : r.from().toString());
    m.put("to", r.to() == null ? null : r.to().toString());
    m.put("interval", r.interval() == null ? null : r.interval().apiName());
    m.put("cash", r.cash());
    m.put("feeBps", r.feeBps());
    return m;
  }

  /** The request a document records (what {@code --check} repeats). */
  public static BacktestRequest parseRequest(Map<?, ?> doc) {
    Object req = doc.get("request");
    if (!(req instanceof Map<?, ?> r)) {
      throw new InvalidInputException("not a tickvault backtest result: no \"request\" object; save one with "
          + "`tickvault backtest ... --format json > results.json`");
    }
    Map<?, ?> p = r.get("params") instanceof Map<?, ?> x ? x : Map.of();
    Strategy s = Strategy.of(text(r, "strategy"), integer(p.get("fast")), integer(p.get("slow")),
        integer(p.get("period")), decimal(p.get("lower")), decimal(p.get("upper")));
    String from = (String) r.get("from");
    String to = (String) r.get("to");
    String interval = (String) r.get("interval");
    return new BacktestRequest(SourceName.of(text(r, "source")), Symbol.of(text(r, "symbol")), s,
        from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to),
        interval == null ? null : Timeframe.parse(interval), decimal(r.get("cash")), decimal(r.get("feeBps")));
  }

  /** The sources and recorded chunks of each run in a document. */
  public static List<RecordedRun> parseRuns(Map<?, ?> doc) {
    List<RecordedRun> out = new ArrayList<>();
    if (!(doc.get("runs") instanceof List<?> runs)) {
      throw new InvalidInputException("not a tickvault backtest result: no \"runs\" list");
    }
    for (Object o : runs) {
      Map<?, ?> run = (Map<?, ?>) o;
      Map<?, ?> data = (Map<?, ?>) run.get("data");
      List<ChunkSum> chunks = new ArrayList<>();
      for (Object c : (List<?>) data.get("chunks")) {
        Map<?, ?> cm = (Map<?, ?>) c;
        chunks.add(new ChunkSum(LocalDate.parse(text(cm, "day")), ((Number) cm.get("rows")).longValue(),
            text(cm, "sha256")));
      }
      out.add(new RecordedRun(SourceName.of(text(run, "source")), text(data, "digest"), chunks));
    }
    return out;
  }

  /** One run as recorded in a results document. */
  public record RecordedRun(SourceName source, String digest, List<ChunkSum> chunks) {}

  private static String text(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new InvalidInputException("not a tickvault backtest result: \"" + key + "\" is missing");
    }
    return v.toString();
  }

  private static Integer integer(Object v) {
    return v == null ? null : ((Number) v).intValue();
  }

  private static BigDecimal decimal(Object v) {
    return v == null ? null : new BigDecimal(v.toString());
  }

  public static Map<String, Object> run(BacktestRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", r.request().source().value());
    m.put("metrics", metrics(r.metrics()));
    List<Map<String, Object>> trades = new ArrayList<>();
    for (Engine.Trade t : r.trades()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("entry", t.entry());
      x.put("entryPrice", t.entryPrice());
      x.put("exit", t.exit());
      x.put("exitPrice", t.exitPrice());
      x.put("shares", t.shares());
      x.put("pnl", t.pnl());
      x.put("closedAtEnd", t.closedAtEnd());
      trades.add(x);
    }
    m.put("trades", trades);
    m.put("lineage", lineage(r.lineage()));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("digest", r.digest());
    data.put("digestOf", "SHA-256 of the lines \"<symbol> <UTC day> <rows> <chunk sha256>\" of the bars used");
    List<Map<String, Object>> chunks = new ArrayList<>();
    for (ChunkSum c : r.chunks()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("day", c.day().toString());
      x.put("rows", c.rows());
      x.put("sha256", c.sha256());
      chunks.add(x);
    }
    data.put("chunks", chunks);
    m.put("data", data);
    List<Map<String, Object>> eq = new ArrayList<>();
    int n = r.equity().size();
    int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    for (int i = 0; i < n; i += step) {
      eq.add(point(r, i));
    }
    if (n > 0 && (n - 1) % step != 0) {
      eq.add(point(r, n - 1));
    }
    m.put("equity", eq);
    return m;
  }

  private static Map<String, Object> point(BacktestRun r, int i) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("time", r.times().get(i));
    p.put("close", r.closes().get(i));
    p.put("equity", r.equity().get(i));
    return p;
  }

  public static Map<String, Object> metrics(Engine.Metrics x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("initialCash", x.initialCash());
    m.put("finalEquity", x.finalEquity());
    m.put("totalReturn", x.totalReturn());
    m.put("annualisedReturn", x.annualisedReturn());
    m.put("sharpe", x.sharpe());
    m.put("maxDrawdown", x.maxDrawdown());
    m.put("trades", x.trades());
    m.put("winRate", x.winRate());
    m.put("exposure", x.exposure());
    m.put("bars", x.bars());
    m.put("first", x.first());
    m.put("last", x.last());
    return m;
  }

  private static Map<String, Object> lineage(BacktestRun.Lineage l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", l.source());
    m.put("kind", l.kind());
    m.put("width", l.width());
    m.put("zone", l.zone());
    m.put("widthFrom", l.widthFrom());
    m.put("mode", l.mode());
    List<Map<String, Object>> origins = new ArrayList<>();
    for (OriginCount o : l.origins()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("origin", o.origin().value());
      x.put("rows", o.rows());
      origins.add(x);
    }
    m.put("origins", origins);
    m.put("first", l.first());
    m.put("last", l.last());
    m.put("rows", l.rows());
    m.put("points", l.points());
    if (l.mirror() != null) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("lastSyncAt", l.mirror().lastSyncAt());
      x.put("production", l.mirror().production());
      x.put("productionStoreId", l.mirror().productionStoreId());
      x.put("dataThrough", l.mirror().dataThrough());
      x.put("sourceSyncedAt", l.mirror().sourceSyncedAt());
      m.put("mirror", x);
    } else {
      m.put("mirror", null);
    }
    return m;
  }

  private static Map<String, Object> differences(Engine.Metrics a, Engine.Metrics b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("totalReturn", b.totalReturn().subtract(a.totalReturn()));
    m.put("annualisedReturn", a.annualisedReturn() == null || b.annualisedReturn() == null ? null
        : b.annualisedReturn() - a.annualisedReturn());
    m.put("sharpe", a.sharpe() == null || b.sharpe() == null ? null : b.sharpe() - a.sharpe());
    m.put("maxDrawdown", b.maxDrawdown().subtract(a.maxDrawdown()));
    m.put("trades", b.trades() - a.trades());
    m.put("exposure", b.exposure().subtract(a.exposure()));
    m.put("bars", b.bars() - a.bars());
    return m;
  }

  private static Map<String, Object> compare(SourceName a, SourceName b, BarDiff d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", a.value());
    m.put("target", b == null ? null : b.value());
    m.put("identical", d.identical());
    m.put("rowsA", d.rowsA());
    m.put("rowsB", d.rowsB());
    m.put("common", d.common());
    m.put("onlyA", d.onlyA());
    m.put("onlyB", d.onlyB());
    m.put("differingBars", d.differing());
    m.put("maxAbsCloseDiff", d.maxAbsCloseDiff());
    List<Map<String, Object>> listed = new ArrayList<>();
    for (BarDiff.Difference x : d.listed()) {
      Map<String, Object> y = new LinkedHashMap<>();
      y.put("time", x.time());
      y.put("what", x.what());
      y.put("closeA", x.closeA());
      y.put("closeB", x.closeB());
      listed.add(y);
    }
    m.put("bars", listed);
    return m;
  }
}
