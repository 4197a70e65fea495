package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;

/**
 * Prices: {@code GET /api/market-summary[?source=]} and
 * {@code GET /api/market-data/history/{symbol}?from=&to=&interval=&source=&limit=&cursor=}. The
 * history is validated completely before the first byte is sent, then streamed a page at a time
 * (see {@link HistoryWriter}).
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

  private static void history(DataService data, Context ctx) {
    DataService.History h = data.history(HistoryQuery.parse(data.source(ctx.queryParam("source")),
        ctx.pathParam("symbol"), ctx.queryParam("from"), ctx.queryParam("to"), ctx.queryParam("interval"),
        ctx.queryParam("limit"), ctx.queryParam("cursor")));
    HistoryWriter.write(ctx, h.metadata(), sink -> data.history(h, sink), next -> nextPage(ctx, h.query(), next));
  }

  /** The request for the page starting at {@code cursor}: the same parameters, that cursor. */
  static String nextPage(Context ctx, HistoryQuery q, java.time.Instant cursor) {
    StringBuilder b = new StringBuilder("/api/market-data/history/").append(enc(q.symbol().value()))
        .append("?source=").append(enc(q.source().value())).append("&interval=").append(q.interval().apiName());
    for (String p : new String[] {"from", "to"}) {
      String v = ctx.queryParam(p);
      if (v != null && !v.isBlank()) {
        b.append('&').append(p).append('=').append(enc(v.strip()));
      }
    }
    return b.append("&limit=").append(q.limit()).append("&cursor=").append(enc(cursor.toString())).toString();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
