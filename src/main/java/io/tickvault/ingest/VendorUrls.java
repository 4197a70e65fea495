package io.tickvault.ingest;

import io.tickvault.domain.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one place where URLs that carry a vendor key are built: a configured base URL is checked
 * once ({@link #base}), and a URL the vendor hands back (Polygon's {@code next_url}) is followed
 * only when it stays on the base's origin ({@link #follow}). URLs are parsed as URLs, never
 * concatenated from text a vendor sent, so no {@code next_url} can move the key to another host
 * ({@code @evil.example/x} after a base without a slash would otherwise become user info).
 * Stateless and thread-safe.
 */
public final class VendorUrls {
  private VendorUrls() {}

  /**
   * The configured base URL, checked: http or https, a host, no user info, query or fragment.
   * {@code setting} names the setting in the message; the value is shown without user info.
   */
  public static URI base(URI base, String setting) {
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null || base.getRawUserInfo() != null
        || base.getRawQuery() != null || base.getRawFragment() != null || base.isOpaque()) {
      throw new InvalidInputException("invalid " + setting + ": expected an http(s) base URL such as "
          + "https://api.massive.com, without user info, query or fragment [value=" + Redactor.NONE.url(base) + "]");
    }
    return base;
  }

  /**
   * The URL of a page the vendor points to with {@code next}: either a path (with query) on the
   * base, or an absolute URL with the base's scheme, host and port. Its path must stay under the
   * base's path, without {@code .} or {@code ..} segments. Anything else is a
   * {@link VendorException} and no request may be sent; the message shows the value only as a
   * sanitised summary (it came from the vendor).
   */
  public static URI follow(URI base, String next, String vendor, String field, String what) {
    URI u;
    try {
      u = new URI(next);
    } catch (URISyntaxException e) {
      throw refused(vendor, field, what, "it is not a URL");
    }
    if (u.isOpaque() || u.getRawUserInfo() != null || u.getRawFragment() != null) {
      throw refused(vendor, field, what, "it has user info, a fragment or no path");
    }
    if (u.getScheme() != null || u.getRawAuthority() != null) {
      if (u.getScheme() == null || u.getHost() == null
          || !u.getScheme().equalsIgnoreCase(base.getScheme())
          || !u.getHost().equalsIgnoreCase(base.getHost())
          || port(u) != port(base)) {
        throw refused(vendor, field, what, "it points to another host (" + origin(u) + ", configured "
            + origin(base) + ")");
      }
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    if (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    if (!path.startsWith(basePath + "/")) {
      throw refused(vendor, field, what, "its path is not under the configured base URL");
    }
    for (String seg : path.split("/", -1)) {
      String s = seg.toLowerCase(Locale.ROOT).replace("%2e", ".");
      if (s.equals(".") || s.equals("..") || seg.toLowerCase(Locale.ROOT).contains("%2f")) {
        throw refused(vendor, field, what, "its path has dot segments or encoded slashes");
      }
    }
    URI out;
    try {
      out = new URI(base.getScheme() + "://" + base.getRawAuthority() + path
          + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    } catch (URISyntaxException e) {
      throw refused(vendor, field, what, "it is not a URL");
    }
    if (!out.getHost().equalsIgnoreCase(base.getHost()) || port(out) != port(base) || out.getRawUserInfo() != null) {
      throw refused(vendor, field, what, "it points to another host");
    }
    return out;
  }

  private static VendorException refused(String vendor, String field, String what, String why) {
    return new VendorException(vendor + " sent a " + field + " for " + what + " that tickvault will not follow: " + why
        + "; no request was sent with the key. If the vendor moved to another host, set the base URL to it");
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static String origin(URI u) {
    return (u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT) + "://")
        + (u.getHost() == null ? "?" : u.getHost().replaceAll("[^A-Za-z0-9.:\\[\\]-]", "?")) + ":" + port(u);
  }
}
