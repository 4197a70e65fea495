package io.tickvault.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One OHLCV bar of one symbol, starting at {@code timestamp} (UTC), as stored in a source table.
 *
 * <p>Prices are exact decimals at scale 4 ({@code open}, {@code high}, {@code low}, {@code close}
 * and {@code vwap} may be null; {@code price}, the last/close, may not). {@code origin} is the
 * source that first produced the row; copies keep it. Construction checks only presence; the
 * data-quality rules are applied by {@link BarRules} at the write gate, so that a bad row can be
 * reported with its position.
 */
public record Bar(
    Symbol symbol,
    Instant timestamp,
    BigDecimal price,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    long volume,
    int tradeCount,
    BigDecimal vwap,
    SourceName origin) {

  public Bar {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(origin, "origin");
  }

  /** A full OHLCV bar whose price is its close. */
  public static Bar ohlcv(Symbol symbol, Instant start, BigDecimal open, BigDecimal high, BigDecimal low,
      BigDecimal close, long volume, int tradeCount, BigDecimal vwap, SourceName origin) {
    return new Bar(symbol, start, close, open, high, low, close, volume, tradeCount, vwap, origin);
  }

  public Bar withOrigin(SourceName newOrigin) {
    return new Bar(symbol, timestamp, price, open, high, low, close, volume, tradeCount, vwap, newOrigin);
  }

  /** Prices brought to scale 4; throws {@link InvalidInputException} if one does not fit. */
  public Bar normalized() {
    if (canonical(price) && canonical(open) && canonical(high) && canonical(low) && canonical(close)
        && canonical(vwap)) {
      return this;
    }
    return new Bar(symbol, timestamp, Prices.normalize(price), Prices.normalize(open), Prices.normalize(high),
        Prices.normalize(low), Prices.normalize(close), volume, tradeCount, Prices.normalize(vwap), origin);
  }

  private static boolean canonical(BigDecimal v) {
    return v == null || (v.scale() == Prices.SCALE && v.precision() <= Prices.PRECISION);
  }
}
