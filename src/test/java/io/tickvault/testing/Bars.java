package io.tickvault.testing;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builders of test bars. */
public final class Bars {
  private Bars() {}

  public static Bar bar(String symbol, String time, String close, SourceName origin) {
    BigDecimal c = new BigDecimal(close);
    return Bar.ohlcv(Symbol.of(symbol), Instant.parse(time), c, c, c, c, 100, 3, c, origin);
  }

  public static Bar bar(String symbol, String time, String open, String high, String low, String close, long volume,
      SourceName origin) {
    return Bar.ohlcv(Symbol.of(symbol), Instant.parse(time), new BigDecimal(open), new BigDecimal(high),
        new BigDecimal(low), new BigDecimal(close), volume, 7, null, origin);
  }

  /** {@code n} one-minute bars from {@code start}, closes 100.0000, 100.0001, ... */
  public static List<Bar> minutes(String symbol, String start, int n, SourceName origin) {
    List<Bar> out = new ArrayList<>();
    Instant t = Instant.parse(start);
    for (int i = 0; i < n; i++) {
      BigDecimal c = new BigDecimal("100.0000").add(BigDecimal.valueOf(i, 4));
      out.add(Bar.ohlcv(Symbol.of(symbol), t.plus(Duration.ofMinutes(i)), c, c.add(BigDecimal.ONE), c.subtract(
          BigDecimal.ONE), c, 1000 + i, 10, c, origin));
    }
    return out;
  }
}
