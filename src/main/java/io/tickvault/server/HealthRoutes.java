package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;

/** {@code GET /health}: 200 with the mode and store when the store answers, 503 (error shape) when not. */
final class HealthRoutes {
  private HealthRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> get("/health", ctx -> ctx.json(data.health()));
  }
}
