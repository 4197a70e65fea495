package io.tickvault.source;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.source.SymbolComparison.BarDifference;
import io.tickvault.source.SymbolComparison.FieldDifference;
import io.tickvault.source.SymbolComparison.PriceRatio;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares two sources by a merge of two ordered streams (symbol, timestamp): one pass over each,
 * constant memory per symbol, exact decimals, the same on every engine. Besides the counts it keeps
 * the first {@link #FIRST_DIFFERENCES} differing bars of each symbol (with the fields that differ)
 * and finds a constant price ratio between the sides (a split or a unit difference). Stateless and
 * thread-safe.
 */
final class SourceComparator {
  /** How many differing bars per symbol are kept with their fields. */
  static final int FIRST_DIFFERENCES = 5;

  private SourceComparator() {}

  static List<SymbolComparison> compare(BarStore store, SourceName a, SourceName b, BarFilter f) {
    store.requireSource(a);
    store.requireSource(b);
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

  /** The fields of two bars at the same timestamp that differ, in a fixed order. */
  static List<FieldDifference> differences(Bar x, Bar y) {
    List<FieldDifference> d = new ArrayList<>();
    price(d, "open", x.open(), y.open());
    price(d, "high", x.high(), y.high());
    price(d, "low", x.low(), y.low());
    price(d, "close", x.close(), y.close());
    if (!Objects.equals(x.close(), x.price()) || !Objects.equals(y.close(), y.price())) {
      price(d, "price", x.price(), y.price());
    }
    if (x.volume() != y.volume()) {
      d.add(new FieldDifference("volume", Long.toString(x.volume()), Long.toString(y.volume())));
    }
    if (x.tradeCount() != y.tradeCount()) {
      d.add(new FieldDifference("trade_count", Integer.toString(x.tradeCount()), Integer.toString(y.tradeCount())));
    }
    price(d, "vwap", x.vwap(), y.vwap());
    return d;
  }

  private static void price(List<FieldDifference> d, String field, BigDecimal p, BigDecimal q) {
    if (!eq(p, q)) {
      d.add(new FieldDifference(field, p == null ? null : p.toPlainString(), q == null ? null : q.toPlainString()));
    }
  }

  private static boolean eq(BigDecimal p, BigDecimal q) {
    return p == null || q == null ? Objects.equals(p, q) : p.compareTo(q) == 0;
  }

  /**
   * The simple ratio (p/q with q up to 20, e.g. 2, 1/2, 3/2, 100) that {@code r} is within 0.01 %
   * of, or {@code r} itself.
   */
  static BigDecimal snap(BigDecimal r) {
    for (int q = 1; q <= 20; q++) {
      BigDecimal p = r.multiply(BigDecimal.valueOf(q)).setScale(0, RoundingMode.HALF_EVEN);
      if (p.signum() <= 0) {
        continue;
      }
      BigDecimal nice = p.divide(BigDecimal.valueOf(q), MathContext.DECIMAL64);
      if (nice.subtract(r).abs().compareTo(nice.movePointLeft(4)) <= 0) {
        return nice.stripTrailingZeros();
      }
    }
    return r.round(new MathContext(6)).stripTrailingZeros();
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
    final List<BarDifference> first = new ArrayList<>();
    // the constant ratio A/B of every price on the bars whose prices differ; broken = none
    BigDecimal ratio;
    boolean ratioBroken;
    long ratioBars;
    Instant ratioFirst;
    Instant ratioLast;

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
      List<FieldDifference> diff = differences(x, y);
      if (diff.isEmpty()) {
        return;
      }
      differing++;
      if (first.size() < FIRST_DIFFERENCES) {
        first.add(new BarDifference(x.timestamp(), diff));
      }
      boolean pricesDiffer = diff.stream().anyMatch(f -> !f.field().equals("volume")
          && !f.field().equals("trade_count"));
      if (pricesDiffer && !ratioBroken) {
        ratio(x, y);
      }
    }

    private void ratio(Bar x, Bar y) {
      if (ratio == null) {
        if (y.price().signum() <= 0 || x.price().signum() <= 0) {
          ratioBroken = true;
          return;
        }
        ratio = snap(x.price().divide(y.price(), MathContext.DECIMAL64));
        if (ratio.compareTo(BigDecimal.ONE) == 0) {
          ratioBroken = true;
          return;
        }
      }
      if (fits(x.price(), y.price()) && fits(x.open(), y.open()) && fits(x.high(), y.high())
          && fits(x.low(), y.low()) && fits(x.close(), y.close()) && fits(x.vwap(), y.vwap())) {
        ratioBars++;
        if (ratioFirst == null) ratioFirst = x.timestamp();
        ratioLast = x.timestamp();
      } else {
        ratioBroken = true;
      }
    }

    /** p = ratio x q, allowing for rounding both sides to 4 decimal places. */
    private boolean fits(BigDecimal p, BigDecimal q) {
      if (p == null || q == null) {
        return p == q;
      }
      BigDecimal tolerance = new BigDecimal("0.0001").multiply(ratio.max(BigDecimal.ONE))
          .add(p.abs().movePointLeft(6));
      return p.subtract(ratio.multiply(q)).abs().compareTo(tolerance) <= 0;
    }

    SymbolComparison result() {
      BigDecimal mean = common == 0 ? null
          : sum.divide(BigDecimal.valueOf(common), 8, RoundingMode.HALF_EVEN).stripTrailingZeros();
      PriceRatio r = ratio == null || ratioBroken || ratioBars == 0 ? null
          : new PriceRatio(ratio, ratioBars, ratioFirst, ratioLast);
      return new SymbolComparison(symbol, rowsA, rowsB, common, rowsA - common, rowsB - common, differing, max, mean,
          firstA, lastA, firstB, lastB, List.copyOf(first), r);
    }
  }
}
