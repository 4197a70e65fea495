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
