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
}
