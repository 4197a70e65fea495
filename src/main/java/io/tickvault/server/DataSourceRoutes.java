package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

/**
 * Which data the server shows, and bringing the mirror up to date: {@code GET /api/data-source}
 * (mode, source, freshness, indicator; {@code ?source=} for another source) and
 * {@code POST /api/sync} (mirror mode with a production store only; 409 otherwise). A sync
 * requested by a page of another origin (a browser sends its {@code Origin}) is refused with 403,
 * so no other web site can make a browser trigger one.
 */
final class DataSourceRoutes {
  private DataSourceRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> {
      get("data-source", ctx -> ctx.json(data.dataSource(data.source(ctx.queryParam("source")))));
      before("sync", ctx -> sameOriginOnly(ctx, "sync"));
      post("sync", ctx -> ctx.json(data.sync()));
    };
  }

  /** Refuses ({@code 403}) a request a page of another origin made; {@code what} names the operation. */
  static void sameOriginOnly(Context ctx, String what) {
    String origin = ctx.header("Origin");
    String host = ctx.header("Host");
    if (origin != null && (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host)))) {
      throw new ForbiddenResponse(what + " refused: requested by a page of another origin (" + origin + "); use the "
          + "dashboard served by this server, or a client that sends no Origin header (curl -X POST .../api/" + what
          + ")");
    }
  }
}
