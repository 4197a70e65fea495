package io.tickvault.mirror;

import java.time.Instant;
import java.util.List;

/**
 * What a mirror knows about itself: the identity of its production store (engine, host, port,
 * database and store id; never user or password), when it was last synced, and what it holds.
 * {@code productionHost}/{@code productionPort} are null for an embedded SQLite production store.
 */
public record Lineage(String productionEngine, String productionHost, Integer productionPort,
    String productionDatabase, String productionStoreId, Instant lastSyncAt, long syncCount,
    List<SourceLineage> sources) {

  /** Display form of the production identity, e.g. {@code postgresql://db1:5432/prod}. */
  public String productionLocation() {
    if ("postgresql".equals(productionEngine)) {
      return "postgresql://" + productionHost + ":" + productionPort + "/" + productionDatabase;
    }
    return "sqlite:" + productionDatabase;
  }
}
