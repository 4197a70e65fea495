package io.tickvault.ingest.stream;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Symbol;
import java.util.Set;

/** One message of a vendor stream, as a {@link StreamDialect} reads it. Immutable. */
public sealed interface StreamEvent {

  /** The server's welcome ({@code connected}). */
  record Connected() implements StreamEvent {}

  /** Authentication accepted. */
  record Authenticated() implements StreamEvent {}

  /**
   * A subscription confirmation. {@code whole}: the message lists the entire current subscription
   * (Alpaca); otherwise it confirms the listed symbols only (Polygon, one message per topic).
   */
  record Subscribed(Set<Symbol> symbols, boolean whole) implements StreamEvent {
    public Subscribed {
      symbols = Set.copyOf(symbols);
    }
  }

  /** A minute bar; {@code update}: the vendor marked it a correction (Alpaca {@code u}). */
  record BarReceived(Bar bar, boolean update) implements StreamEvent {}

  /** An error or status that is not data; {@code kind} says what the collector does about it. */
  record Failure(Kind kind, String code, String message) implements StreamEvent {}

  /** A message type the collector does not use (logged and counted, never fatal). */
  record Other(String type) implements StreamEvent {}

  /** What a {@link Failure} means for the collector. */
  enum Kind {
    /** Bad credentials or a plan without this feed: stop, exit code "unavailable". */
    PERMANENT,
    /** Another connection holds the key (Alpaca 406, Polygon max_connections): long back-off. */
    KEY_IN_USE,
    /** Transient (auth timeout, slow client, server error): reconnect with back-off. */
    RECONNECT,
    /** Worth a log line; the connection stays up (e.g. symbol limit exceeded). */
    WARN
  }
}
