package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;

/** {@code GET /api/sources}: every source of the current store with its stats, as {@code tickvault list}. */
final class SourcesRoutes {
  private SourcesRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> get("sources", ctx -> ctx.json(data.sources()));
  }
}
