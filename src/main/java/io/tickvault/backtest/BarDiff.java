package io.tickvault.backtest;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where two sources differ for one symbol and range: a merge of the two ordered streams (constant
 * memory apart from the first {@code limit} differences listed). The {@code compare} findings that
 * go with an A/B backtest.
 */
public record BarDiff(long rowsA, long rowsB, long common, long onlyA, long onlyB, long differing,
    BigDecimal maxAbsCloseDiff, List<Difference> listed) {

  /** One timestamp where the sources differ: a bar on one side only, or different values. */
  public record Difference(Instant time, String what, BigDecimal closeA, BigDecimal closeB) {}

  public boolean identical() {
    return onlyA == 0 && onlyB == 0 && differing == 0;
  }

  static BarDiff of(BarStore store, SourceName a, BarFilter fa, SourceName b, BarFilter fb, int limit) {
    long ra = 0, rb = 0, common = 0, onlyA = 0, onlyB = 0, differing = 0;
    BigDecimal max = null;
    List<Difference> listed = new ArrayList<>();
    try (BarPipe.BarCursor ca = BarPipe.open(sink -> store.read(a, fa, sink));
         BarPipe.BarCursor cb = BarPipe.open(sink -> store.read(b, fb, sink))) {
      Bar x = ca.hasNext() ? ca.next() : null;
      Bar y = cb.hasNext() ? cb.next() : null;
      while (x != null || y != null) {
        int c = x == null ? 1 : y == null ? -1 : x.timestamp().compareTo(y.timestamp());
        if (c < 0) {
          ra++;
          onlyA++;
          if (listed.size() < limit) listed.add(new Difference(x.timestamp(), "only in " + a, x.price(), null));
          x = ca.hasNext() ? ca.next() : null;
        } else if (c > 0) {
          rb++;
          onlyB++;
          if (listed.size() < limit) listed.add(new Difference(y.timestamp(), "only in " + b, null, y.price()));
          y = cb.hasNext() ? cb.next() : null;
        } else {
          ra++;
          rb++;
          common++;
          BigDecimal d = x.price().subtract(y.price()).abs();
          max = max == null || d.compareTo(max) > 0 ? d : max;
          if (!same(x, y)) {
            differing++;
            if (listed.size() < limit) listed.add(new Difference(x.timestamp(), "values differ", x.price(), y.price()));
          }
          x = ca.hasNext() ? ca.next() : null;
          y = cb.hasNext() ? cb.next() : null;
        }
      }
    }
    return new BarDiff(ra, rb, common, onlyA, onlyB, differing, max, List.copyOf(listed));
  }

  private static boolean same(Bar x, Bar y) {
    return x.price().compareTo(y.price()) == 0 && eq(x.open(), y.open()) && eq(x.high(), y.high())
        && eq(x.low(), y.low()) && eq(x.close(), y.close()) && x.volume() == y.volume() && eq(x.vwap(), y.vwap());
  }

  private static boolean eq(BigDecimal p, BigDecimal q) {
    return p == null || q == null ? Objects.equals(p, q) : p.compareTo(q) == 0;
  }
}
