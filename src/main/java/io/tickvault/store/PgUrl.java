package io.tickvault.store;

import io.tickvault.domain.InvalidInputException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL store URL, parsed strictly: it opens exactly the database it names or is refused
 * (exit 2) with the URL shown password-masked ({@link #masked}). Two spellings:
 *
 * <ul>
 *   <li>{@code postgres://} or {@code postgresql://}{@code [user[:password]@]host[:port]/database[?k=v&...]}
 *       as libpq reads it: user, password, database and parameter values are percent-decoded
 *       ({@code %40} for {@code @}, {@code %23} for {@code #}; {@code +} stays a plus);</li>
 *   <li>{@code jdbc:postgresql://host[:port]/database[?user=..&password=..&k=v]} as the JDBC driver
 *       reads it.</li>
 * </ul>
 *
 * Refused as ambiguous, where another reader (libpq, an RFC 3986 parser, the driver) would open a
 * different database: an unencoded {@code #}; an {@code @} outside the user info (an unencoded
 * {@code @}, {@code /} or {@code ?} in a password puts one there); characters that must be
 * percent-encoded; a broken {@code %} escape; a port that is not a number from 1 to 65535; a
 * missing host or database (no default is put in for a part the user left out, except the port,
 * 5432); several hosts; a user or password given twice; {@code host}, {@code port} or
 * {@code dbname} parameters. Immutable and thread-safe.
 *
 * @param host host name or address; an IPv6 address without brackets
 * @param params the other parameters, decoded, for the driver
 */
public record PgUrl(String host, int port, String database, String user, String password,
    Map<String, String> params) {
  public static final int DEFAULT_PORT = 5432;

  private static final Pattern SCHEME = Pattern.compile("(postgres|postgresql|jdbc:postgresql)://(.*)", Pattern.DOTALL);
  /** RFC 3986 characters that may appear unencoded in a URL (plus '%' for escapes). */
  private static final Pattern URL_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@/?#\\[\\]%]*");
  private static final Pattern USERINFO_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=%]*");
  private static final Pattern REG_NAME = Pattern.compile("[A-Za-z0-9\\-._~]+");
  private static final Pattern IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]");
  private static final Set<String> RESERVED_PARAMS = Set.of("host", "hostaddr", "port", "dbname", "service");

  public PgUrl {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Whether {@code url} uses one of the PostgreSQL schemes (it may still be malformed). */
  public static boolean isPostgres(String url) {
    return url.startsWith("postgres://") || url.startsWith("postgresql://") || url.startsWith("jdbc:postgresql:");
  }

  /** Parses {@code url}, or throws {@link InvalidInputException} naming the problem with the URL masked. */
  public static PgUrl parse(String url) {
    Matcher sm = SCHEME.matcher(url);
    if (!sm.matches()) {
      throw refused(url, "expected postgres://user:password@host:port/database or "
          + "jdbc:postgresql://host:port/database (the host and database must be written)");
    }
    boolean jdbc = sm.group(1).startsWith("jdbc");
    String rest = sm.group(2);
    if (!URL_CHARS.matcher(rest).matches()) {
      throw refused(url, "it contains a character that must be percent-encoded (e.g. a space as %20)");
    }
    if (rest.indexOf('#') >= 0) {
      throw refused(url, "it contains '#': in a password or name write it as %23");
    }
    int end = firstOf(rest, "/?");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String tail = end < 0 ? "" : rest.substring(end);
    if (tail.indexOf('@') >= 0 || authority.indexOf('@') != authority.lastIndexOf('@')) {
      throw refused(url, "more than one '@', or an '@' after the host: in a user name or password write '@' as %40, "
          + "'/' as %2F and '?' as %3F");
    }
    String user = null;
    String password = null;
    String hostPort = authority;
    int at = authority.indexOf('@');
    if (at >= 0) {
      if (jdbc) {
        throw refused(url, "the JDBC form takes the user and password as ?user=...&password=..., not before the host");
      }
      String userinfo = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      if (!USERINFO_CHARS.matcher(userinfo.replace(":", "")).matches()) {
        throw refused(url, "the user name or password contains a character that must be percent-encoded");
      }
      int colon = userinfo.indexOf(':');
      user = decode(url, colon < 0 ? userinfo : userinfo.substring(0, colon), "user name", false);
      password = colon < 0 ? null : decode(url, userinfo.substring(colon + 1), "password", false);
      if (user.isEmpty()) {
        throw refused(url, "the user name before '@' is empty");
      }
    }
    if (hostPort.indexOf(',') >= 0) {
      throw refused(url, "several hosts are not supported: name one host");
    }
    String host;
    String portText = null;
    Matcher v6 = IPV6.matcher(hostPort);
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0 || !IPV6.matcher(hostPort.substring(0, close + 1)).matches()) {
        throw refused(url, "an IPv6 host must be written in brackets, e.g. [::1]:5432");
      }
      v6 = IPV6.matcher(hostPort.substring(0, close + 1));
      v6.matches();
      host = v6.group(1);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw refused(url, "unexpected text after the IPv6 host");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
      if (host.isEmpty()) {
        throw refused(url, "no host: write it, e.g. 127.0.0.1 or db.example.com");
      }
      if (!REG_NAME.matcher(host).matches()) {
        throw refused(url, "the host " + quoteHost(host) + " is not a host name or address");
      }
    }
    int port = DEFAULT_PORT;
    if (portText != null) {
      if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
        throw refused(url, "the port is not a number from 1 to 65535");
      }
      port = Integer.parseInt(portText);
    }
    int q = tail.indexOf('?');
    String path = q < 0 ? tail : tail.substring(0, q);
    String query = q < 0 ? null : tail.substring(q + 1);
    if (path.length() <= 1) {
      throw refused(url, "no database: name it after the host, e.g. .../marketdata");
    }
    String rawDb = path.substring(1);
    if (rawDb.indexOf('/') >= 0) {
      throw refused(url, "the database name contains '/': write it as %2F");
    }
    String database = decode(url, rawDb, "database name", jdbc);
    Map<String, String> params = new LinkedHashMap<>();
    if (query != null) {
      for (String kv : query.split("&", -1)) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw refused(url, "a parameter is not written key=value");
        }
        String k = decode(url, kv.substring(0, eq), "parameter name", jdbc).toLowerCase(Locale.ROOT);
        String val = decode(url, kv.substring(eq + 1), "parameter value", jdbc);
        if (params.containsKey(k)) {
          throw refused(url, "the parameter " + k + " is given twice");
        }
        if (RESERVED_PARAMS.contains(k)) {
          throw refused(url, "the parameter " + k + " would override the host, port or database the URL names; "
              + "write them in the URL itself");
        }
        params.put(k, val);
      }
    }
    if (params.containsKey("user")) {
      if (user != null) {
        throw refused(url, "the user is given twice (before the host and as ?user=)");
      }
      user = params.remove("user");
    }
    if (params.containsKey("password")) {
      if (password != null) {
        throw refused(url, "the password is given twice (before the host and as ?password=)");
      }
      password = params.remove("password");
    }
    io.tickvault.domain.Secrets.registerPassword(password);
    return new PgUrl(host, port, database, user, password, params);
  }

  /** The JDBC URL without credentials (user and password go to the driver as properties). */
  public String jdbcUrl() {
    StringBuilder b = new StringBuilder("jdbc:postgresql://").append(host.contains(":") ? "[" + host + "]" : host)
        .append(':').append(port).append('/').append(enc(database));
    String sep = "?";
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = "&";
    }
    return b.toString();
  }

  /** Where it points, without credentials: {@code postgresql://host:port/database}. */
  @Override
  public String toString() {
    return "postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
  }

  /**
   * {@code url} as it may be shown: everything between the first {@code :} after the scheme's
   * {@code //} and the last {@code @} (the password, however it was mangled), a port that is not a
   * number, and the values of {@code password=} parameters replaced by {@code ****}.
   */
  public static String masked(String url) {
    int s = url.indexOf("://");
    if (s < 0) {
      return url.replaceAll("(?i)(password=)[^&]*", "$1****");
    }
    String head = url.substring(0, s + 3);
    String rest = url.substring(s + 3);
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      int colon = rest.indexOf(':');
      if (colon >= 0 && colon < at) {
        rest = rest.substring(0, colon + 1) + "****" + rest.substring(at);
      }
    } else {
      // "user:secret/db" without '@': the text after ':' may be a password read as a port
      rest = rest.replaceFirst("^([^/?:\\[]*):([^/?]*[^/?0-9][^/?]*)", "$1:****");
    }
    rest = rest.replaceAll("(?i)(password=)[^&#]*", "$1****");
    return (head + rest).replaceAll("\\p{Cntrl}", "?");
  }

  private static InvalidInputException refused(String url, String why) {
    return new InvalidInputException("invalid PostgreSQL URL " + masked(url) + ": " + why
        + " (password shown as ****)");
  }

  private static int firstOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Percent-decodes as libpq does ({@code +} stays a plus); the JDBC form refuses a bare {@code +}
   * because the driver would read it as a space.
   */
  private static String decode(String url, String s, String what, boolean jdbc) {
    if (jdbc && s.indexOf('+') >= 0) {
      throw refused(url, "a '+' in the " + what + " of a JDBC URL is read as a space by the driver: write %2B for a "
          + "plus or %20 for a space");
    }
    ByteBuffer out = ByteBuffer.allocate(s.length() * 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
          throw refused(url, "the " + what + " has a '%' that is not followed by two hex digits (write '%' as %25)");
        }
        out.put((byte) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    out.flip();
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(out).toString();
    } catch (CharacterCodingException e) {
      throw refused(url, "the " + what + " is not valid UTF-8 once decoded");
    }
    if (decoded.indexOf('\0') >= 0) {
      throw refused(url, "the " + what + " contains a NUL character");
    }
    return decoded;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String quoteHost(String host) {
    String t = host.replaceAll("[^\\x20-\\x7E]", "?");
    return "'" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "'";
  }
}
