package io.tickvault.mirror;

import io.tickvault.mirror.SyncReport.SourceSync;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One sync attempt as the mirror's sync log keeps it, successful or not: when it started and how
 * long it ran, its mode ({@code first}, {@code incremental}, {@code full}; for a failed attempt the
 * mode it was going to run in), production's identity (display location and store id, never
 * credentials), the sources, rows added/changed/deleted in total and per source, the notes and
 * warnings it gave (sources outside the selection, a full comparison and why), and the error of a
 * failed one (null when it succeeded). Immutable.
 */
public record SyncLogEntry(long id, Instant started, Instant finished, String mode, boolean ok, String production,
    String productionStoreId, String sources, long chunksChecked, long chunksChanged, long rowsAdded,
    long rowsChanged, long rowsDeleted, List<SourceSync> perSource, List<String> notes, String error) {

  public SyncLogEntry {
    perSource = List.copyOf(perSource);
    notes = List.copyOf(notes);
  }

  public Duration duration() {
    return Duration.between(started, finished);
  }

  /** The entry as the JSON of {@code tickvault sync log --format json} and {@code GET /api/sync/log}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("started", started.toString());
    m.put("finished", finished.toString());
    m.put("seconds", duration().toNanos() / 1e9);
    m.put("mode", mode);
    m.put("ok", ok);
    m.put("production", production);
    m.put("productionStoreId", productionStoreId);
    m.put("selection", sources);
    m.put("chunksChecked", chunksChecked);
    m.put("chunksChanged", chunksChanged);
    m.put("rowsAdded", rowsAdded);
    m.put("rowsChanged", rowsChanged);
    m.put("rowsDeleted", rowsDeleted);
    List<Map<String, Object>> per = new ArrayList<>();
    for (SourceSync s : perSource) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("source", s.source().value());
      p.put("action", s.action().name().toLowerCase(Locale.ROOT));
      p.put("rowsAdded", s.rowsAdded());
      p.put("rowsChanged", s.rowsChanged());
      p.put("rowsDeleted", s.rowsDeleted());
      per.add(p);
    }
    m.put("sources", per);
    m.put("notes", notes);
    m.put("error", error);
    return m;
  }
}
