package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.apibuilder.EndpointGroup;

/**
 * {@code GET /health}: 200 with the mode and store when the store answers, 503 (error shape) when not.
 * {@code GET /api/health/sources[?source=]}: every source's health, as {@code tickvault health --format
 * json} (200 whatever the states: {@code healthy} and each source's {@code state} say them).
 */
final class HealthRoutes {
  private HealthRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> {
      get("/health", ctx -> ctx.json(data.health()));
      get("/api/health/sources", ctx -> ctx.json(data.sourceHealth(ctx.queryParam("source"))));
    };
  }
}
