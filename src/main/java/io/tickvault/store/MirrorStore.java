package io.tickvault.store;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The mirror's side of the store: a {@link BarStore} (read-only unless opened for sync) plus the
 * mirror's own records (lineage, per-chunk checksums, the sync log, the chunks changed outside
 * sync) and its one write path, {@link #inSyncTransaction}. The {@code mirror} package plans and
 * checks; every table, trigger and statement lives in the engine ({@code store.sqlite}).
 *
 * <p>Timestamps are kept as microseconds since the epoch, days as days since the epoch, as in
 * the source tables. Failures are {@link StoreException}s (rows refused by the validation gate:
 * {@link io.tickvault.domain.InvalidInputException}). Thread-safe as {@link BarStore}; a
 * {@link SyncTx} is confined to the thread of its transaction.
 */
public interface MirrorStore extends BarStore {

  /** Persistent sync state of a mirror; fields are null before the first sync. */
  record State(String engine, String host, Integer port, String database, String storeId, Long token,
      SyncSelection selection, LocalDate since, Instant lastSyncAt, long syncCount) {
    public static final State NEVER = new State(null, null, null, null, null, null, SyncSelection.ALL, null, null, 0);

    public boolean synced() {
      return lastSyncAt != null;
    }
  }

  /** A recorded chunk: its rows, SHA-256 and first and last timestamp. */
  record ChunkRecord(Chunk chunk, long rows, String sha256, Instant first, Instant last) {}

  /** What the last sync recorded as left out of the selection (sources, sources with bars before since). */
  record LeftOutRecord(List<SourceName> sources, List<SourceName> sourcesBefore, Instant firstBefore) {}

  /** A source's lineage row; {@code timeframe} and {@code timezone} from the copied registry (null: unknown). */
  record SourceRow(SourceName source, SourceKind kind, long rows, long symbols, Instant first, Instant last,
      LocalDate since, Instant syncedAt, String timeframe, String timezone) {}

  /** Per-source counts of one logged sync; {@code action} in lower case (copied, updated, dropped). */
  record SourceCounts(SourceName source, String action, long chunksChecked, long chunksChanged, long rowsAdded,
      long rowsChanged, long rowsDeleted) {}

  /** One successful sync as logged. */
  record SyncRow(Instant started, Instant finished, String mode, String production, String sources,
      LocalDate since, long chunksChecked, long chunksChanged, long rowsAdded, long rowsChanged, long rowsDeleted,
      long token) {}

  /** One logged attempt, successful or not. */
  record Attempt(long id, Instant started, Instant finished, String mode, boolean ok, String production,
      String productionStoreId, String sources, long chunksChecked, long chunksChanged, long rowsAdded,
      long rowsChanged, long rowsDeleted, List<SourceCounts> perSource, List<String> notes, String error) {}

  /**
   * Chunks recorded as changed outside sync, and the sources with such a change that cannot even be
   * named as a chunk (a symbol edited into an invalid one): those are rebuilt whole.
   */
  record Dirty(Set<Chunk> chunks, Set<SourceName> rebuild) {}

  // ---- reading (any handle) -------------------------------------------------------------------

  /** The sync state; {@link State#NEVER} before the first sync. */
  State state();

  /** The mark production's change log got at the last sync (see {@link BarStore#markChangeLog}); null when none. */
  String changeMark();

  /** What the last sync left out; empty lists for a mirror synced before this was recorded. */
  LeftOutRecord leftOut();

  /** Recorded chunks of a source, ordered by symbol then day. */
  List<ChunkRecord> recordedChunks(SourceName source);

  /** The generation of production's table recorded by the last sync of the source; null when none. */
  String recordedGeneration(SourceName source);

  /** Per-source lineage, ordered by source. */
  List<SourceRow> sourceLineage();

  /**
   * Per source, the newest bar at or before {@code now}: recorded chunk ends where a whole chunk
   * lies before now, one indexed lookup per symbol for the chunks that straddle now.
   */
  Map<SourceName, Instant> dataThrough(List<SourceName> sources, Instant now);

  /** Every logged attempt, newest first, at most {@code limit}. */
  List<Attempt> attempts(int limit);

  /** The newest {@code limit} successful syncs, newest first. */
  List<SyncRow> syncLog(int limit);

  /** The file's own integrity check: null when sound, else the first problems the engine names. */
  String quickCheck();

  /** Why the file is not a mirror (a production store's change log, foreign tables), or null. */
  String notAMirror();

  // ---- writing (a handle opened for sync) -----------------------------------------------------

  /** Folds everything committed into the file itself (best effort; nothing on a read-only handle). */
  void checkpoint();

  /** Work run by {@link #inSyncTransaction}. */
  @FunctionalInterface
  interface SyncWork<T> {
    T apply(SyncTx tx);
  }

  /**
   * The only way to change a mirror: one transaction that lands whole or not at all. Writes still
   * pass the validation gate. Refused ({@link MirrorReadOnlyException}) on a handle not opened for sync.
   */
  <T> T inSyncTransaction(SyncWork<T> work);

  /**
   * The operations of a sync transaction. Not thread-safe; valid only inside the transaction. A
   * failure of the engine itself (I/O, SQL) is a {@link StoreException} other than a
   * {@link StoredDataException}; rows stored with values no bar can hold fail otherwise.
   */
  interface SyncTx {
    /** Creates the mirror's record tables (and adds columns a mirror made by an older version lacks). */
    void ensureRecords();

    /** A tiny page cache, so the transaction's pages reach the write-ahead log as it goes (crash tests). */
    void spillEarly();

    State state();

    void writeState(State state);

    String changeMark();

    void writeChangeMark(String mark);

    void writeLeftOut(LeftOutRecord leftOut);

    /** Source tables present in the mirror (registered or not), ordered. */
    List<SourceName> sourceTables();

    /** Streams the selected bars of the mirror, ordered by symbol then timestamp. */
    long read(SourceName name, BarFilter filter, Consumer<Bar> sink);

    /** Every chunk that holds rows in the mirror's table of the source, ordered. */
    void chunks(SourceName name, Consumer<Chunk> sink);

    /** Creates (or updates) the mirror's copy of a production source, with its registry entry and model. */
    void createSource(SourceRecord source);

    /** Drops the mirror's table of a source and its registry entry (not its records). */
    void dropSource(SourceName name);

    long delete(SourceName name, BarFilter filter);

    /** Deletes the bars of {@code symbol} at the given timestamps; returns the rows deleted. */
    long deleteKeys(SourceName name, Symbol symbol, Collection<Instant> timestamps);

    /** Writes bars through the validation gate (with the width and zone copied by {@link #createSource}). */
    WriteResult write(SourceName target, Iterator<Bar> bars);

    /** A recorded chunk, or null. */
    ChunkRecord findChunk(Chunk chunk);

    void putChunk(ChunkRecord record);

    void removeChunk(Chunk chunk);

    List<ChunkRecord> recordedChunks(SourceName source);

    /** Sum of the recorded rows of a source. */
    long recordedRows(SourceName source);

    String recordedGeneration(SourceName source);

    /** Forgets a source's records (chunks, lineage, changes outside sync). */
    void forgetSource(SourceName source);

    /**
     * Recomputes a source's lineage row from its recorded chunks and records the generation of
     * production's table the rows were read from (null: unknown).
     */
    void refreshSource(SourceName source, SourceKind kind, LocalDate since, Instant syncedAt, String generation);

    /**
     * Guards record every chunk a writer other than sync changes (e.g. an UPDATE typed into the
     * sqlite3 shell), so the next sync repairs it. Sync drops them at the start of its transaction
     * and recreates them before it commits.
     */
    void dropGuards(SourceName source);

    void createGuards(SourceName source);

    /** Whether all of the source's guards exist. */
    boolean hasGuards(SourceName source);

    Dirty dirty();

    void clearDirty();

    /** Logs a successful sync with its per-source counts and notes. */
    void logSync(SyncRow row, String productionId, List<SourceCounts> perSource, List<String> notes);

    /** Logs a failed attempt (in a transaction of its own: the sync's was rolled back). */
    void logFailure(Instant started, Instant finished, String mode, String production, String productionId,
        String sources, String error);
  }
}
