package io.tickvault.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP behaviour every vendor client shares, on {@link java.net.http.HttpClient}: pacing
 * (at most one request per {@link Options#minInterval()}), a connect timeout and a deadline for
 * the whole response (a hung connection fails instead of waiting forever), gzip, retries of 429,
 * 5xx and network failures with the delays the vendor's {@link Policy} asks for, no retry of
 * anything else (401/403 fail at once), and messages and logs that never show a key (URLs are
 * rendered by {@link Redactor#url}).
 *
 * <p>Time comes from an injected {@link Clock} and waiting goes through an injected
 * {@link Sleeper}, so tests run the retry and pacing logic without waiting. Thread-safe: requests
 * are serialised, which is what pacing needs.
 */
public final class VendorHttp {
  private static final Logger LOG = LoggerFactory.getLogger(VendorHttp.class);

  /**
   * Timeouts, retry budget and pacing.
   *
   * @param connectTimeout longest wait to open a connection
   * @param readTimeout longest wait for a complete response (headers and body) once sent
   * @param maxAttempts attempts per request, including the first (at least 1)
   * @param minInterval least time between the starts of two requests; {@link Duration#ZERO} for no pacing
   * @param pacingHint appended to the one notice shown when pacing first makes a request wait
   *     (e.g. which setting changes the rate); may be empty
   */
  public record Options(Duration connectTimeout, Duration readTimeout, int maxAttempts, Duration minInterval,
      String pacingHint) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_ATTEMPTS = 5;

    public Options {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
      minInterval = minInterval == null ? Duration.ZERO : minInterval;
      pacingHint = pacingHint == null ? "" : pacingHint;
    }

    /** Default timeouts and attempts, no pacing. */
    public static Options defaults() {
      return new Options(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_ATTEMPTS, Duration.ZERO, "");
    }

    public Options withReadTimeout(Duration d) {
      return new Options(connectTimeout, d, maxAttempts, minInterval, pacingHint);
    }

    public Options withPacing(Duration interval, String hint) {
      return new Options(connectTimeout, readTimeout, maxAttempts, interval, hint);
    }

    public Options withMaxAttempts(int n) {
      return new Options(connectTimeout, readTimeout, n, minInterval, pacingHint);
    }
  }

  /** What differs between vendors: how long to wait before a retry, and which exception a failure becomes. */
  public interface Policy {
    /** Vendor name for messages, e.g. "Polygon". */
    String vendor();

    /**
     * How long to wait before attempt {@code attempt + 1} after a 429 or 5xx answer to attempt
     * {@code attempt} (1-based). {@code now} is the client's clock.
     */
    Duration retryDelay(HttpResult response, int attempt, Instant now);

    /** The exception for a non-2xx answer that is not retried, or whose retries ran out. */
    VendorException error(HttpResult response);

    /** The setting that holds the vendor's base URL, for messages (e.g. TICKVAULT_POLYGON_URL). */
    String urlSetting();

    /**
     * The earliest time the next request may start after the successful {@code response}, or
     * null for no constraint; lets a vendor that announces an exhausted quota (Alpaca's
     * {@code X-RateLimit-Remaining: 0}) be waited for instead of answered with 429.
     */
    default Instant nextAllowed(HttpResult response, Instant now) {
      return null;
    }
  }

  private final Policy policy;
  private final Options options;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Redactor redactor;
  private final Consumer<String> notices;
  private final HttpClient client;
  private Instant lastStart;
  private Instant notBefore;
  private boolean pacingNoticeShown;
  private long requests;

  /**
   * @param notices receives one-line, user-facing notices (a retry after a 429, the first pacing
   *     wait); they never contain keys
   */
  public VendorHttp(Policy policy, Options options, Sleeper sleeper, Clock clock, Redactor redactor,
      Consumer<String> notices) {
    this.policy = policy;
    this.options = options;
    this.sleeper = sleeper;
    this.clock = clock;
    this.redactor = redactor;
    this.notices = notices == null ? m -> { } : notices;
    this.client = HttpClient.newBuilder()
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER) // a redirect could carry our headers to another host
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** Requests sent so far, retries included. */
  public synchronized long requests() {
    return requests;
  }

  /**
   * GETs {@code uri} with the given headers (credentials go here, never into the URL) and returns
   * the 2xx response; retries 429, 5xx and network failures within the budget, and throws the
   * policy's exception for any other status. {@code what} names the request in messages.
   */
  public synchronized HttpResult get(URI uri, Map<String, String> headers, String what) {
    String shown = redactor.url(uri);
    int max = options.maxAttempts();
    Duration waited = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      pace(what);
      HttpResult r;
      try {
        r = send(uri, headers, what, shown);
      } catch (NetworkFailure f) {
        if (attempt >= max) {
          throw new VendorException(policy.vendor() + " did not answer " + what + ": " + f.getMessage()
              + " [attempts=" + attempt + ", url=" + shown + "]; " + f.advice);
        }
        Duration d = backoff(attempt);
        notices.accept(policy.vendor() + ": " + f.getMessage() + " for " + what + "; retrying in " + seconds(d)
            + " (attempt " + (attempt + 1) + " of " + max + ")");
        sleep(d);
        waited = waited.plus(d);
        continue;
      }
      if (r.ok()) {
        notBefore = policy.nextAllowed(r, clock.instant());
        return r;
      }
      boolean retryable = r.status() == 429 || r.status() >= 500;
      if (!retryable) {
        throw policy.error(r);
      }
      if (attempt >= max) {
        if (r.status() == 429) {
          throw new RateLimitedException(policy.vendor() + " kept answering HTTP 429 (too many requests) for " + what
              + " [attempts=" + attempt + ", waited=" + seconds(waited) + "]; wait a few minutes, lower the request "
              + "rate or check your plan's limits");
        }
        VendorException e = policy.error(r);
        throw new VendorException(e.getMessage() + " [attempts=" + attempt + "]", e);
      }
      Duration d = policy.retryDelay(r, attempt, clock.instant());
      if (d.isNegative()) {
        d = Duration.ZERO;
      }
      notices.accept(policy.vendor() + " answered HTTP " + r.status()
          + (r.status() == 429 ? " (too many requests)" : " (server error)") + " for " + what + "; retrying in "
          + seconds(d) + " (attempt " + (attempt + 1) + " of " + max + ")");
      sleep(d);
      waited = waited.plus(d);
    }
  }

  /** Exponential backoff for network failures and 5xx: 1 s, 2 s, 4 s, ... at most 30 s. */
  public static Duration backoff(int attempt) {
    long s = 1L << Math.min(Math.max(attempt - 1, 0), 5);
    return Duration.ofSeconds(Math.min(s, 30));
  }

  /** The delay a {@code Retry-After} header asks for (whole seconds), if present and readable. */
  public static java.util.Optional<Duration> retryAfter(HttpResult r) {
    return r.header("Retry-After").flatMap(v -> {
      try {
        long s = Long.parseLong(v.strip());
        return s >= 0 ? java.util.Optional.of(Duration.ofSeconds(s)) : java.util.Optional.empty();
      } catch (NumberFormatException e) {
        return java.util.Optional.empty();
      }
    });
  }

  /** Renders a duration for messages: "12 s", "1.5 s", "250 ms". */
  public static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms % 1000 == 0) {
      return (ms / 1000) + " s";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private void pace(String what) {
    Duration interval = options.minInterval();
    Instant now = clock.instant();
    if (notBefore != null) {
      Duration quota = Duration.between(now, notBefore);
      notBefore = null;
      if (quota.compareTo(Duration.ZERO) > 0) {
        notices.accept(policy.vendor() + ": request quota used up; waiting " + seconds(quota) + " for it to reset");
        sleep(quota);
        now = clock.instant();
      }
    }
    if (lastStart != null && interval.compareTo(Duration.ZERO) > 0) {
      Duration wait = Duration.between(now, lastStart.plus(interval));
      if (wait.compareTo(Duration.ZERO) > 0) {
        if (!pacingNoticeShown) {
          pacingNoticeShown = true;
          notices.accept(policy.vendor() + ": pacing requests to one every " + seconds(interval)
              + (options.pacingHint().isEmpty() ? "" : " (" + options.pacingHint() + ")"));
        }
        sleep(wait);
        now = clock.instant();
      }
    }
    lastStart = now;
  }

  private void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VendorException("interrupted while waiting to call " + policy.vendor() + "; nothing more was fetched");
    }
  }

  /** A failure to get any HTTP answer: connect refused, timeout, connection reset. */
  private static final class NetworkFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String advice;

    NetworkFailure(String message, String advice, Throwable cause) {
      super(message, cause, false, false);
      this.advice = advice;
    }
  }

  private HttpResult send(URI uri, Map<String, String> headers, String what, String shown) throws NetworkFailure {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(options.readTimeout())
        .header("Accept", "application/json")
        .header("Accept-Encoding", "gzip")
        .header("User-Agent", "tickvault")
        .GET();
    headers.forEach(b::header);
    requests++;
    long t0 = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> resp;
    try {
      // The request timeout covers the wait for the headers; this deadline also covers the body.
      resp = f.get(options.readTimeout().toMillis() + 50, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw timeout(e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new VendorException("interrupted while calling " + policy.vendor() + " for " + what);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof HttpConnectTimeoutException) {
        throw new NetworkFailure("no connection within " + seconds(options.connectTimeout()),
            "check the base URL (" + policy.urlSetting() + ") and your network", c);
      }
      if (c instanceof HttpTimeoutException) {
        throw timeout(c);
      }
      if (c instanceof ConnectException || c.getCause() instanceof ConnectException) {
        throw new NetworkFailure("cannot connect to " + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()),
            "check the base URL (" + policy.urlSetting() + ") and your network", c);
      }
      String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      throw new NetworkFailure("network error (" + redactor.redact(m) + ")", "check your network and try again", c);
    }
    String body = decode(resp, what);
    if (LOG.isDebugEnabled()) {
      LOG.debug("GET {} -> {} ({} bytes, {} ms)", shown, resp.statusCode(), body.length(),
          (System.nanoTime() - t0) / 1_000_000);
    }
    return new HttpResult(resp.statusCode(), resp.headers().map(), body, what);
  }

  private NetworkFailure timeout(Throwable cause) {
    return new NetworkFailure("no complete response within " + seconds(options.readTimeout()),
        "the vendor may be slow or the connection hung; try again later or raise TICKVAULT_HTTP_TIMEOUT", cause);
  }

  private String decode(HttpResponse<byte[]> resp, String what) {
    byte[] bytes = resp.body() == null ? new byte[0] : resp.body();
    boolean gzip = resp.headers().firstValue("Content-Encoding").map(v -> v.strip().equalsIgnoreCase("gzip"))
        .orElse(false);
    if (!gzip) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new VendorException(policy.vendor() + " sent a damaged gzip body for " + what + " (HTTP "
          + resp.statusCode() + "): " + e.getMessage() + "; nothing from it was written");
    }
  }
}
