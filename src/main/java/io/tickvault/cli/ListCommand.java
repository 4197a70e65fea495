package io.tickvault.cli;

import io.tickvault.ingest.stream.CollectorStatus;
import io.tickvault.source.SourceService;
import io.tickvault.source.SourceSummary;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tickvault list}: every known source with status, rows, symbols, range, last ingest. */
@Command(name = "list", mixinStandardHelpOptions = true,
    header = "List every known source with its status, rows, symbols and date range.",
    description = "List every known source: status (has data / empty / not created), table, kind, rows, symbols, "
        + "date range and last ingest.",
    footer = {"", "Examples:", "  tickvault list", "  tickvault list --format json",
        "  DATA_MODE=mirror tickvault list      # what the read-only mirror holds"})
final class ListCommand extends BaseCommand {
  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    BarStore store = workspace().store();
    List<SourceSummary> sources = new SourceService(store).list();
    if (output.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("engine", store.info().engine());
      st.put("location", store.info().location());
      st.put("mode", workspace().mode().label());
      st.put("readOnly", store.readOnly());
      doc.put("store", st);
      java.time.Instant now = java.time.Instant.now();
      doc.put("sources", sources.stream().map(src -> {
        Map<String, Object> m = json(src);
        m.put("collector", collector(store, src).map(c -> c.view(now)).orElse(null));
        return m;
      }).toList());
      if (workspace().mode() == io.tickvault.domain.DataMode.MIRROR) {
        doc.put("lineage", LineageText.json(mirrorService().lineage()));
      }
      out().println(Json.write(doc));
      return ExitCodes.OK;
    }
    out().println("Store: " + store.info().location() + " (" + workspace().mode().label()
        + (store.readOnly() ? ", read-only" : "") + ")");
    out().println();
    Table t = new Table("SOURCE", "KIND", "WIDTH", "ZONE", "STATUS", "ROWS", "SYMBOLS", "FIRST", "LAST", "LAST INGEST");
    for (SourceSummary s : sources) {
      IngestRecord li = s.lastIngest();
      String ingest = li == null ? "-" : Formats.time(li.started()) + " " + li.status().label() + " (" + Formats.count(li.rows())
          + " rows)";
      t.row(s.name(), s.kind().label(), s.timeframe() == null ? "-" : s.timeframe(),
          s.timezone() == null ? "-" : s.timezone(), s.status(), Formats.count(s.rows()), s.symbols(),
          Formats.time(s.first()), Formats.time(s.last()), ingest);
    }
    t.print(out());
    List<String> monthly = sources.stream().filter(s -> "monthly".equals(s.partitioning()))
        .map(s -> s.name().value()).toList();
    if (!monthly.isEmpty()) {
      out().println();
      out().println("partitioned by month: " + String.join(", ", monthly));
    }
    for (SourceSummary s : sources) {
      if (s.mixed() != null) {
        out().println();
        out().println("warning: " + s.name() + " mixes bar widths (" + s.mixed() + "); writes into it are refused "
            + "until it is split or cleaned: see docs/sources.md");
      }
    }
    printCollectors(store, sources);
    if (workspace().mode() == io.tickvault.domain.DataMode.MIRROR) {
      LineageText.print(out(), mirrorService().lineage(), java.time.Instant.now());
    }
    return ExitCodes.OK;
  }

  /** The published status of a source's collector (production only). */
  private java.util.Optional<CollectorStatus> collector(BarStore store, SourceSummary s) {
    if (workspace().mode() == io.tickvault.domain.DataMode.MIRROR) {
      return java.util.Optional.empty();
    }
    return CollectorStatus.read(store, s.name());
  }

  /** One block per source with a collector: state, health, last bar per symbol. */
  private void printCollectors(BarStore store, List<SourceSummary> sources) {
    java.time.Instant now = java.time.Instant.now();
    for (SourceSummary s : sources) {
      collector(store, s).ifPresent(c -> {
        CollectorStatus.Health h = c.health(now);
        out().println();
        out().println("Collector " + s.name() + ": " + c.state() + " (" + h.level() + ": " + h.reason() + "), "
            + c.vendor() + (c.feed() == null ? "" : " " + c.feed()) + ", pid " + c.pid() + " on " + c.host()
            + ", heartbeat " + Formats.time(c.heartbeat()) + ", " + c.reconnects() + (c.reconnects() == 1 ? " reconnect, " : " reconnects, ")
            + c.backfilledBars() + " backfilled bars");
        StringBuilder b = new StringBuilder("  last bar:");
        for (String sym : c.symbols()) {
          java.time.Instant t = c.lastBars().get(sym);
          b.append(' ').append(sym).append(' ').append(t == null ? "-" : Formats.time(t));
        }
        out().println(b);
      });
    }
  }

  private io.tickvault.mirror.MirrorService mirrorService() {
    return new io.tickvault.mirror.MirrorService(settings().mirrorPath(), java.time.Clock.systemUTC());
  }

  private static Map<String, Object> json(SourceSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", s.name().value());
    m.put("table", s.table());
    m.put("kind", s.kind().label());
    m.put("status", s.status());
    m.put("timeframe", s.timeframe());
    m.put("timezone", s.timezone());
    m.put("mixed", s.mixed());
    m.put("partitioning", s.partitioning());
    m.put("description", s.description());
    m.put("rows", s.rows());
    m.put("symbols", s.symbols());
    m.put("first", s.first());
    m.put("last", s.last());
    IngestRecord li = s.lastIngest();
    if (li != null) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("origin", li.origin());
      l.put("feed", li.feed());
      l.put("symbols", li.symbols());
      l.put("rows", li.rows());
      l.put("started", li.started());
      l.put("finished", li.finished());
      l.put("status", li.status().label());
      m.put("lastIngest", l);
    } else {
      m.put("lastIngest", null);
    }
    return m;
  }
}
