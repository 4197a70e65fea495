package io.tickvault.server;

import io.tickvault.backtest.BacktestJson;
import io.tickvault.backtest.BacktestRequest;
import io.tickvault.backtest.BacktestRun;
import io.tickvault.backtest.BacktestService;
import io.tickvault.backtest.BarDiff;
import io.tickvault.calendar.TradingCalendar;
import io.tickvault.config.Workspace;
import io.tickvault.domain.DataMode;
import io.tickvault.domain.Dates;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.mirror.MirrorService;
import io.tickvault.quality.DayCoverage;
import io.tickvault.quality.ValidateOptions;
import io.tickvault.quality.ValidationJson;
import io.tickvault.quality.ValidationReport;
import io.tickvault.quality.Validator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality view and the backtest panel: {@code GET /api/quality} (validate one symbol, with the
 * coverage of every day for the heat map) and {@code POST /api/backtest} (the same JSON as
 * {@code tickvault backtest --format json}). Thread-safe: stateless over a thread-safe workspace.
 */
final class QualityService {
  private final Workspace workspace;
  private final Clock clock;

  QualityService(Workspace workspace, Clock clock) {
    this.workspace = workspace;
    this.clock = clock;
  }

  private SourceName source(String param) {
    return param == null || param.isBlank() ? workspace.settings().dataSource() : SourceName.of(param);
  }

  Map<String, Object> quality(String source, String symbol, String from, String to, String calendar) {
    if (symbol == null || symbol.isBlank()) {
      throw new InvalidInputException("symbol is required: GET /api/quality?symbol=AAPL[&source=...&from=...&to=...]");
    }
    ValidateOptions o = ValidateOptions.defaults(TradingCalendar.named(calendar == null ? "us-equities" : calendar,
        null), clock.instant()).withSymbol(Symbol.of(symbol)).withDays(
        from == null || from.isBlank() ? null : Dates.date(from, "from"),
        to == null || to.isBlank() ? null : Dates.date(to, "to")).withMaxListed(200);
    List<Map<String, Object>> days = new ArrayList<>();
    ValidationReport r = Validator.validate(workspace.store(), source(source), o, (s, d) -> days.add(day(d)), null);
    Map<String, Object> m = ValidationJson.of(r, false);
    m.put("days", days);
    return m;
  }

  private static Map<String, Object> day(DayCoverage d) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("day", d.day().toString());
    x.put("kind", d.kind().label());
    x.put("note", d.note());
    x.put("expected", d.expected());
    x.put("present", d.present());
    x.put("outside", d.outside());
    return x;
  }

  /** Runs a backtest from a request body shaped like the CLI's {@code request} object, plus {@code compareWith}. */
  Map<String, Object> backtest(Map<?, ?> body) {
    if (body == null) {
      throw new InvalidInputException("POST /api/backtest needs a JSON body such as {\"symbol\": \"AAPL\", "
          + "\"strategy\": \"sma-cross\", \"params\": {\"fast\": 10, \"slow\": 30}}");
    }
    Map<String, Object> req = new LinkedHashMap<>();
    body.forEach((k, v) -> req.put(String.valueOf(k), v));
    req.putIfAbsent("source", workspace.settings().dataSource().value());
    req.putIfAbsent("strategy", "sma-cross");
    req.putIfAbsent("cash", "100000");
    req.putIfAbsent("feeBps", "1");
    if (req.get("symbol") == null) {
      throw new InvalidInputException("\"symbol\" is required in the body of POST /api/backtest");
    }
    BacktestRequest r = BacktestJson.parseRequest(Map.of("request", req));
    BacktestService service = new BacktestService(workspace.store(), workspace.mode(),
        workspace.mode() == DataMode.MIRROR ? new MirrorService(workspace.settings().mirrorPath(), clock) : null);
    BacktestRun a = service.run(r);
    Object other = req.get("compareWith");
    if (other == null || other.toString().isBlank()) {
      return BacktestJson.of(a, null, null);
    }
    SourceName b = SourceName.of(other.toString());
    BacktestRun rb = service.run(r.withSource(b));
    BarDiff diff = service.diff(r, b, 20);
    return BacktestJson.of(a, rb, diff);
  }
}
