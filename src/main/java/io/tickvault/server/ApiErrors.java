package io.tickvault.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP responses, all in the {@link ApiError} shape:
 *
 * <ul>
 *   <li>a {@link TickvaultException}: the status and type of its {@link ErrorKind} ({@link #answer},
 *       the one table; docs/architecture.md shows it and docs/server.md explains each row);
 *   <li>Javalin's own responses (unknown route, wrong method): their status, same shape;
 *   <li>anything else is a bug: 500 {@code internal_error} with a generic message; the stack trace
 *       goes to the server log, never into the response.
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** Installs the mapping on a Javalin configuration. */
  static void register(RoutesConfig routes) {
    routes.exception(Exception.class, ApiErrors::handle);
    routes.exception(HttpResponseException.class, ApiErrors::handle);
    // Javalin answers unknown routes and methods itself; give those the same shape.
    routes.error(HttpStatus.NOT_FOUND, ApiErrors::defaultBody);
    routes.error(HttpStatus.METHOD_NOT_ALLOWED, ApiErrors::defaultBody);
  }

  /** The HTTP status and error type of a failure kind. */
  record Answer(HttpStatus status, String type) {}

  /** The one table from a failure kind to its HTTP answer. */
  static Answer answer(ErrorKind kind) {
    return switch (kind) {
      case INVALID_INPUT -> new Answer(HttpStatus.BAD_REQUEST, "invalid_input");
      case NOT_FOUND -> new Answer(HttpStatus.NOT_FOUND, "not_found");
      case REFUSED -> new Answer(HttpStatus.CONFLICT, "refused");
      case READ_ONLY -> new Answer(HttpStatus.CONFLICT, "read_only");
      case SYNC_REFUSED -> new Answer(HttpStatus.CONFLICT, "sync_refused");
      case SYNC_UNAVAILABLE -> new Answer(HttpStatus.CONFLICT, "sync_unavailable");
      case STORED_DATA -> new Answer(HttpStatus.INTERNAL_SERVER_ERROR, "invalid_stored_data");
      case STORE_UNAVAILABLE -> new Answer(HttpStatus.SERVICE_UNAVAILABLE, "store_unavailable");
      case VENDOR_UNAVAILABLE -> new Answer(HttpStatus.SERVICE_UNAVAILABLE, "vendor_unavailable");
    };
  }

  /** The error a throwable maps to. */
  static ApiError of(Throwable e) {
    if (e instanceof TickvaultException t) {
      Answer a = answer(t.kind());
      return error(a.status(), a.type(), e.getMessage());
    }
    if (e instanceof HttpResponseException h) {
      HttpStatus s = HttpStatus.forStatus(h.getStatus());
      String message = s == HttpStatus.NOT_FOUND ? h.getMessage() + "; the API is under /api (e.g. /api/sources), "
          + "the dashboard at /" : h.getMessage();
      return new ApiError(h.getStatus(), s.getMessage(), typeOf(s), message);
    }
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "internal error (" + e.getClass().getSimpleName()
        + "); the server log has the details");
  }

  private static void handle(Exception e, Context ctx) {
    ApiError error = of(e);
    if (error.type().equals("internal_error")) {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    } else if (error.status() >= 500) {
      LOG.warn("{} {}: {}", ctx.method(), ctx.path(), error.message());
    }
    if (ctx.res().isCommitted()) {
      // A streamed response already sent its status and part of its body: the client sees a
      // truncated document and reports it; nothing more can be said on this response.
      LOG.warn("{} {} failed after the response started: {}", ctx.method(), ctx.path(), e.toString());
      return;
    }
    write(ctx, error);
  }

  private static void defaultBody(Context ctx) {
    String body = ctx.result();
    if (body != null && body.startsWith("{\"status\"")) {
      return; // already one of ours
    }
    HttpStatus s = ctx.status();
    String message = s == HttpStatus.NOT_FOUND
        ? "no such page or endpoint: " + ctx.method() + " " + ctx.path() + "; the API is under /api (see /api/sources)"
        : ctx.method() + " is not allowed on " + ctx.path();
    write(ctx, new ApiError(s.getCode(), s.getMessage(), typeOf(s), message));
  }

  private static void write(Context ctx, ApiError error) {
    ctx.status(error.status()).json(error);
  }

  private static ApiError error(HttpStatus status, String type, String message) {
    return new ApiError(status.getCode(), status.getMessage(), type, message == null ? status.getMessage() : message);
  }

  private static String typeOf(HttpStatus s) {
    return s.getMessage().toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
  }
}
