package io.tickvault.domain;

import java.util.regex.Pattern;

/**
 * A validated instrument symbol: 1-10 characters, ASCII letters, ASCII digits, {@code .}, {@code -}
 * and {@code /}, starting with a letter or digit ({@code AAPL}, {@code BRK.B}, {@code BTC/USD}).
 * ASCII letters are upper-cased, so {@code aapl} and {@code AAPL} are the same symbol.
 *
 * <p>{@link #of} validates the raw text before normalising it: any other character (a
 * {@code ß} that upper-casing would turn into {@code SS}, a dotless {@code ı} that would become
 * {@code I}, a NUL byte that stripping would remove, Arabic-Indic digits that number parsers would
 * read as digits) is refused with the character named, never silently changed into another symbol.
 * Only surrounding spaces, tabs and line ends are trimmed.
 */
public record Symbol(String value) implements Comparable<Symbol> {
  private static final Pattern VALID = Pattern.compile("[A-Z0-9][A-Z0-9./-]{0,9}");
  private static final String RULE =
      "use 1-10 characters: ASCII letters, digits, '.', '-', '/' (e.g. AAPL, BRK.B, BTC/USD)";

  public Symbol {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException("invalid symbol " + Text.quote(value) + ": " + RULE);
    }
  }

  /** Validates the raw text (see the class comment), then upper-cases its ASCII letters. */
  public static Symbol of(String value) {
    if (value == null) {
      return new Symbol(null);
    }
    int from = 0;
    int to = value.length();
    while (from < to && blank(value.charAt(from))) {
      from++;
    }
    while (to > from && blank(value.charAt(to - 1))) {
      to--;
    }
    char[] out = new char[to - from];
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c >= 'a' && c <= 'z') {
        c = (char) (c - ('a' - 'A'));
      } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '/')) {
        throw new InvalidInputException("invalid symbol " + Text.quote(value) + ": character " + describe(value, i)
            + " at position " + (i - from + 1) + " is not allowed; " + RULE);
      }
      out[i - from] = c;
    }
    return new Symbol(new String(out));
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** A character for a message: itself when printable ASCII, plus its code point (U+00DF). */
  private static String describe(String s, int i) {
    int cp = s.codePointAt(i);
    String code = String.format("U+%04X", cp);
    if (cp >= 0x21 && cp < 0x7f) {
      return "'" + (char) cp + "' (" + code + ")";
    }
    if (Character.isISOControl(cp) || Character.isWhitespace(cp) || !Character.isDefined(cp)) {
      return code + (Character.getName(cp) == null ? "" : " " + Character.getName(cp));
    }
    return "'" + new String(Character.toChars(cp)) + "' (" + code + " " + Character.getName(cp) + ")";
  }

  @Override
  public int compareTo(Symbol o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
