package io.tickvault.server;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which requests a server on the loopback interface answers (DNS rebinding, cross-site requests,
 * framing). A page on a foreign name re-pointed at 127.0.0.1 sends its own name in {@code Host}
 * and its own origin in {@code Origin}; both are checked by parsing, never by prefix:
 *
 * <ul>
 *   <li>{@code Host} must be a literal loopback address ({@code 127.0.0.0/8} written as four
 *       decimal numbers, {@code [::1]}), {@code localhost}, or a name the operator listed in
 *       {@code TICKVAULT_ALLOWED_HOSTS}; {@code 127.evil.com} and {@code 127.0.0.1.nip.io} are
 *       names, not addresses, and are refused.</li>
 *   <li>A request with an {@code Origin} must come from the same scheme ({@code http}), host and
 *       port as its {@code Host}; {@code Origin: null} (sandboxed frames, files) is refused.</li>
 * </ul>
 *
 * Every response also carries {@link #FRAME_HEADERS} so the dashboard cannot be framed (to make a
 * user click "Sync now"). Immutable and thread-safe.
 */
final class HostGuard {
  /** Sent with every response: no page may frame the dashboard. */
  static final java.util.Map<String, String> FRAME_HEADERS = java.util.Map.of(
      "X-Frame-Options", "DENY",
      "Content-Security-Policy", "frame-ancestors 'none'");

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HOST_HEADER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^\\[\\]:/@\\s]+)(?::(\\d{1,5}))?");

  private final Set<String> allowed;

  /** {@code allowedNames}: extra host names the operator configured (compared case-insensitively). */
  HostGuard(Set<String> allowedNames) {
    this.allowed = allowedNames.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The names of a comma-separated setting value ({@code TICKVAULT_ALLOWED_HOSTS}); empty for none. */
  static Set<String> parseNames(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether {@code host} (a bind address or a Host name, IPv6 with or without brackets) is loopback. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.equals("0:0:0:0:0:0:0:1")
        || h.equals("[0:0:0:0:0:0:0:1]")) {
      return true;
    }
    Matcher m = IPV4.matcher(h);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255 || (m.group(i).length() > 1 && m.group(i).startsWith("0"))) {
        return false; // 0127.0.0.1 or 127.0.0.01 are read as octal by some resolvers: not a plain literal
      }
    }
    return m.group(1).equals("127");
  }

  private boolean allowedName(String name) {
    return isLoopback(name) || allowed.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Refuses (403) a request not addressed to an allowed name, or sent by a page of another origin. */
  void check(Context ctx) {
    String h = ctx.header("Host");
    if (h == null) {
      return; // HTTP/1.0 clients; a browser always sends Host
    }
    Matcher m = HOST_HEADER.matcher(h.strip());
    if (!m.matches() || !allowedName(m.group(1))) {
      throw new ForbiddenResponse("request refused: this server listens on the loopback interface "
          + "and only answers requests addressed to localhost, 127.0.0.1 or [::1] (Host was " + shown(h) + "); "
          + "to use another name for this machine, list it in TICKVAULT_ALLOWED_HOSTS");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !sameOrigin(origin, m.group(1), m.group(2))) {
      throw new ForbiddenResponse(ctx.method() + " " + shown(ctx.path()) + " refused: requested by a page of another "
          + "origin (" + shown(origin) + "); use "
          + "the dashboard served by this server, or a client that sends no Origin header");
    }
  }

  /** Whether {@code origin} is {@code http://} + the Host's host and port (80 when absent), compared parsed. */
  static boolean sameOrigin(String origin, String host, String port) {
    URI u;
    try {
      u = new URI(origin.strip());
    } catch (URISyntaxException e) {
      return false;
    }
    if (!"http".equalsIgnoreCase(u.getScheme()) || u.getRawUserInfo() != null || u.getHost() == null
        || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
      return false;
    }
    int op = u.getPort() < 0 ? 80 : u.getPort();
    int hp = port == null ? 80 : Integer.parseInt(port);
    return u.getHost().equalsIgnoreCase(host) && op == hp;
  }

  private static String shown(String s) {
    String t = s.replaceAll("[^\\x20-\\x7E]", "?");
    return t.length() <= 100 ? t : t.substring(0, 100) + "...";
  }
}
