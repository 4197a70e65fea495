package io.tickvault.ingest;

import io.tickvault.domain.Prices;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The deliberate conversions from vendor numbers to bar columns, shared by every vendor adapter
 * and by CSV import of vendor exports:
 *
 * <ul>
 *   <li><b>volume</b> is stored as a whole number of shares (BIGINT). Any JSON spelling of a whole
 *       number is exact ({@code 1748755}, {@code 1748755.0}, {@code 2.4970168e+07}). A fractional
 *       volume ({@code 25933.6}) is rounded half-up to whole shares; callers count those bars
 *       with {@link #isFractional} and report them, so the rounding is never silent.
 *   <li><b>trade count</b> must be a whole number that fits an int.
 *   <li><b>vwap</b> is a derived average that vendors send with more decimals than DECIMAL(10,4)
 *       holds ({@code 166.855631}); it is rounded half-even to 4 decimal places. Open, high, low
 *       and close are never rounded: one that does not fit is refused by the validation gate.
 * </ul>
 *
 * Stateless and thread-safe. Failures throw {@link VendorJson.Malformed} naming the value.
 */
public final class VendorValues {
  private VendorValues() {}

  /** Whether a volume has a non-zero fraction (and so will be rounded). */
  public static boolean isFractional(BigDecimal v) {
    return v != null && v.signum() != 0 && v.stripTrailingZeros().scale() > 0;
  }

  /** The volume as whole shares: exact when whole, else rounded half-up. */
  public static long volume(BigDecimal v, String path) {
    try {
      return v.setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException e) {
      throw new VendorJson.Malformed(path + " " + v.toPlainString() + " is too large for a volume");
    }
  }

  /** A trade count: a whole number that fits an int; null means 0 (the field is optional). */
  public static int tradeCount(BigDecimal n, String path) {
    if (n == null) {
      return 0;
    }
    try {
      return n.stripTrailingZeros().intValueExact();
    } catch (ArithmeticException e) {
      throw new VendorJson.Malformed(path + " " + n.toPlainString() + " is not a whole number that fits a trade count");
    }
  }

  /** Whether {@link #vwap} rounds this value (it has more than 4 decimal places). */
  public static boolean vwapRounds(BigDecimal vw) {
    return vw != null && vw.scale() > Prices.SCALE && vw.stripTrailingZeros().scale() > Prices.SCALE;
  }

  /** A vwap at scale 4, rounded half-even; null stays null. Callers count {@link #vwapRounds}. */
  public static BigDecimal vwap(BigDecimal vw) {
    return vw == null ? null : vw.setScale(Prices.SCALE, RoundingMode.HALF_EVEN);
  }
}
