package io.tickvault.ingest.alpaca;

import io.tickvault.ingest.HttpResult;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.Sleeper;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.VendorUrls;
import io.tickvault.ingest.alpaca.dto.StockBarsResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Alpaca Market Data v2, one method per endpoint used. Keys go in the {@code APCA-API-KEY-ID} and
 * {@code APCA-API-SECRET-KEY} headers, never into a URL, and only to the configured base URL: the
 * paging token the vendor hands back is sent as an encoded query parameter, never as a URL.
 *
 * <p>Vendor rules (VENDOR-APIS.md §2): {@code limit} counts data points over all symbols (at most
 * {@link #MAX_LIMIT}); results are sorted by symbol, then time, so a symbol can continue on the
 * next page; {@code start}/{@code end} are inclusive RFC-3339 instants; an omitted {@code end}
 * means now (now minus 15 minutes without real-time access). Rate limits: 200 requests/min on the
 * free plan, 10,000 on Algo Trader Plus, announced in {@code X-RateLimit-*} headers. Thread-safe
 * (requests are serialised by {@link VendorHttp}).
 */
public final class AlpacaClient {
  /** Default base URL; the sandbox is {@code https://data.sandbox.alpaca.markets}. */
  public static final String DEFAULT_BASE = "https://data.alpaca.markets";
  /** Largest {@code limit}: data points per page over all symbols. */
  public static final int MAX_LIMIT = 10_000;

  private final String base;
  private final String keyId;
  private final String secret;
  private final VendorHttp http;

  AlpacaClient(URI base, String keyId, String secret, VendorHttp http) {
    String b = VendorUrls.base(base, "TICKVAULT_ALPACA_URL").toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.keyId = keyId;
    this.secret = secret;
    this.http = http;
  }

  /** A client for {@code base} with the key pair; {@code notices} receives retry notices. */
  public static AlpacaClient create(URI base, String keyId, String secret, VendorHttp.Options options, Sleeper sleeper,
      Clock clock, Consumer<String> notices) {
    io.tickvault.domain.Secrets.requireClean("APCA_API_KEY_ID", keyId);
    io.tickvault.domain.Secrets.requireClean("APCA_API_SECRET_KEY", secret);
    Redactor redactor = new Redactor(List.of(keyId, secret));
    VendorHttp http = new VendorHttp(new AlpacaErrors(redactor), options, sleeper, clock, redactor, notices);
    return new AlpacaClient(base, keyId, secret, http);
  }

  /** Requests sent so far, retries included. */
  public long requests() {
    return http.requests();
  }

  /**
   * {@code GET /v2/stocks/bars}: one page of bars of several symbols, sorted by symbol then time.
   * {@code end} may be null (the vendor's default: now, or 15 minutes ago without real-time
   * access). {@code pageToken} is the previous page's {@code next_page_token}, or null for the
   * first page (no {@code page_token} parameter is sent then).
   */
  public StockBarsResponse stockBars(List<String> symbols, String timeframe, Instant start, Instant end,
      AlpacaFeed feed, AlpacaAdjustment adjustment, String pageToken, int limit) {
    StringJoiner q = new StringJoiner("&");
    q.add("symbols=" + enc(String.join(",", symbols)));
    q.add("timeframe=" + enc(timeframe));
    q.add("start=" + enc(start.toString()));
    if (end != null) {
      q.add("end=" + enc(end.toString()));
    }
    q.add("limit=" + Math.min(limit, MAX_LIMIT));
    q.add("adjustment=" + adjustment.value());
    q.add("feed=" + feed.value());
    q.add("sort=asc");
    if (pageToken != null) {
      q.add("page_token=" + enc(pageToken));
    }
    String what = "bars of " + String.join(",", symbols);
    if (what.length() > 80) {
      what = "bars of " + symbols.size() + " symbols (" + symbols.get(0) + ", ...)";
    }
    HttpResult r = http.get(URI.create(base + "/v2/stocks/bars?" + q),
        Map.of("APCA-API-KEY-ID", keyId, "APCA-API-SECRET-KEY", secret), what);
    try {
      return StockBarsResponse.fromJson(VendorJson.parseObject(r.body()));
    } catch (VendorJson.Malformed e) {
      throw new VendorException("Alpaca sent an unreadable response for " + what + " (HTTP " + r.status() + ", "
          + e.getMessage() + "); nothing from it was written; try again, and report it to the vendor if it persists");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
