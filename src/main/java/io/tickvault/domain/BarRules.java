package io.tickvault.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The one validation gate of every write path (ingest, import, migrate, sync). It refuses only what
 * cannot be a bar: a missing, non-positive or unparseable price, a price that does not fit
 * DECIMAL(10,4), {@code high} below {@code low}, a negative volume or trade count, a volume above
 * {@link #MAX_VOLUME}, a timestamp not
 * in whole microseconds between 1970 and 9999 ({@link #problem}).
 *
 * <p>An open, close, price or vwap outside {@code [low, high]} is a <em>flaw</em>, not a refusal
 * ({@link #flaw}): real vendor files have them (Yahoo's adjusted closes, London small caps, a
 * vwap of trades outside the bar's window), they are the vendor's record, and dropping them would
 * lose data. Such bars are stored as delivered and counted in the write report. Generated sources
 * stay strict: a write into one refuses flawed bars too ({@link #strictProblem}).
 */
public final class BarRules {
  private static final Instant MIN = Instant.EPOCH;
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");
  /**
   * The largest volume of one bar, 10^14. Every aggregate must be able to sum it: a month candle
   * of 1-minute bars sums up to 44,700 of them (a 31-day month plus a DST hour), which stays below
   * BIGINT's 9.2 * 10^18, and the volume-weighted vwap sums stay exact on both engines.
   */
  public static final long MAX_VOLUME = 100_000_000_000_000L;

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
    if (b.volume() > MAX_VOLUME) {
      return "volume " + b.volume() + " is above the largest volume of a bar, " + MAX_VOLUME
          + " (10^14: candles must be able to sum a month of such bars)";
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
    return null;
  }

  /**
   * The first value outside {@code [low, high]} (open, close, price, vwap), as a sentence, or null.
   * Only meaningful for a bar that passes {@link #problem}.
   */
  public static String flaw(Bar b) {
    BigDecimal lo = b.low();
    BigDecimal hi = b.high();
    if (lo == null && hi == null) {
      return null;
    }
    String r = within("open", b.open(), lo, hi);
    if (r == null) r = within("close", b.close(), lo, hi);
    if (r == null && b.price() != b.close()) r = within("price", b.price(), lo, hi);
    if (r == null) r = within("vwap", b.vwap(), lo, hi);
    return r;
  }

  /** {@link #problem}, then {@link #flaw}: the rule for generated sources. */
  public static String strictProblem(Bar b) {
    String p = problem(b);
    return p != null ? p : flaw(b);
  }

  /** Throws {@link InvalidInputException} naming the row when the bar breaks a rule. */
  public static void check(Bar b, String where) {
    check(b, where, false);
  }

  /** As {@link #check(Bar, String)}; {@code strict} also refuses flaws (generated sources). */
  public static void check(Bar b, String where, boolean strict) {
    String p = strict ? strictProblem(b) : problem(b);
    if (p != null) {
      throw rejected(b, where, p);
    }
  }

  /**
   * As {@link #check(Bar, String, boolean)} for row {@code row} of an input: the bulk paths' form,
   * which builds no text unless the bar is refused.
   */
  public static void check(Bar b, long row, boolean strict) {
    String p = strict ? strictProblem(b) : problem(b);
    if (p != null) {
      throw rejected(b, "row " + row, p);
    }
  }

  private static InvalidInputException rejected(Bar b, String where, String problem) {
    return new InvalidInputException("rejected " + where + ": " + problem + " [symbol=" + b.symbol() + ", timestamp="
        + b.timestamp() + "]; nothing was written");
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
