package io.tickvault.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact price handling for DECIMAL(10,4): at most 6 integer digits and 4 fraction digits. Values
 * that do not fit are rejected, never rounded.
 */
public final class Prices {
  public static final int SCALE = 4;
  public static final int PRECISION = 10;
  /** Largest storable value, 999999.9999. */
  public static final BigDecimal MAX = new BigDecimal("999999.9999");

  private Prices() {}

  /** Why the value does not fit DECIMAL(10,4), or null when it does. */
  public static String misfit(BigDecimal v) {
    if (v == null || (v.scale() == SCALE && v.precision() <= PRECISION)) {
      return null; // the common case on bulk paths: canonical, and at most 999999.9999
    }
    if (v.scale() > SCALE && v.stripTrailingZeros().scale() > SCALE) {
      return v.toPlainString() + " has more than 4 decimal places";
    }
    if (v.abs().compareTo(MAX) > 0) {
      return v.toPlainString() + " is larger than 999999.9999";
    }
    return null;
  }

  /** The value at scale 4 (exact), or null. Throws when it does not fit. */
  public static BigDecimal normalize(BigDecimal v) {
    if (v == null) {
      return null;
    }
    if (v.scale() == SCALE && v.precision() <= PRECISION) {
      return v; // already canonical (the common case on bulk paths)
    }
    String m = misfit(v);
    if (m != null) {
      throw new InvalidInputException("price " + m + " and does not fit DECIMAL(10,4)");
    }
    return v.setScale(SCALE, RoundingMode.UNNECESSARY);
  }

  /** The value times 10^4 as a long (exact); the value must fit DECIMAL(10,4). */
  public static long toScaled(BigDecimal v) {
    if (v.scale() == SCALE) {
      return v.unscaledValue().longValueExact();
    }
    return v.movePointRight(SCALE).longValueExact();
  }

  public static BigDecimal fromScaled(long scaled) {
    return BigDecimal.valueOf(scaled, SCALE);
  }

  /** Parses a decimal string exactly (no double on the way). */
  public static BigDecimal parse(String s) {
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw new InvalidInputException("not a decimal number: " + Text.quote(s));
    }
  }
}
