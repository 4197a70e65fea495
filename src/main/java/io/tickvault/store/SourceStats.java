package io.tickvault.store;

import java.time.Instant;

/** Row count, distinct symbols and timestamp range of a source table; first/last are null when empty. */
public record SourceStats(long rows, long symbols, Instant first, Instant last) {
  public static final SourceStats EMPTY = new SourceStats(0, 0, null, null);
}
