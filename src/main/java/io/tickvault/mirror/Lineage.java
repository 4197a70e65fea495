package io.tickvault.mirror;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What a mirror knows about itself: the identity of its production store (engine, host, port,
 * database and store id; never user or password), when it was last synced, and what it holds.
 * {@code productionHost}/{@code productionPort} are null for an embedded SQLite production store.
 * {@code selection} is {@code *} for every production source or a comma-separated list;
 * {@code since} the first mirrored UTC day (null: everything). {@code recentSyncs} are the newest
 * successful syncs, newest first. Immutable.
 */
public record Lineage(String productionEngine, String productionHost, Integer productionPort,
    String productionDatabase, String productionStoreId, Instant lastSyncAt, long syncCount,
    List<SourceLineage> sources, io.tickvault.store.SyncSelection selection, LocalDate since, List<SyncRecord> recentSyncs) {

  /** Display form of the production identity, e.g. {@code postgresql://db1:5432/prod}. */
  public String productionLocation() {
    if ("postgresql".equals(productionEngine)) {
      return "postgresql://" + productionHost + ":" + productionPort + "/" + productionDatabase;
    }
    return "sqlite:" + productionDatabase;
  }
}
