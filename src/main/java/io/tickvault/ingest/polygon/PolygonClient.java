package io.tickvault.ingest.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.ingest.HttpResult;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.Sleeper;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.VendorUrls;
import io.tickvault.ingest.polygon.dto.AggregatesResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Polygon (Massive) REST, one method per endpoint used. The key goes in an
 * {@code Authorization: Bearer} header, never into a URL, and the key only ever goes to the
 * configured base URL: a {@code next_url} on another host is refused ({@link #next}).
 *
 * <p>Vendor rules (VENDOR-APIS.md §1): the free plan allows 5 requests per minute and sends no
 * rate-limit headers, so requests are paced by {@link VendorHttp}; every {@code next_url} counts as
 * a request. {@code from}/{@code to} days are New York calendar days, both inclusive. Thread-safe
 * (requests are serialised by {@link VendorHttp}).
 */
public final class PolygonClient {
  /** Default base URL (the rebranded host; {@code https://api.polygon.io} still works). */
  public static final String DEFAULT_BASE = "https://api.massive.com";
  /** Largest {@code limit}: base aggregates (minute or day bars) per request. */
  public static final int MAX_LIMIT = 50_000;
  /** The free plan's rate, requests per minute. */
  public static final int FREE_PLAN_RATE = 5;

  private final URI baseUri;
  private final String base;
  private final String key;
  private final VendorHttp http;
  private final PolygonErrors errors;

  PolygonClient(URI base, String key, VendorHttp http, PolygonErrors errors) {
    this.baseUri = VendorUrls.base(base, "TICKVAULT_POLYGON_URL");
    String b = base.toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.key = key;
    this.http = http;
    this.errors = errors;
  }

  /**
   * A client for {@code base} with {@code key}. {@code requestsPerMinute} paces requests (0 = no
   * pacing, for paid plans); {@code notices} receives retry and pacing notices.
   */
  public static PolygonClient create(URI base, String key, int requestsPerMinute, VendorHttp.Options options,
      Sleeper sleeper, Clock clock, Consumer<String> notices) {
    io.tickvault.domain.Secrets.requireClean("the Polygon key (POLYGON_API_KEY or MASSIVE_API_KEY)", key);
    Redactor redactor = new Redactor(List.of(key));
    PolygonErrors errors = new PolygonErrors(redactor);
    Duration interval = requestsPerMinute <= 0 ? Duration.ZERO : Duration.ofMillis(60_000L / requestsPerMinute);
    VendorHttp http = new VendorHttp(errors, options.withPacing(interval, requestsPerMinute + " per minute; set "
        + "TICKVAULT_POLYGON_RATE or --rate to your plan's limit, 0 for none"), sleeper, clock, redactor, notices);
    return new PolygonClient(base, key, http, errors);
  }

  /** Requests sent so far, retries included. */
  public long requests() {
    return http.requests();
  }

  /**
   * {@code GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}?adjusted=&sort=asc&limit=}:
   * the first page of one ticker's bars, oldest first. {@code limit} counts base aggregates (at most
   * {@link #MAX_LIMIT}); a 1-hour request over 2 hours uses 120 of them.
   */
  public AggregatesResponse aggregates(String ticker, int multiplier, String timespan, LocalDate from, LocalDate to,
      boolean adjusted, int limit) {
    String path = "/v2/aggs/ticker/" + segment(ticker) + "/range/" + multiplier + "/" + timespan + "/" + from + "/"
        + to;
    String query = "adjusted=" + adjusted + "&sort=asc&limit=" + Math.min(limit, MAX_LIMIT);
    return call(URI.create(base + path + "?" + query), "bars of " + ticker);
  }

  /**
   * Follows a {@code next_url}, parsed as a URL: a path on the configured base, or an absolute
   * URL with the base's scheme, host and port ({@link VendorUrls#follow}); any other host is a
   * {@link VendorException} and no request is sent, so the key only ever goes to the configured
   * base URL. {@code next_url} does not repeat {@code adjusted}; it is added when missing so every
   * page has the same adjustment.
   */
  public AggregatesResponse next(String nextUrl, String ticker, boolean adjusted) {
    URI u = VendorUrls.follow(baseUri, nextUrl, "Polygon", "next_url", "bars of " + ticker);
    String query = u.getRawQuery() == null ? "" : u.getRawQuery();
    if (!("&" + query).contains("&adjusted=")) {
      query = query.isEmpty() ? "adjusted=" + adjusted : query + "&adjusted=" + adjusted;
    }
    return call(URI.create(u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath() + "?" + query),
        "bars of " + ticker);
  }

  private AggregatesResponse call(URI uri, String what) {
    HttpResult r = http.get(uri, Map.of("Authorization", "Bearer " + key), what);
    AggregatesResponse resp;
    JsonNode root;
    try {
      root = VendorJson.parseObject(r.body());
      resp = AggregatesResponse.fromJson(root);
    } catch (VendorJson.Malformed e) {
      throw new VendorException("Polygon sent an unreadable response for " + what + " (HTTP " + r.status() + ", "
          + e.getMessage() + "); nothing from it was written; try again, and report it to the vendor if it persists");
    }
    VendorException bad = errors.bodyStatus(resp.status(), root, what);
    if (bad != null) {
      throw bad;
    }
    return resp;
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
