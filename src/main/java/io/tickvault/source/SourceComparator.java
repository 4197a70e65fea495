package io.tickvault.source;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares two sources by a merge of two ordered streams (symbol, timestamp): one pass over each,
 * constant memory per symbol, exact decimals, the same on every engine. Stateless and thread-safe.
 */
final class SourceComparator {
  private SourceComparator() {}

  static List<SymbolComparison> compare(BarStore store, SourceName a, SourceName b, Symbol symbol) {
    store.requireSource(a);
    store.requireSource(b);
    BarFilter f = symbol == null ? BarFilter.ALL : BarFilter.of(symbol);
    Map<Symbol, Acc> acc = new TreeMap<>();
    try (BarPipe.BarCursor ca = BarPipe.open(sink -> store.read(a, f, sink));
         BarPipe.BarCursor cb = BarPipe.open(sink -> store.read(b, f, sink))) {
      Bar x = ca.hasNext() ? ca.next() : null;
      Bar y = cb.hasNext() ? cb.next() : null;
      while (x != null || y != null) {
        int c = x == null ? 1 : y == null ? -1 : key(x, y);
        if (c < 0) {
          acc.computeIfAbsent(x.symbol(), Acc::new).a(x);
          x = ca.hasNext() ? ca.next() : null;
        } else if (c > 0) {
          acc.computeIfAbsent(y.symbol(), Acc::new).b(y);
          y = cb.hasNext() ? cb.next() : null;
        } else {
          Acc s = acc.computeIfAbsent(x.symbol(), Acc::new);
          s.a(x);
          s.b(y);
          s.both(x, y);
          x = ca.hasNext() ? ca.next() : null;
          y = cb.hasNext() ? cb.next() : null;
        }
      }
    }
    List<SymbolComparison> out = new ArrayList<>();
    for (Acc s : acc.values()) {
      out.add(s.result());
    }
    return out;
  }

  private static int key(Bar x, Bar y) {
    int c = x.symbol().compareTo(y.symbol());
    return c != 0 ? c : x.timestamp().compareTo(y.timestamp());
  }

  private static final class Acc {
    final Symbol symbol;
    long rowsA;
    long rowsB;
    long common;
    long differing;
    BigDecimal max;
    BigDecimal sum = BigDecimal.ZERO;
    Instant firstA;
    Instant lastA;
    Instant firstB;
    Instant lastB;

    Acc(Symbol symbol) {
      this.symbol = symbol;
    }

    void a(Bar x) {
      rowsA++;
      if (firstA == null) firstA = x.timestamp();
      lastA = x.timestamp();
    }

    void b(Bar y) {
      rowsB++;
      if (firstB == null) firstB = y.timestamp();
      lastB = y.timestamp();
    }

    void both(Bar x, Bar y) {
      common++;
      BigDecimal d = x.price().subtract(y.price()).abs();
      sum = sum.add(d);
      max = max == null || d.compareTo(max) > 0 ? d : max;
      boolean same = x.price().compareTo(y.price()) == 0 && eq(x.open(), y.open()) && eq(x.high(), y.high())
          && eq(x.low(), y.low()) && eq(x.close(), y.close()) && x.volume() == y.volume()
          && x.tradeCount() == y.tradeCount() && eq(x.vwap(), y.vwap());
      if (!same) {
        differing++;
      }
    }

    private static boolean eq(BigDecimal p, BigDecimal q) {
      return p == null || q == null ? Objects.equals(p, q) : p.compareTo(q) == 0;
    }

    SymbolComparison result() {
      BigDecimal mean = common == 0 ? null
          : sum.divide(BigDecimal.valueOf(common), 8, RoundingMode.HALF_EVEN).stripTrailingZeros();
      return new SymbolComparison(symbol, rowsA, rowsB, common, rowsA - common, rowsB - common, differing, max, mean,
          firstA, lastA, firstB, lastB);
    }
  }
}
