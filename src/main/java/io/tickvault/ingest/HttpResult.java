package io.tickvault.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A complete HTTP response as {@link VendorHttp} received it: status, headers (names compared
 * case-insensitively by {@link #header(String)}) and the body decoded as UTF-8 (gzip already
 * undone). {@code what} describes the request for messages ("bars of AAPL"); it never holds a key.
 *
 * <p>Immutable and thread-safe.
 */
public record HttpResult(int status, Map<String, List<String>> headers, String body, String what) {

  public HttpResult {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? "" : body;
  }

  /** The first value of a header, if present; the name is matched case-insensitively. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue().get(0).strip());
      }
    }
    return Optional.empty();
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /**
   * The start of the body for a message, sanitised as text from outside
   * ({@link io.tickvault.domain.Secrets#foreign}: control characters removed, token-like words not
   * shown, known secrets redacted), at most 200 characters.
   */
  public String bodySnippet() {
    return io.tickvault.domain.Secrets.foreign(body, 200);
  }
}
