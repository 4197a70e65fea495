package io.tickvault.server;

import io.tickvault.mirror.Freshness;
import io.tickvault.mirror.Lineage;
import io.tickvault.store.BarStore;
import io.tickvault.store.StoreException;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the API needs from the mirror module: freshness and lineage of the read-only mirror, and
 * a sync of production into it. Thread-safe.
 *
 * <p>PENDING: {@code io.tickvault.mirror.MirrorService} has not landed on main yet. Each method
 * below maps 1:1 onto its agreed API ({@code freshness}, {@code lineage}, {@code sync} with
 * {@code SyncOptions(Set.of(), null, false)}); until then they refuse with a clear 503.
 */
final class MirrorAccess {
  /** What one sync did. */
  record SyncOutcome(boolean full, long rowsAdded, long rowsChanged, long rowsDeleted, long chunksSynced,
      Duration elapsed, Lineage lineage) {}

  MirrorAccess(Clock clock) {
    // the MirrorService will be built from this clock
  }

  Freshness freshness(SqliteBarStore mirror, Duration staleAfter) {
    throw pending();
  }

  Optional<Lineage> lineage(SqliteBarStore mirror) {
    throw pending();
  }

  SyncOutcome sync(BarStore production, Path mirrorFile) {
    throw pending();
  }

  private static StoreException pending() {
    return new StoreException("mirror mode is not available in this build: the mirror service has not been "
        + "built yet; use DATA_MODE=live");
  }
}
