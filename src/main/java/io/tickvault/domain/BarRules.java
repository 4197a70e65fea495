package io.tickvault.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The one validation gate of every write path (ingest, import, migrate, sync): prices positive and
 * fitting DECIMAL(10,4), OHLC consistent ({@code low <= open, close <= high}, price within
 * {@code [low, high]}), volume and trade count non-negative, timestamps in whole microseconds
 * between 1970 and 9999.
 */
public final class BarRules {
  private static final Instant MIN = Instant.EPOCH;
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

  private BarRules() {}

  /** The first rule the bar breaks, as a sentence, or null when it passes. */
  public static String problem(Bar b) {
    String p = price("price", b.price(), true);
    if (p == null) p = price("open", b.open(), false);
    if (p == null) p = price("high", b.high(), false);
    if (p == null) p = price("low", b.low(), false);
    if (p == null) p = price("close", b.close(), false);
    if (p == null) p = price("vwap", b.vwap(), false);
    if (p != null) {
      return p;
    }
    if (b.volume() < 0) {
      return "volume " + b.volume() + " is negative";
    }
    if (b.tradeCount() < 0) {
      return "trade_count " + b.tradeCount() + " is negative";
    }
    Instant t = b.timestamp();
    if (t.isBefore(MIN) || t.isAfter(MAX)) {
      return "timestamp " + t + " is outside 1970..9999";
    }
    if (t.getNano() % 1000 != 0) {
      return "timestamp " + t + " has sub-microsecond precision";
    }
    BigDecimal lo = b.low();
    BigDecimal hi = b.high();
    if (lo != null && hi != null && lo.compareTo(hi) > 0) {
      return "low " + lo.toPlainString() + " is above high " + hi.toPlainString();
    }
    String r = within("open", b.open(), lo, hi);
    if (r == null) r = within("close", b.close(), lo, hi);
    if (r == null) r = within("price", b.price(), lo, hi);
    return r;
  }

  /** Throws {@link InvalidInputException} naming the row when the bar breaks a rule. */
  public static void check(Bar b, String where) {
    String p = problem(b);
    if (p != null) {
      throw new InvalidInputException("rejected " + where + ": " + p
          + " [symbol=" + b.symbol() + ", timestamp=" + b.timestamp() + "]; nothing was written");
    }
  }

  private static String price(String field, BigDecimal v, boolean required) {
    if (v == null) {
      return required ? field + " is missing" : null;
    }
    if (v.signum() <= 0) {
      return field + " " + v.toPlainString() + " is not positive";
    }
    String m = Prices.misfit(v);
    return m == null ? null : field + " " + m + " (does not fit DECIMAL(10,4))";
  }

  private static String within(String field, BigDecimal v, BigDecimal lo, BigDecimal hi) {
    if (v == null) {
      return null;
    }
    if (lo != null && v.compareTo(lo) < 0) {
      return field + " " + v.toPlainString() + " is below low " + lo.toPlainString();
    }
    if (hi != null && v.compareTo(hi) > 0) {
      return field + " " + v.toPlainString() + " is above high " + hi.toPlainString();
    }
    return null;
  }
}
