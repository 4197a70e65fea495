package io.tickvault.bench;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The benchmark's bars held as primitive columns (about 80 bytes a bar instead of about 330 for
 * {@link Bar} objects with their decimals), so a million bars fit in the launcher's default heap
 * with room for the write paths under test. {@link #get} builds each {@link Bar} when asked, which
 * costs the baseline and the path under test alike. Prices keep their exact value at the store's
 * scale; every bar has one origin. Read-only.
 */
final class CompactBars extends AbstractList<Bar> implements RandomAccess {
  private static final long NONE = Long.MIN_VALUE;

  private final List<Symbol> symbols = new ArrayList<>();
  private final SourceName origin;
  private final byte[] symbol;
  private final long[] micros;
  private final long[][] prices; // price, open, high, low, close, vwap at scale 4; NONE for null
  private final long[] volume;
  private final int[] trades;
  private int size;

  CompactBars(int capacity, SourceName origin) {
    this.origin = origin;
    symbol = new byte[capacity];
    micros = new long[capacity];
    prices = new long[6][capacity];
    volume = new long[capacity];
    trades = new int[capacity];
  }

  void add(Bar b, int symbolIndex) {
    if (!b.origin().equals(origin)) {
      throw new IllegalArgumentException("one origin per benchmark set: " + b.origin());
    }
    while (symbols.size() <= symbolIndex) {
      symbols.add(null);
    }
    symbols.set(symbolIndex, b.symbol());
    symbol[size] = (byte) symbolIndex;
    micros[size] = b.timestamp().getEpochSecond() * 1_000_000L + b.timestamp().getNano() / 1000;
    BigDecimal[] p = {b.price(), b.open(), b.high(), b.low(), b.close(), b.vwap()};
    for (int i = 0; i < p.length; i++) {
      prices[i][size] = p[i] == null ? NONE : Prices.toScaled(Prices.normalize(p[i]));
    }
    volume[size] = b.volume();
    trades[size] = b.tradeCount();
    size++;
  }

  @Override
  public Bar get(int i) {
    java.util.Objects.checkIndex(i, size);
    Instant t = Instant.ofEpochSecond(Math.floorDiv(micros[i], 1_000_000L), Math.floorMod(micros[i], 1_000_000L) * 1000);
    return new Bar(symbols.get(symbol[i]), t, price(0, i), price(1, i), price(2, i), price(3, i), price(4, i),
        volume[i], trades[i], price(5, i), origin);
  }

  private BigDecimal price(int column, int i) {
    long v = prices[column][i];
    return v == NONE ? null : Prices.fromScaled(v);
  }

  @Override
  public int size() {
    return size;
  }
}
