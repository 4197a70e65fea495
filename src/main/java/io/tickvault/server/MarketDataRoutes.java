package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;

/**
 * Prices: {@code GET /api/market-summary[?source=]} and
 * {@code GET /api/market-data/history/{symbol}?from=&to=&interval=&source=}. The history is
 * validated completely before the first byte is sent, then streamed (see {@link HistoryWriter}).
 */
final class MarketDataRoutes {
  private MarketDataRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> {
      get("market-summary", ctx -> ctx.json(data.marketSummary(data.source(ctx.queryParam("source")))));
      // <symbol> rather than {symbol}: symbols may contain '/' (BTC/USD, sent as BTC%2FUSD)
      get("market-data/history/<symbol>", ctx -> history(data, ctx));
    };
  }

  private static void history(DataService data, Context ctx) throws java.io.IOException {
    HistoryQuery q = data.interval(HistoryQuery.parse(data.source(ctx.queryParam("source")), ctx.pathParam("symbol"),
        ctx.queryParam("from"), ctx.queryParam("to"), ctx.queryParam("interval")));
    ApiViews.HistoryMetadata metadata = data.historyMetadata(q);
    HistoryWriter.write(ctx, metadata, sink -> data.history(q, sink));
  }
}
