package io.tickvault.mirror;

/**
 * Receives progress of a running sync: rows read from production so far and chunks compared with
 * the mirror so far. Called on the syncing thread; implementations should return quickly.
 */
@FunctionalInterface
public interface SyncProgress {
  void update(long rowsRead, long chunksApplied);
}
