package io.tickvault.ingest;

import io.tickvault.domain.Symbol;
import java.time.Instant;

/**
 * Receives progress of a vendor ingest, for a progress bar and notices. Called on the ingesting
 * thread; implementations need not be thread-safe. Every method has a no-op default.
 */
public interface IngestListener {
  /** A listener that ignores everything. */
  IngestListener NONE = new IngestListener() { };

  /**
   * A page of {@code symbol} was written: {@code rows} so far for the symbol in this run, bars
   * through {@code through}, {@code fraction} (0..1) of the symbol's requested range covered.
   */
  default void progress(Symbol symbol, long rows, Instant through, double fraction) { }

  /** A symbol is complete. */
  default void symbolDone(Symbol symbol, long rows) { }

  /** A one-line, user-facing notice (a retry wait, a resume point); never contains a key. */
  default void notice(String message) { }
}
