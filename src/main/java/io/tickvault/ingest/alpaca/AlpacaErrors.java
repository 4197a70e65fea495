package io.tickvault.ingest.alpaca;

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
 * Alpaca's failures as tickvault exceptions, and its retry timing.
 *
 * <p>Classified by HTTP status only; the body's {@code message} (and {@code code}) are shown, never
 * matched. 401 is the key pair, 403 the subscription (e.g. recent SIP data on the free plan);
 * neither is retried. 400 and 422 are a refused parameter. 429 waits until
 * {@code X-RateLimit-Reset} (epoch seconds) when sent, else {@code Retry-After}, else 3, 6, 12 ...
 * s; a success announcing {@code X-RateLimit-Remaining: 0} makes the next request wait for the
 * reset instead of provoking a 429. 5xx waits 1, 2, 4 ... s. Messages are redacted. Thread-safe
 * (immutable).
 */
public final class AlpacaErrors implements VendorHttp.Policy {
  /** Longest wait for a rate-limit reset (a reset far in the future is a clock problem). */
  public static final Duration MAX_RESET_WAIT = Duration.ofSeconds(120);

  private final Redactor redactor;

  public AlpacaErrors(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public String vendor() {
    return "Alpaca";
  }

  @Override
  public String urlSetting() {
    return "TICKVAULT_ALPACA_URL";
  }

  @Override
  public Duration retryDelay(HttpResult r, int attempt, Instant now) {
    if (r.status() == 429) {
      Duration reset = untilReset(r, now);
      if (reset != null) {
        return reset.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : reset;
      }
      return VendorHttp.retryAfter(r).orElse(Duration.ofSeconds(3L << Math.min(attempt - 1, 4)));
    }
    return VendorHttp.retryAfter(r).orElse(VendorHttp.backoff(attempt));
  }

  /** After a success that says no requests remain ({@code X-RateLimit-Remaining: 0}), wait for the reset. */
  @Override
  public Instant nextAllowed(HttpResult r, Instant now) {
    if (!r.header("X-RateLimit-Remaining").map(String::strip).orElse("").equals("0")) {
      return null;
    }
    Duration d = untilReset(r, now);
    return d == null ? null : now.plus(d);
  }

  /** Time until {@code X-RateLimit-Reset} (epoch seconds), capped at {@link #MAX_RESET_WAIT}; null without one. */
  private static Duration untilReset(HttpResult r, Instant now) {
    java.util.Optional<String> reset = r.header("X-RateLimit-Reset");
    if (reset.isEmpty()) {
      return null;
    }
    try {
      Duration d = Duration.between(now, Instant.ofEpochSecond(Long.parseLong(reset.get())));
      if (d.isNegative()) {
        return Duration.ZERO;
      }
      return d.compareTo(MAX_RESET_WAIT) > 0 ? MAX_RESET_WAIT : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public VendorException error(HttpResult r) {
    String said = redactor.redact(vendorMessage(r));
    String head = "HTTP " + r.status() + (said.isEmpty() ? "" : ": " + said);
    return switch (r.status()) {
      case 401 -> new VendorAuthException(401, "Alpaca refused the API key for " + r.what() + " (" + head
          + "); check APCA_API_KEY_ID and APCA_API_SECRET_KEY (both are needed; trading keys also work for data)");
      case 403 -> new VendorAuthException(403, "Alpaca refused " + r.what() + " for your subscription (" + head
          + "); the free plan reads IEX data, and SIP data older than 15 minutes: use --feed iex or an earlier --to, "
          + "or a plan that includes this data");
      case 400, 422 -> new VendorException("Alpaca rejected the request for " + r.what() + " (" + head
          + "); check the symbols, dates, --timeframe, --feed and --adjustment");
      case 404 -> new VendorException("Alpaca does not know the request for " + r.what() + " (" + head
          + "); check TICKVAULT_ALPACA_URL");
      case 429 -> new VendorException("Alpaca is rate limiting requests for " + r.what() + " (" + head
          + "); wait a minute and try again");
      default -> new VendorException("Alpaca failed to answer " + r.what() + " (" + head + ")"
          + (r.status() >= 500 ? "; the vendor has a problem, try again later" : ""));
    };
  }

  private static String vendorMessage(HttpResult r) {
    try {
      JsonNode root = VendorJson.parseObject(r.body());
      JsonNode m = root.get("message");
      String text = m != null && m.isTextual() ? io.tickvault.domain.Secrets.foreign(m.asText(), 300) : "";
      JsonNode code = root.get("code");
      if (code != null && code.isNumber()) {
        text = text + (text.isEmpty() ? "" : " ") + "[code=" + code.asText() + "]";
      }
      return text;
    } catch (VendorJson.Malformed e) {
      return r.bodySnippet();
    }
  }
}
