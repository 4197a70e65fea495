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
 * so no other web site can make a browser trigger one. {@code GET /api/sync/log?limit=N}: the
 * mirror's log of sync attempts, newest first (an empty list without a mirror).
 */
final class DataSourceRoutes {
  private DataSourceRoutes() {}

  static EndpointGroup of(DataService data) {
    return () -> {
      get("data-source", ctx -> ctx.json(data.dataSource(data.source(ctx.queryParam("source")))));
      before("sync", ctx -> sameOriginOnly(ctx, "sync"));
      post("sync", ctx -> ctx.json(data.sync()));
      get("sync/log", ctx -> ctx.json(data.syncLog(limit(ctx.queryParam("limit"))).stream()
          .map(io.tickvault.mirror.SyncLogEntry::toMap).toList()));
    };
  }

  /** {@code ?limit=} of the sync log: 1 to 10,000, default 200. */
  static int limit(String raw) {
    if (raw == null || raw.isBlank()) {
      return 200;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n >= 1 && n <= 10_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new io.tickvault.domain.InvalidInputException("invalid limit " + io.tickvault.domain.Text.quote(raw)
        + ": give a whole number from 1 to 10000");
  }

  /** Refuses ({@code 403}) a request a page of another origin made; {@code what} names the operation. */
  static void sameOriginOnly(Context ctx, String what) {
    String origin = ctx.header("Origin");
    String host = ctx.header("Host");
    java.util.regex.Matcher m = host == null ? null : java.util.regex.Pattern.compile("(.+?)(?::(\\d{1,5}))?")
        .matcher(host.strip());
    if (origin != null && (m == null || !m.matches() || !HostGuard.sameOrigin(origin, m.group(1), m.group(2)))) {
      throw new ForbiddenResponse(what + " refused: requested by a page of another origin (" + origin + "); use the "
          + "dashboard served by this server, or a client that sends no Origin header (curl -X POST .../api/" + what
          + ")");
    }
  }
}
