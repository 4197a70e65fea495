package io.tickvault.ingest.polygon;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.polygon.dto.AggregatesResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Polygon aggregates as a {@link BarSource}: one symbol after the other, each page of
 * {@link PolygonClient#MAX_LIMIT} base aggregates handed over as it arrives, following
 * {@code next_url} until it is absent. A missing, {@code null} or empty {@code results} is a page
 * without bars; {@code DELAYED} is success (noted once). Not thread-safe; one per run.
 */
public final class PolygonBarSource implements BarSource {
  private final PolygonClient client;
  private final boolean adjusted;
  private final Consumer<String> notices;
  private boolean delayedNoted;

  /** {@code adjusted}: split-adjusted prices (the vendor's default) or raw ({@code --unadjusted}). */
  public PolygonBarSource(PolygonClient client, boolean adjusted, Consumer<String> notices) {
    this.client = client;
    this.adjusted = adjusted;
    this.notices = notices == null ? m -> { } : notices;
  }

  @Override
  public String vendor() {
    return "Polygon";
  }

  @Override
  public SourceName origin() {
    return SourceName.POLYGON;
  }

  @Override
  public String feed() {
    return null;
  }

  @Override
  public String options() {
    return "adjusted=" + adjusted;
  }

  @Override
  public long requests() {
    return client.requests();
  }

  @Override
  public void fetch(Request request, Consumer<Page> sink) {
    int mult = PolygonAdapters.multiplier(request.timeframe());
    String span = PolygonAdapters.timespan(request.timeframe());
    for (Symbol s : request.symbols()) {
      AggregatesResponse r = client.aggregates(s.value(), mult, span, request.from(), request.to(), adjusted,
          PolygonClient.MAX_LIMIT);
      Set<String> followed = new HashSet<>();
      while (true) {
        noteDelayed(r);
        Page page;
        try {
          page = PolygonAdapters.toPage(s, r.results(), request.timeframe());
        } catch (VendorJson.Malformed e) {
          throw new VendorException("Polygon sent an unusable bar for " + s + " (" + e.getMessage() + "); nothing "
              + "from that page was written");
        }
        sink.accept(page);
        if (r.nextUrl() == null) {
          break;
        }
        if (!followed.add(r.nextUrl())) {
          throw new VendorException("Polygon sent the same next_url twice for " + s + "; stopping to avoid a loop "
              + "(the pages before it were written)");
        }
        r = client.next(r.nextUrl(), s.value(), adjusted);
      }
    }
  }

  private void noteDelayed(AggregatesResponse r) {
    if ("DELAYED".equals(r.status()) && !delayedNoted) {
      delayedNoted = true;
      notices.accept("Polygon marked the data DELAYED (your plan gives delayed data); it is stored as usual");
    }
  }
}
