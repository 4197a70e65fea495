package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.sse;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.tickvault.domain.DataMode;
import io.tickvault.store.Candle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live dashboard: {@code GET /api/live} (what this server offers: live updates in live and test
 * mode, the simulated candle with {@code serve --simulate-live} in mirror mode),
 * {@code GET /api/market-data/stream/{symbol}?source=&interval=} (Server-Sent Events through
 * {@link LiveFeed}) and {@code GET /api/market-data/simulated/{symbol}?source=&interval=} (Option B:
 * a simulated current candle after the last synced bar, derived from the last close, marked
 * {@code simulated: true} in the candle and the metadata; computed per request, never stored,
 * never part of the history or an export).
 */
final class LiveRoutes {
  private LiveRoutes() {}

  static EndpointGroup of(DataService data, LiveFeed feed, boolean simulateLive) {
    return () -> {
      get("live", ctx -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("liveUpdates", data.mode() != DataMode.MIRROR);
        m.put("simulateLive", simulateLive && data.mode() == DataMode.MIRROR);
        ctx.json(m);
      });
      // checked before the stream starts, as the history is: a bad request gets its 4xx in the one error
      // shape (and a browser's EventSource does not retry it), never an open stream that sends nothing
      before("market-data/stream/<symbol>", ctx -> {
        if (data.mode() != DataMode.MIRROR) {
          streamQuery(data, ctx);
        }
      });
      sse("market-data/stream/<symbol>", client -> {
        Context ctx = client.ctx();
        if (data.mode() == DataMode.MIRROR) {
          client.sendEvent("unavailable", "{\"message\":\"the mirror changes only when synced: live updates are "
              + "for DATA_MODE=live\"}");
          client.close();
          return;
        }
        HistoryQuery q = streamQuery(data, ctx);
        feed.watch(client, new LiveFeed.Key(q.source(), q.symbol(), q.interval()));
      });
      get("market-data/simulated/<symbol>", ctx -> simulated(data, ctx, simulateLive));
    };
  }

  /**
   * The validated query of a stream or simulated candle: its source and symbol exist (404), its
   * interval is valid and not finer than the source's bars (400), and defaults to their width.
   */
  private static HistoryQuery streamQuery(DataService data, Context ctx) {
    HistoryQuery q = data.interval(HistoryQuery.parse(data.source(ctx.queryParam("source")), ctx.pathParam("symbol"),
        null, null, ctx.queryParam("interval")));
    data.historyMetadata(q); // 404 for an unknown symbol
    return q;
  }

  private static void simulated(DataService data, Context ctx, boolean simulateLive) {
    if (!simulateLive || data.mode() != DataMode.MIRROR) {
      throw new io.javalin.http.NotFoundResponse("no simulated candle: start the server with `tickvault serve "
          + "--simulate-live` in mirror mode (DATA_MODE=mirror)");
    }
    HistoryQuery q = streamQuery(data, ctx);
    ApiViews.HistoryMetadata meta = data.historyMetadata(q);
    Instant last = meta.dataThrough();
    List<Candle> tail = new ArrayList<>();
    data.history(new HistoryQuery(q.source(), q.symbol(), new io.tickvault.domain.TimeRange(
        last.minus(q.interval().duration().multipliedBy(2)), null), q.interval()), tail::add);
    Candle lastCandle = tail.get(tail.size() - 1);
    Instant t = lastCandle.time().plus(q.interval().duration());
    Map<String, Object> candle = new LinkedHashMap<>();
    candle.put("time", t.toString());
    candle.put("open", lastCandle.close());
    candle.put("high", lastCandle.close());
    candle.put("low", lastCandle.close());
    candle.put("close", lastCandle.close());
    candle.put("volume", 0);
    candle.put("simulated", true);
    // the block every endpoint has (as the history's metadata), then what makes this candle simulated
    @SuppressWarnings("unchecked")
    Map<String, Object> m = ApiJson.MAPPER.convertValue(meta, LinkedHashMap.class);
    m.keySet().retainAll(java.util.Set.of("mode", "source", "environment", "description", "isLive", "readOnly",
        "store", "lastSync", "ageDays", "stale", "staleAfter", "dataThrough", "symbol", "interval", "sourceTimeframe",
        "timezone"));
    m.put("simulated", true);
    m.put("derivedFrom", "the close of the last synced candle (" + lastCandle.time() + ")");
    m.put("note", "simulated by serve --simulate-live: not market data, never stored or exported");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", List.of(candle));
    body.put("metadata", m);
    ctx.json(body);
  }

}
