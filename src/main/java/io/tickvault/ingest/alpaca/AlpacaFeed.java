package io.tickvault.ingest.alpaca;

import java.util.Locale;

/**
 * Alpaca stock feeds tickvault downloads: {@link #IEX} (the IEX exchange only; every plan) and
 * {@link #SIP} (all US exchanges; the free plan only for data older than 15 minutes). Bars of
 * different feeds differ, so one source never holds both.
 *
 * <p>Immutable and thread-safe.
 */
public enum AlpacaFeed {
  IEX,
  SIP;

  /** The query value and the feed recorded in the ingest log: {@code iex}, {@code sip}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
