package io.tickvault.cli;

import io.tickvault.mirror.Lineage;
import io.tickvault.mirror.SourceLineage;
import io.tickvault.mirror.SyncRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a mirror's lineage (production identity, syncs, ranges) for {@code tickvault list} in
 * mirror mode, as text or as a JSON-ready map. Stateless; thread-safe.
 */
final class LineageText {
  private LineageText() {}

  static void print(PrintWriter out, Optional<Lineage> lineage, Instant now) {
    out.println();
    if (lineage.isEmpty()) {
      out.println("Lineage: this mirror has never completed a sync; run `tickvault sync`");
      return;
    }
    Lineage l = lineage.get();
    out.println("Lineage: mirror of " + l.productionLocation() + " (store " + l.productionStoreId() + ")");
    out.println("  last sync  " + Formats.time(l.lastSyncAt()) + " (" + CheckCommand.human(
        max0(Duration.between(l.lastSyncAt(), now))) + " ago); syncs so far: " + l.syncCount());
    out.println("  selection  " + l.selection().describe()
        + ", " + (l.since() == null ? "all history" : "bars from " + l.since()));
    out.println();
    Table s = new Table("SOURCE", "KIND", "WIDTH", "ZONE", "ROWS", "SYMBOLS", "FIRST", "LAST", "SYNCED");
    for (SourceLineage x : l.sources()) {
      s.row(x.source(), x.kind().label(), x.timeframe() == null ? "-" : x.timeframe(),
          x.timezone() == null ? "-" : x.timezone(), Formats.count(x.rows()), x.symbols(), Formats.time(x.first()),
          Formats.time(x.last()), Formats.time(x.syncedAt()));
    }
    s.print(out);
    out.println();
    Table t = new Table("SYNC FINISHED", "MODE", "SECONDS", "CHUNKS CHECKED", "CHUNKS CHANGED", "ADDED", "CHANGED",
        "DELETED");
    for (SyncRecord r : l.recentSyncs()) {
      t.row(Formats.time(r.finished()), r.mode().label(), String.format(java.util.Locale.ROOT, "%.2f",
          r.duration().toNanos() / 1e9), r.chunksChecked(), r.chunksChanged(), Formats.count(r.rowsAdded()),
          Formats.count(r.rowsChanged()), Formats.count(r.rowsDeleted()));
    }
    t.print(out);
  }

  static Map<String, Object> json(Optional<Lineage> lineage) {
    if (lineage.isEmpty()) {
      return null;
    }
    Lineage l = lineage.get();
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("engine", l.productionEngine());
    p.put("host", l.productionHost());
    p.put("port", l.productionPort());
    p.put("database", l.productionDatabase());
    p.put("storeId", l.productionStoreId());
    p.put("location", l.productionLocation());
    m.put("production", p);
    m.put("lastSync", l.lastSyncAt());
    m.put("syncCount", l.syncCount());
    m.put("selection", l.selection().recorded());
    m.put("since", l.since());
    m.put("sources", l.sources().stream().map(x -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("source", x.source().value());
      s.put("kind", x.kind().label());
      s.put("timeframe", x.timeframe());
      s.put("timezone", x.timezone());
      s.put("rows", x.rows());
      s.put("symbols", x.symbols());
      s.put("first", x.first());
      s.put("last", x.last());
      s.put("since", x.since());
      s.put("syncedAt", x.syncedAt());
      return s;
    }).toList());
    List<Map<String, Object>> syncs = l.recentSyncs().stream().map(r -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("started", r.started());
      s.put("finished", r.finished());
      s.put("mode", r.mode().label());
      s.put("production", r.production());
      s.put("sources", r.sources());
      s.put("since", r.since());
      s.put("chunksChecked", r.chunksChecked());
      s.put("chunksChanged", r.chunksChanged());
      s.put("rowsAdded", r.rowsAdded());
      s.put("rowsChanged", r.rowsChanged());
      s.put("rowsDeleted", r.rowsDeleted());
      return s;
    }).toList();
    m.put("recentSyncs", syncs);
    return m;
  }

  private static Duration max0(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
