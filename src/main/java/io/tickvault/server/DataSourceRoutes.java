package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.apibuilder.EndpointGroup;

/**
 * Which data the server shows, and bringing the mirror up to date: {@code GET /api/data-source}
 * (mode, source, freshness, indicator; {@code ?source=} for another source) and
 * {@code POST /api/sync} (mirror mode with a production store only; 409 otherwise).
 */
final class DataSourceRoutes {
  private DataSourceRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> {
      get("data-source", ctx -> ctx.json(data.dataSource(data.source(ctx.queryParam("source")))));
      post("sync", ctx -> ctx.json(data.sync()));
    };
  }
}
