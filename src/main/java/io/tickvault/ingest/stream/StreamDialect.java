package io.tickvault.ingest.stream;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.ingest.Redactor;
import java.util.Collection;
import java.util.List;

/**
 * One vendor's stream protocol: the messages tickvault sends and how it reads the vendor's frames.
 * Implemented in the vendor packages ({@code AlpacaStreamDialect}, {@code PolygonStreamDialect}).
 * Implementations are immutable and thread-safe.
 */
public interface StreamDialect {

  /** Vendor name for messages ("Alpaca", "Polygon"). */
  String vendor();

  /** The origin stamped on every bar and the vendor's own source. */
  SourceName origin();

  /** The feed recorded in the ingest log (Alpaca iex/sip/delayed_sip, Polygon realtime/delayed). */
  String feed();

  /** The authentication message; holds the key, so it is never logged. */
  String authMessage();

  /** The subscription message for the whole desired set of symbols (minute bars and corrections). */
  String subscribeMessage(Collection<Symbol> symbols);

  /**
   * The events of one complete frame, in order. Throws
   * {@link io.tickvault.ingest.VendorJson.Malformed} naming the element when the frame is not the
   * documented shape.
   */
  List<StreamEvent> parse(String frame);

  /** Knows the keys in use, for every message that could echo one. */
  Redactor redactor();

  /**
   * How long after its minute a bar normally arrives (a delayed feed is 15 minutes late by
   * design); the data watchdog adds it to its limit.
   */
  default java.time.Duration delay() {
    return java.time.Duration.ZERO;
  }
}
