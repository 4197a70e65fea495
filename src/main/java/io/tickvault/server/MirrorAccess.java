package io.tickvault.server;

import io.tickvault.mirror.Freshness;
import io.tickvault.mirror.Lineage;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.mirror.SyncRecord;
import io.tickvault.mirror.SyncReport;
import io.tickvault.store.BarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What the API needs from the mirror module ({@link MirrorService}): whether the mirror file
 * exists, its freshness, lineage and what its selection leaves out, and an incremental sync of production into it. Thread-safe
 * (the mirror service is; concurrent syncs of one file run one after the other).
 */
final class MirrorAccess {
  /** What one sync did. {@code full} is true for a first or full sync (every chunk compared). */
  record SyncOutcome(boolean full, long rowsAdded, long rowsChanged, long rowsDeleted, long chunksSynced,
      Duration elapsed, Lineage lineage) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MirrorAccess.class);

  private final MirrorService service;

  MirrorAccess(Path mirrorFile, Clock clock) {
    this.service = new MirrorService(mirrorFile, clock);
  }

  Path file() {
    return service.file();
  }

  boolean exists() {
    return service.exists();
  }

  Freshness freshness(Duration staleAfter) {
    return service.freshness(staleAfter);
  }

  Optional<Lineage> lineage() {
    return service.lineage();
  }

  /** What production held outside the mirror's selection at the last sync. */
  io.tickvault.mirror.LeftOut leftOut() {
    return service.leftOut();
  }

  /** The newest {@code limit} sync attempts, newest first. */
  java.util.List<io.tickvault.mirror.SyncLogEntry> syncLog(int limit) {
    return service.syncLog(limit);
  }

  /** Logs an attempt that failed before it could start (production unreachable). */
  void recordFailure(java.time.Instant started, String production, RuntimeException e) {
    service.recordFailure(started, production, SyncOptions.INCREMENTAL, e);
  }

  /** One sync, keeping the mirror's source selection and range (as {@code tickvault sync}). */
  SyncOutcome sync(BarStore production) {
    SyncReport r = service.sync(production, SyncOptions.INCREMENTAL);
    r.warnings().forEach(w -> LOG.warn("sync: {}", w));
    SyncRecord rec = r.record();
    return new SyncOutcome(rec.mode() != SyncRecord.Mode.INCREMENTAL, rec.rowsAdded(), rec.rowsChanged(),
        rec.rowsDeleted(), rec.chunksChanged(), rec.duration(), service.lineage().orElse(null));
  }
}
