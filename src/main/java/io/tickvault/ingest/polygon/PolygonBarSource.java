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
          // the bars are the response's ticker's: one that was not asked for is counted and left out by the service
          page = PolygonAdapters.toPage(tickerOf(r, s), r.results(), request.timeframe());
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

  /** The symbol the response says its bars are of ({@code ticker}), or the requested one when it says none. */
  private static Symbol tickerOf(AggregatesResponse r, Symbol requested) {
    if (r.ticker() == null || r.ticker().isBlank()) {
      return requested;
    }
    try {
      return Symbol.of(r.ticker());
    } catch (RuntimeException e) {
      throw new VendorException("Polygon answered the request for " + requested + " with bars of ticker "
          + io.tickvault.domain.Text.quote(r.ticker()) + ", which is not a symbol; nothing from that page was written");
    }
  }

  private void noteDelayed(AggregatesResponse r) {
    if ("DELAYED".equals(r.status()) && !delayedNoted) {
      delayedNoted = true;
      notices.accept("Polygon marked the data DELAYED (your plan gives delayed data); it is stored as usual");
    }
  }
}
