package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.tickvault.domain.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * {@code GET /api/quality} (the dashboard's coverage heat map and findings) and
 * {@code POST /api/backtest}, each with the {@code metadata} block every endpoint has. A backtest is work on request: like {@code POST /api/sync} it is refused
 * (403) when a page of another origin asks for it, and also when the request does not come from this
 * machine (the loopback interface), whatever address the server listens on.
 */
final class QualityRoutes {
  private QualityRoutes() {}

  static EndpointGroup of(QualityService q, DataService data) {
    return () -> {
      get("quality", ctx -> {
        Map<String, Object> m = q.quality(ctx.queryParam("source"), ctx.queryParam("symbol"), ctx.queryParam("from"),
            ctx.queryParam("to"), ctx.queryParam("calendar"));
        m.put("metadata", data.provenance(data.source(ctx.queryParam("source"))));
        ctx.json(m);
      });
      before("backtest", QualityRoutes::loopbackAndSameOrigin);
      post("backtest", ctx -> {
        Map<?, ?> body = body(ctx);
        Map<String, Object> m = q.backtest(body);
        Object source = body.get("source");
        m.put("metadata", data.provenance(data.source(source == null ? null : source.toString())));
        ctx.json(m);
      });
    };
  }

  private static Map<?, ?> body(Context ctx) {
    String text = ctx.body();
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return ApiJson.MAPPER.readValue(text, Map.class);
    } catch (java.io.IOException e) {
      throw new InvalidInputException("the body of POST /api/backtest is not a JSON object ("
          + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  static void loopbackAndSameOrigin(Context ctx) {
    String remote = ctx.req().getRemoteAddr();
    boolean loopback;
    try {
      loopback = remote != null && InetAddress.getByName(remote).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new ForbiddenResponse("backtest refused: only requests from this machine (loopback) may run one");
    }
    DataSourceRoutes.sameOriginOnly(ctx, "backtest");
  }
}
