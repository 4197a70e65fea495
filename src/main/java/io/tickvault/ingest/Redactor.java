package io.tickvault.ingest;

import io.tickvault.domain.Secrets;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps credentials out of messages and logs: the vendor side of the one redaction boundary
 * ({@link Secrets}). It knows the secrets in use (API keys) and replaces every occurrence of them
 * in a text with {@code ****}; {@link #url(URI)} renders a URL without
 * user info and with the values of credential-like query parameters masked. Immutable and
 * thread-safe.
 *
 * <p>Secrets shorter than 4 characters are not searched for (they would mangle ordinary text);
 * such keys are not real vendor keys.
 */
public final class Redactor {
  /** Query parameters whose values are never shown (compared case-insensitively). */
  private static final Set<String> SENSITIVE = Set.of("apikey", "api_key", "key", "token", "secret", "password",
      "access_token", "signature", "apca-api-key-id", "apca-api-secret-key");

  /** Replaces nothing; for code paths that hold no secrets. */
  public static final Redactor NONE = new Redactor(List.of());

  private final List<String> secrets;

  /**
   * A redactor for the given secrets; nulls and blanks are ignored. The secrets are also registered
   * with the process-wide boundary ({@link Secrets}), so no output of this process shows them.
   */
  public Redactor(Collection<String> secrets) {
    List<String> s = new ArrayList<>();
    for (String v : secrets) {
      if (v != null && v.strip().length() >= 4) {
        s.add(v.strip());
        Secrets.register(v);
      }
    }
    s.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a key containing another
    this.secrets = List.copyOf(s);
  }

  /**
   * The text with every known secret replaced by {@code ****}, exactly or slightly changed
   * ({@link Secrets#redact}); null stays null.
   */
  public String redact(String text) {
    return Secrets.redact(text, secrets);
  }

  /**
   * The URL as it may appear in a message or log: scheme, host, port, path and query, without user
   * info, with the values of credential-like query parameters replaced by {@code ****}, and any
   * known secret redacted.
   */
  public String url(URI uri) {
    StringBuilder b = new StringBuilder();
    if (uri.getScheme() != null) {
      b.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      b.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      b.append(':').append(uri.getPort());
    }
    b.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    String q = uri.getRawQuery();
    if (q != null && !q.isEmpty()) {
      b.append('?');
      String[] parts = q.split("&", -1);
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        int eq = p.indexOf('=');
        String name = eq < 0 ? p : p.substring(0, eq);
        if (i > 0) {
          b.append('&');
        }
        if (eq >= 0 && SENSITIVE.contains(name.toLowerCase(Locale.ROOT))) {
          b.append(name).append("=****");
        } else {
          b.append(p);
        }
      }
    }
    return redact(b.toString());
  }
}
