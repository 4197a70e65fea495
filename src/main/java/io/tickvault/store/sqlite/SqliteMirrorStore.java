package io.tickvault.store.sqlite;

import io.tickvault.domain.SourceName;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.StoreInfo;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A mirror: the SQLite engine ({@link SqliteBarStore}, opened {@link Mode#READ_ONLY} or, by sync
 * only, {@link Mode#MIRROR_SYNC}) plus the mirror's own records ({@link MirrorRecords}) and its one
 * write path, the sync transaction ({@link SqliteSyncTx}). Thread-safe as the engine: each
 * operation opens its own connection.
 */
public final class SqliteMirrorStore extends SqliteBarStore implements MirrorStore {

  private SqliteMirrorStore(StoreInfo info, Mode mode) {
    super(info, mode);
  }

  /** Opens the mirror at {@code file}: {@link Mode#READ_ONLY}, or {@link Mode#MIRROR_SYNC} for sync. */
  public static SqliteMirrorStore open(Path file, Mode mode) {
    if (mode == Mode.PRODUCTION) {
      throw new IllegalArgumentException("a mirror is opened read-only or for sync, never as a production store");
    }
    return new SqliteMirrorStore(prepare(file, mode), mode);
  }

  @Override
  public <T> T inSyncTransaction(MirrorStore.SyncWork<T> work) {
    if (mode() != Mode.MIRROR_SYNC) {
      throw MirrorReadOnlyException.refused("sync transaction on a non-sync handle", info().location());
    }
    return inTransaction("sync into mirror", c -> SqliteSyncTx.run(this, c, work));
  }

  /**
   * Copies everything committed in the write-ahead log into the file and truncates the log, so a
   * mirror at rest is one self-contained file. Best effort: readers still inside a read
   * transaction may keep part of the log; it stays valid and is folded in next time.
   */
  @Override
  public void checkpoint() {
    if (mode() == Mode.READ_ONLY) {
      return;
    }
    withConnection("checkpoint " + file(), c -> {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return null;
    });
  }

  @Override
  public State state() {
    return withReadConnection(MirrorRecords::readState);
  }

  @Override
  public String changeMark() {
    return withReadConnection(MirrorRecords::changeMark);
  }

  @Override
  public LeftOutRecord leftOut() {
    return withReadConnection(MirrorRecords::readLeftOut);
  }

  @Override
  public List<ChunkRecord> recordedChunks(SourceName source) {
    return withReadConnection(c -> MirrorRecords.chunks(c, source));
  }

  @Override
  public String recordedGeneration(SourceName source) {
    return withReadConnection(c -> MirrorRecords.generation(c, source));
  }

  @Override
  public List<SourceRow> sourceLineage() {
    return withReadConnection(MirrorRecords::sourceLineage);
  }

  @Override
  public Map<SourceName, Instant> dataThrough(List<SourceName> sources, Instant now) {
    return withReadConnection(c -> MirrorRecords.dataThrough(c, sources, now));
  }

  @Override
  public List<Attempt> attempts(int limit) {
    return withReadConnection(c -> MirrorRecords.attempts(c, limit));
  }

  @Override
  public List<SyncRow> syncLog(int limit) {
    return withReadConnection(c -> MirrorRecords.syncLog(c, limit));
  }

  @Override
  public String quickCheck() {
    return withReadConnection(MirrorRecords::quickCheck);
  }

  @Override
  public String notAMirror() {
    return withReadConnection(c -> {
      if (MirrorRecords.hasTable(c, "tickvault_changes")) {
        return "it keeps a change log, so it is a production store";
      }
      if (!MirrorRecords.hasTable(c, "tickvault_lineage") && MirrorRecords.hasOtherTables(c)) {
        return "it holds tables but no mirror lineage";
      }
      return null;
    });
  }
}
