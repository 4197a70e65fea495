package io.tickvault.ingest.alpaca;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.MarketTime;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.alpaca.dto.StockBarsResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Alpaca stock bars as a {@link BarSource}: one multi-symbol request per start day, followed by
 * {@code next_page_token} (sent back as {@code page_token} with every other parameter unchanged;
 * never sent on the first request) until it is null. Each page is handed over as it arrives; a
 * symbol split across two pages simply arrives in two consecutive pages, and the service merges
 * them into one series. {@code bars} null, {@code {}} or {@code []} is a page without bars.
 *
 * <p>Days are New York calendar days: {@code start} is 00:00 New York of the first day; {@code end}
 * is one second before 00:00 New York after the last day, or omitted when the last day is today or
 * later, so the vendor applies the plan's own limit (now, or 15 minutes ago). Not thread-safe.
 */
public final class AlpacaBarSource implements BarSource {
  private final AlpacaClient client;
  private final AlpacaFeed feed;
  private final AlpacaAdjustment adjustment;
  private final Clock clock;
  private final Consumer<String> notices;

  public AlpacaBarSource(AlpacaClient client, AlpacaFeed feed, AlpacaAdjustment adjustment, Clock clock,
      Consumer<String> notices) {
    this.client = client;
    this.feed = feed;
    this.adjustment = adjustment;
    this.clock = clock;
    this.notices = notices == null ? m -> { } : notices;
  }

  @Override
  public String vendor() {
    return "Alpaca";
  }

  @Override
  public SourceName origin() {
    return SourceName.ALPACA;
  }

  @Override
  public String feed() {
    return feed.value();
  }

  @Override
  public String options() {
    return "feed=" + feed.value() + "; adjustment=" + adjustment.value();
  }

  @Override
  public long requests() {
    return client.requests();
  }

  @Override
  public void fetch(Request request, Consumer<Page> sink) {
    List<String> symbols = request.symbols().stream().map(Symbol::value).toList();
    Instant start = MarketTime.dayStart(request.from());
    Instant end = request.to().isBefore(MarketTime.today(clock))
        ? MarketTime.dayStart(request.to().plusDays(1)).minusSeconds(1) : null;
    String tf = AlpacaAdapters.timeframe(request.timeframe());
    String token = null;
    Set<String> seen = new HashSet<>();
    do {
      StockBarsResponse r = client.stockBars(symbols, tf, start, end, feed, adjustment, token, AlpacaClient.MAX_LIMIT);
      Page page;
      try {
        page = AlpacaAdapters.toPage(r, request.timeframe());
      } catch (VendorJson.Malformed e) {
        throw new VendorException("Alpaca sent an unusable bar (" + e.getMessage() + "); nothing from that page was "
            + "written");
      }
      sink.accept(page);
      token = r.nextPageToken();
      if (token != null && !seen.add(token)) {
        throw new VendorException("Alpaca sent the same next_page_token twice; stopping to avoid a loop (the pages "
            + "before it were written)");
      }
    } while (token != null);
  }
}
