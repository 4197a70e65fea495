package io.tickvault.cli;

import io.tickvault.domain.Symbol;
import io.tickvault.ingest.IngestListener;
import io.tickvault.ingest.IngestReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the two vendor ingest commands share: the progress listener and the result output. Stateless;
 * the listener it builds is not thread-safe (one run).
 */
final class VendorRun {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
      .withZone(ZoneOffset.UTC);

  private VendorRun() {}

  /** Per-symbol progress lines and notices through {@code progress}. */
  static IngestListener listener(Progress progress) {
    return new IngestListener() {
      @Override
      public void progress(Symbol symbol, long rows, Instant through, double fraction) {
        progress.update(symbol.value(), fraction, Formats.count(rows) + " bars through " + DAY.format(through));
      }

      @Override
      public void symbolDone(Symbol symbol, long rows) {
        progress.done(symbol.value(), Formats.count(rows) + " bars");
      }

      @Override
      public void notice(String message) {
        progress.println(message);
      }
    };
  }

  /** The one-line summary (text) or the report (JSON) on stdout. */
  static void print(IngestReport r, String vendor, boolean json, PrintWriter out) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ingestId", r.ingestId());
      m.put("source", r.target().value());
      m.put("origin", r.origin().value());
      m.put("feed", r.feed());
      m.put("timeframe", r.timeframe().cliName());
      m.put("from", r.from() == null ? null : r.from().toString());
      m.put("to", r.to().toString());
      m.put("rows", r.rows());
      m.put("pages", r.pages());
      m.put("requests", r.requests());
      m.put("roundedVolumes", r.roundedVolumes());
      m.put("roundedVwaps", r.roundedVwaps());
      m.putAll(r.written().json());
      Map<String, Object> anomalies = new LinkedHashMap<>();
      anomalies.put("outOfRange", r.outOfRange());
      anomalies.put("unrequestedSymbol", r.unrequested());
      m.put("vendorAnomalies", anomalies);
      m.put("elapsedMs", r.elapsed().toMillis());
      m.put("rowsPerSecond", r.rowsPerSecond());
      m.put("symbols", r.symbols().stream().map(s -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("symbol", s.symbol().value());
        x.put("from", s.from() == null ? null : s.from().toString());
        x.put("rows", s.rows());
        x.put("first", s.first() == null ? null : s.first().toString());
        x.put("last", s.last() == null ? null : s.last().toString());
        return x;
      }).toList());
      out.println(Json.write(m));
      return;
    }
    List<String> names = r.symbols().stream().map(s -> s.symbol().value()).toList();
    String syms = names.size() <= 5 ? String.join(", ", names)
        : names.subList(0, 5).stream().collect(Collectors.joining(", ")) + ", ...";
    out.println("ingested " + Formats.count(r.rows()) + " " + vendor + " bars of " + names.size() + " symbol"
        + (names.size() == 1 ? "" : "s") + " (" + syms + ") into " + r.target()
        + (r.feed() == null ? "" : " [feed " + r.feed() + "]") + ", "
        + (r.from() == null ? "nothing to fetch through " + r.to() : r.from() + ".." + r.to()) + " "
        + r.timeframe().cliName() + ", in " + String.format(Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0)
        + " s (" + Formats.rate(r.rowsPerSecond()) + " rows/s, " + r.requests() + " requests)"
        + (r.roundedVolumes() > 0 ? "; " + r.roundedVolumes() + " fractional volumes rounded to whole shares" : "")
        + (r.roundedVwaps() > 0 ? "; " + r.roundedVwaps() + " vwaps rounded to 4 decimals" : "") + ": "
        + r.written().summary() + (r.written().flawed() > 0 ? "; " + r.written().flawNote() : "")
        + (r.anomalies() == null ? "" : "; " + r.anomalies()));
  }
}
