package io.tickvault.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of a {@link ValidationReport} as plain maps and lists, shared by
 * {@code validate --format json} and the HTTP API so that both say the same.
 */
public final class ValidationJson {
  private ValidationJson() {}

  public static Map<String, Object> of(ValidationReport r, boolean strict) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", r.source().value());
    m.put("kind", r.kind().label());
    m.put("width", r.shape().width().cliName());
    m.put("zone", r.shape().zone().getId());
    m.put("shape", r.shape().how());
    m.put("calendar", r.calendar());
    ValidateOptions o = r.options();
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("from", o.from() == null ? null : o.from().toString());
    opts.put("to", o.to() == null ? null : o.to().toString());
    opts.put("jump", o.jumpThreshold());
    opts.put("splitTolerance", o.splitTolerance());
    opts.put("spikeWindow", o.spikeWindow());
    opts.put("spikeFactor", o.spikeFactor());
    opts.put("identicalRun", o.identicalRun());
    opts.put("maxListed", o.maxListed());
    opts.put("strict", strict);
    m.put("options", opts);
    m.put("rows", r.rows());
    m.put("errors", r.errors());
    m.put("warnings", r.warnings());
    m.put("ok", !r.failed(strict));
    List<Map<String, Object>> symbols = new ArrayList<>();
    for (SymbolReport s : r.symbols()) {
      symbols.add(symbol(s));
    }
    m.put("symbols", symbols);
    return m;
  }

  public static Map<String, Object> symbol(SymbolReport s) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("symbol", s.symbol().value());
    x.put("rows", s.rows());
    x.put("first", s.first());
    x.put("last", s.last());
    x.put("firstDay", s.firstDay() == null ? null : s.firstDay().toString());
    x.put("lastDay", s.lastDay() == null ? null : s.lastDay().toString());
    x.put("sessions", s.sessions());
    x.put("missingSessions", s.missingSessions());
    x.put("expectedBars", s.expectedBars());
    x.put("missingBarsInSessions", s.missingBars());
    x.put("barsOutsideSessions", s.outsideSession());
    x.put("errors", s.errors());
    x.put("warnings", s.warnings());
    Map<String, Object> counts = new LinkedHashMap<>();
    s.counts().forEach((k, v) -> counts.put(k.label(), v));
    x.put("counts", counts);
    List<Map<String, Object>> f = new ArrayList<>();
    for (Finding g : s.findings()) {
      f.add(finding(g));
    }
    x.put("findings", f);
    return x;
  }

  public static Map<String, Object> finding(Finding g) {
    Map<String, Object> y = new LinkedHashMap<>();
    y.put("severity", g.severity().label());
    y.put("check", g.check().label());
    y.put("symbol", g.symbol().value());
    y.put("bar", g.bar());
    y.put("day", g.day() == null ? null : g.day().toString());
    y.put("detail", g.detail());
    return y;
  }
}
