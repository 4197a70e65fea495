package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.javalin.http.NotFoundResponse;
import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.TickvaultException;
import io.tickvault.ingest.VendorException;
import io.tickvault.source.MixingRefusedException;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.StoreException;
import org.junit.jupiter.api.Test;

/** The one mapping from tickvault's exception hierarchy to HTTP statuses and error types. */
class ApiErrorsTest {
  @Test
  void each_exception_class_maps_to_its_status_and_type() {
    check(new InvalidInputException("bad date"), 400, "invalid_input");
    check(new NotFoundException("no such symbol"), 404, "not_found");
    check(MirrorReadOnlyException.refused("clean synthetic", "sqlite:/m.db"), 409, "read_only");
    check(SyncUnavailableException.noProduction("data/tickvault.db"), 409, "sync_unavailable");
    check(new StoreException("cannot open store"), 503, "store_unavailable");
    check(new VendorException("vendor down"), 503, "vendor_unavailable");
    check(new TickvaultException(ErrorKind.REFUSED, "refused by a rule"), 409, "refused");
    check(new MixingRefusedException("migrate refused: real and generated"), 409, "refused");
    check(new NotFoundResponse("Endpoint GET /x not found"), 404, "not_found");
  }

  @Test
  void a_mixing_refusal_answers_409_refused_over_http() throws Exception {
    io.javalin.Javalin app = io.javalin.Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.routes.get("/copy", ctx -> {
        throw new MixingRefusedException("migrate refused: 'alpaca' holds only rows whose origin is alpaca");
      });
      ApiErrors.register(cfg.routes);
    }).start("127.0.0.1", 0);
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/copy")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(409, r.statusCode(), r.body());
      com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      assertEquals("refused", body.get("type").asText());
      assertEquals("Conflict", body.get("title").asText());
      assertEquals("migrate refused: 'alpaca' holds only rows whose origin is alpaca", body.get("message").asText());
    } finally {
      app.stop();
    }
  }

  @Test
  void unexpected_exceptions_are_500_with_a_generic_message_and_no_detail() {
    ApiError e = ApiErrors.of(new IllegalStateException("secret internals at line 42"));
    assertEquals(500, e.status());
    assertEquals("internal_error", e.type());
    assertEquals("internal error (IllegalStateException); the server log has the details", e.message());
    assertFalse(e.message().contains("secret"));
  }

  private static void check(Exception e, int status, String type) {
    ApiError error = ApiErrors.of(e);
    assertEquals(status, error.status(), e.toString());
    assertEquals(type, error.type(), e.toString());
  }
}
