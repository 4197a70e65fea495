package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Fills a production store with N one-minute bars for the sync benchmark (run by hand; not part of
 * the build): {@code java -cp ... io.tickvault.mirror.MirrorSyncBenchmark URL N}. Bars: 20 symbols,
 * 390 bars per trading day from 2024-01-02, prices a deterministic walk.
 */
public final class MirrorSyncBenchmark {
  private MirrorSyncBenchmark() {}

  public static void main(String[] args) {
    String url = args[0];
    long n = Long.parseLong(args[1]);
    SourceName src = SourceName.SYNTHETIC;
    try (BarStore s = Stores.open(url)) {
      s.createSource(src, SourceKind.GENERATED, "benchmark");
      long t0 = System.nanoTime();
      long rows = s.write(src, Timeframe.MIN_1, bars(n, src)).rows();
      System.out.printf("wrote %d bars in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
    }
  }

  static Iterator<Bar> bars(long n, SourceName origin) {
    int symbols = 20;
    long perSymbol = n / symbols;
    return new Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < perSymbol * symbols;
      }

      @Override
      public Bar next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int sym = (int) (i / perSymbol);
        long k = i % perSymbol;
        i++;
        long day = k / 390;
        long minute = k % 390;
        Instant t = Instant.parse("2024-01-02T14:30:00Z").plusSeconds(day * 86_400 + minute * 60);
        long cents = 10_000 + (k * 7919 + sym * 31) % 5_000;
        BigDecimal c = BigDecimal.valueOf(cents, 2);
        return Bar.ohlcv(Symbol.of("SYM" + sym), t, c, c.add(BigDecimal.ONE), c.subtract(BigDecimal.ONE), c,
            1000 + k % 977, 10, c, origin);
      }
    };
  }
}
