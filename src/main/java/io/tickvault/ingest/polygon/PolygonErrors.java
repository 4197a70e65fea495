package io.tickvault.ingest.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.ingest.HttpResult;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.VendorAuthException;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.ingest.VendorJson;
import java.time.Duration;
import java.time.Instant;

/**
 * Polygon's failures as tickvault exceptions, and its retry timing.
 *
 * <p>Classified by HTTP status first, then by the body's {@code status}; the error text is read
 * from {@code error} or {@code message} (both occur) and shown, never matched. 401 is the key
 * (missing or unknown), 403 is the plan (range or dataset not included); neither is retried. 429
 * waits {@code Retry-After} when sent (Polygon sends no rate-limit headers) or else 60 s, the
 * safe wait on the free plan. 5xx waits 1, 2, 4 ... s. Messages are redacted: no key appears even
 * when the body echoes it. Thread-safe (immutable).
 */
public final class PolygonErrors implements VendorHttp.Policy {
  /** Wait after a 429 without Retry-After. */
  public static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(60);

  private final Redactor redactor;

  public PolygonErrors(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public String vendor() {
    return "Polygon";
  }

  @Override
  public String urlSetting() {
    return "TICKVAULT_POLYGON_URL";
  }

  @Override
  public Duration retryDelay(HttpResult r, int attempt, Instant now) {
    return VendorHttp.retryAfter(r).orElse(r.status() == 429 ? RATE_LIMIT_WAIT : VendorHttp.backoff(attempt));
  }

  @Override
  public VendorException error(HttpResult r) {
    String said = redactor.redact(vendorMessage(r));
    String head = "HTTP " + r.status() + (said.isEmpty() ? "" : ": " + said);
    return switch (r.status()) {
      case 401 -> new VendorAuthException(401, "Polygon refused the API key for " + r.what() + " (" + head
          + "); check POLYGON_API_KEY (or MASSIVE_API_KEY) in the environment or .env");
      case 403 -> new VendorAuthException(403, "Polygon refused " + r.what() + " for your plan (" + head
          + "); the free plan covers about 2 years of history and end-of-day data: ask for a later --from, "
          + "or use a plan that includes this data");
      case 400 -> new VendorException("Polygon rejected the request for " + r.what() + " (" + head
          + "); check the symbol, dates and timeframe (an unknown key can also answer 400: check POLYGON_API_KEY)");
      case 404 -> new VendorException("Polygon does not know the request for " + r.what() + " (" + head
          + "); check TICKVAULT_POLYGON_URL and the symbol");
      case 429 -> new VendorException("Polygon is rate limiting requests for " + r.what() + " (" + head
          + "); wait a minute, or lower TICKVAULT_POLYGON_RATE");
      default -> new VendorException("Polygon failed to answer " + r.what() + " (" + head + ")"
          + (r.status() >= 500 ? "; the vendor has a problem, try again later" : ""));
    };
  }

  /**
   * The exception for a 200 response whose body {@code status} is neither {@code OK} nor
   * {@code DELAYED}, or null when the status means success.
   */
  public VendorException bodyStatus(String status, JsonNode root, String what) {
    if (status == null) {
      // a 200 without the documented success marker ({} or {"message": ...}) is not "no bars"
      String said = redactor.redact(text(root));
      return new VendorException("Polygon answered " + what + " with HTTP 200 but without the documented \"status\" "
          + "field" + (said.isEmpty() ? "" : ": " + said) + "; that is not a bar response, so nothing from it was "
          + "written; try again later, and report it to the vendor if it persists");
    }
    if (status.equals("OK") || status.equals("DELAYED")) {
      return null;
    }
    String said = redactor.redact(text(root));
    String m = "Polygon answered " + what + " with status " + status + (said.isEmpty() ? "" : ": " + said);
    if (status.equals("NOT_AUTHORIZED")) {
      return new VendorAuthException(403, m + "; your plan does not include this data");
    }
    return new VendorException(m + "; nothing from this response was written");
  }

  private static String vendorMessage(HttpResult r) {
    try {
      return text(VendorJson.parseObject(r.body()));
    } catch (VendorJson.Malformed e) {
      return r.bodySnippet();
    }
  }

  private static String text(JsonNode root) {
    for (String k : new String[] {"error", "message"}) {
      JsonNode n = root.get(k);
      if (n != null && n.isTextual() && !n.asText().isBlank()) {
        return io.tickvault.domain.Secrets.foreign(n.asText(), 300);
      }
    }
    return "";
  }
}
