package io.tickvault.ingest.alpaca;

import java.util.Locale;

/**
 * Alpaca's corporate-action adjustment of prices: {@link #RAW} (the vendor's default), {@link #SPLIT},
 * {@link #ALL}. Immutable and thread-safe.
 */
public enum AlpacaAdjustment {
  RAW,
  SPLIT,
  ALL;

  /** The query value: {@code raw}, {@code split}, {@code all}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
