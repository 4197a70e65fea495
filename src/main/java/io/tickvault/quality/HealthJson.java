package io.tickvault.quality;

import io.tickvault.store.IngestRecord;
import io.tickvault.store.ValidationRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of a {@link HealthReport}, for {@code tickvault health --format json} and
 * {@code GET /api/health/sources} (both write it with their shared mapper: ISO-8601 instants).
 */
public final class HealthJson {
  private HealthJson() {}

  public static Map<String, Object> of(HealthReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("now", r.now());
    m.put("mode", r.mode());
    m.put("store", r.store());
    m.put("healthy", !r.alert());
    if (r.mirror() != null) {
      Map<String, Object> mirror = new LinkedHashMap<>();
      mirror.put("file", r.mirror().file());
      mirror.put("lastSync", r.mirror().lastSync());
      mirror.put("ageSeconds", r.mirror().age() == null ? null : r.mirror().age().toSeconds());
      mirror.put("stale", r.mirror().stale());
      m.put("mirror", mirror);
    }
    List<Map<String, Object>> sources = new ArrayList<>();
    for (SourceHealth s : r.sources()) {
      sources.add(source(s));
    }
    m.put("sources", sources);
    return m;
  }

  static Map<String, Object> source(SourceHealth s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", s.source().value());
    m.put("kind", s.kind().label());
    m.put("state", s.state().label());
    m.put("alert", s.alert());
    m.put("reason", s.reason());
    m.put("problems", s.problems());
    m.put("width", s.width());
    m.put("timezone", s.zone());
    m.put("calendar", s.calendar());
    m.put("newestBar", s.newest());
    m.put("expectedFrom", s.expectedFrom());
    m.put("lastCompletedSession", s.session());
    m.put("dueSince", s.dueSince());
    m.put("rule", s.rule());
    m.put("rows", s.rows());
    m.put("symbols", s.symbols());
    Map<String, Long> perDay = new LinkedHashMap<>();
    s.rowsPerDay().forEach((d, n) -> perDay.put(d.toString(), n));
    m.put("rowsPerDay", perDay);
    IngestRecord run = s.lastRun();
    if (run == null) {
      m.put("lastRun", null);
    } else {
      Map<String, Object> lr = new LinkedHashMap<>();
      lr.put("id", run.id());
      lr.put("status", s.lastRunStatus());
      lr.put("recordedStatus", run.status().label());
      lr.put("origin", run.origin());
      lr.put("started", run.started());
      lr.put("finished", run.finished());
      lr.put("rows", run.rows());
      lr.put("detail", run.detail());
      m.put("lastRun", lr);
    }
    ValidationRecord v = s.validation();
    if (v == null) {
      m.put("validation", null);
    } else {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("validatedAt", v.validatedAt());
      vm.put("calendar", v.calendar());
      vm.put("from", v.from());
      vm.put("to", v.to());
      vm.put("rows", v.rows());
      vm.put("errors", v.errors());
      vm.put("warnings", v.warnings());
      vm.put("counts", v.counts());
      m.put("validation", vm);
    }
    return m;
  }
}
