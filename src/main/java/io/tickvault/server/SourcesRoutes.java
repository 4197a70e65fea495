package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;

/**
 * {@code GET /api/sources[?source=]}: every source of the current store with its stats, as
 * {@code tickvault list}; the metadata block describes the source {@code ?source=} names (else DATA_SOURCE).
 */
final class SourcesRoutes {
  private SourcesRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> get("sources", ctx -> ctx.json(data.sources(data.source(ctx.queryParam("source")))));
  }
}
