package io.tickvault.domain;

/** Small helpers for putting user text into messages safely. */
public final class Text {
  private Text() {}

  /** Quotes a value for an error message: control characters escaped, long values shortened. */
  public static String quote(String s) {
    if (s == null) {
      return "(none)";
    }
    StringBuilder b = new StringBuilder("'");
    int n = Math.min(s.length(), 60);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > n) {
      b.append("...(").append(s.length()).append(" chars)");
    }
    return b.append('\'').toString();
  }

  /** A duration for people: {@code 6d 3h}, {@code 5h 2m}, {@code 40s}. */
  public static String duration(java.time.Duration d) {
    long s = d.toSeconds();
    if (s >= 86_400) {
      return s / 86_400 + "d" + (s % 86_400 >= 3600 ? " " + (s % 86_400) / 3600 + "h" : "");
    }
    if (s >= 3600) {
      return s / 3600 + "h" + (s % 3600 >= 60 ? " " + (s % 3600) / 60 + "m" : "");
    }
    if (s >= 60) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
