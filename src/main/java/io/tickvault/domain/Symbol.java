package io.tickvault.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated instrument symbol: 1-10 characters, letters, digits, {@code .}, {@code -} and
 * {@code /}, starting with a letter or digit ({@code AAPL}, {@code BRK.B}, {@code BTC/USD}).
 * Letters are upper-cased, so {@code aapl} and {@code AAPL} are the same symbol.
 */
public record Symbol(String value) implements Comparable<Symbol> {
  private static final Pattern VALID = Pattern.compile("[A-Z0-9][A-Z0-9./-]{0,9}");

  public Symbol {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException(
          "invalid symbol " + Text.quote(value)
              + ": use 1-10 characters: letters, digits, '.', '-', '/' (e.g. AAPL, BRK.B, BTC/USD)");
    }
  }

  public static Symbol of(String value) {
    return new Symbol(value == null ? null : value.strip().toUpperCase(Locale.ROOT));
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
