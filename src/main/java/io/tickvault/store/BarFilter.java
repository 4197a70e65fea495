package io.tickvault.store;

import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;

/** Which bars of a source an operation touches: one symbol or all (null), within a time range. */
public record BarFilter(Symbol symbol, TimeRange range) {
  public static final BarFilter ALL = new BarFilter(null, TimeRange.ALL);

  public BarFilter {
    if (range == null) {
      range = TimeRange.ALL;
    }
  }

  public static BarFilter of(Symbol symbol) {
    return new BarFilter(symbol, TimeRange.ALL);
  }
}
