package io.tickvault.store;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One database holding source tables ({@code price_ticks_<source>}) and tickvault's own metadata
 * tables ({@code tickvault_*}). Thread-safe: every method borrows a connection for its own
 * duration; no caller ever holds a raw connection.
 *
 * <p>Every write goes through {@link io.tickvault.domain.BarRules} and is atomic: a call either
 * lands whole or changes nothing. A read-only handle (the mirror) throws
 * {@link MirrorReadOnlyException} from every write method before touching the database.
 */
public interface BarStore extends AutoCloseable {

  StoreInfo info();

  default boolean readOnly() {
    return info().readOnly();
  }

  // ---- registry -----------------------------------------------------------------------------

  /**
   * Creates the source's table and registry entry if missing; idempotent. Returns the record.
   * {@code width} (null: taken from the first write) and {@code zone} (null: the existing zone, or
   * {@link io.tickvault.domain.BarGrid#DEFAULT_ZONE} for a new source) are the source model; an
   * existing source keeps its own: a different width or zone is refused once it holds bars.
   */
  SourceRecord createSource(SourceName name, SourceKind kind, String description, Timeframe width, ZoneId zone);

  /**
   * {@link #createSource(SourceName, SourceKind, String, Timeframe, ZoneId)} with a table layout:
   * {@link Partitioning#MONTHLY} needs an engine that partitions (PostgreSQL) and a source that does
   * not exist yet, or exists partitioned by month already; this default refuses it.
   */
  default SourceRecord createSource(SourceName name, SourceKind kind, String description, Timeframe width, ZoneId zone,
      Partitioning partitioning) {
    if (partitioning == Partitioning.MONTHLY) {
      throw new InvalidInputException("cannot partition source '" + name + "' by month: this store ("
          + info().location() + ") holds each source in one table");
    }
    return createSource(name, kind, description, width, zone);
  }

  /** How the source's table is laid out; {@link Partitioning#NONE} for a missing table. */
  default Partitioning partitioning(SourceName name) {
    return Partitioning.NONE;
  }

  /** {@link #createSource(SourceName, SourceKind, String, Timeframe, ZoneId)} without a width or zone. */
  default SourceRecord createSource(SourceName name, SourceKind kind, String description) {
    return createSource(name, kind, description, null, null);
  }

  /** Registered sources and existing source tables, sorted by name. */
  List<SourceRecord> sources();

  Optional<SourceRecord> source(SourceName name);

  /** The source, which must have a table; otherwise {@link io.tickvault.domain.NotFoundException}. */
  SourceRecord requireSource(SourceName name);

  /** Drops the table and the registry entry (used by mirror sync and tests). */
  void dropSource(SourceName name);

  // ---- statistics ---------------------------------------------------------------------------

  SourceStats stats(SourceName name, BarFilter filter);

  List<SymbolStats> symbolStats(SourceName name);

  /**
   * The timestamp of the source's earliest bar, or null when it holds none. Engines find it through
   * the (symbol, timestamp) key, one lookup per symbol, without scanning the table.
   */
  default java.time.Instant firstTimestamp(SourceName name) {
    return stats(name, BarFilter.ALL).first();
  }

  List<OriginCount> origins(SourceName name, BarFilter filter);

  /**
   * Rows per UTC day (by bar timestamp) from {@code from} on, in one query; days without rows are
   * absent. Used by {@code tickvault health} for a source's growth over the last days.
   */
  java.util.SortedMap<java.time.LocalDate, Long> rowsPerDay(SourceName name, java.time.Instant from);

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Writes bars of the declared {@code width} into the source's table, upserting on (symbol,
   * timestamp), in one transaction. Refused before anything is written when the source holds bars
   * of another width ({@link io.tickvault.domain.WidthMismatchException}) or is marked mixed; a
   * source without a width yet takes this one. Every bar passes the validation gate first,
   * including its place on the source's grid ({@link io.tickvault.domain.BarGrid}); the first bad
   * bar fails the whole call with its position ("row N") in the message and nothing is written.
   * Streams: memory use does not depend on the number of bars.
   */
  WriteResult write(SourceName target, Timeframe width, Iterator<Bar> bars);

  /**
   * Deletes the bars selected by {@code clear}, then writes {@code bars} (of the declared width,
   * as in {@link #write}), in one transaction: the replacement lands whole or not at all.
   */
  WriteResult replace(SourceName target, Timeframe width, BarFilter clear, Iterator<Bar> bars);

  /** Deletes the selected bars in one transaction; returns the number deleted. */
  long delete(SourceName name, BarFilter filter);

  /**
   * Deletes the stored rows equal to {@code rows} in every column, origin included, in one
   * transaction; returns the number deleted. A row whose values changed since it was read (same
   * key, other values) stays: a retention run that archived a month, or a split that read a
   * source, never deletes a value it did not see. A source marked mixed is looked at again
   * afterwards: when its rows now agree on one width, that becomes its width.
   */
  long deleteRows(SourceName name, Iterator<Bar> rows);

  // ---- reads --------------------------------------------------------------------------------

  /** Streams the selected bars ordered by symbol, then timestamp. Returns the number read. */
  long read(SourceName name, BarFilter filter, Consumer<Bar> sink);

  /** The newest bar of a symbol, if any. */
  Optional<Bar> last(SourceName name, Symbol symbol);

  /**
   * The timestamp of a symbol's bar number {@code n} (0 is the oldest) in the range, or empty when
   * the range holds {@code n} bars or fewer. Walks the (symbol, timestamp) key only, reading no
   * other column and aggregating nothing: the history API sizes a page's window with it.
   */
  Optional<java.time.Instant> nthTimestamp(SourceName name, Symbol symbol, TimeRange range, long n);

  /**
   * Aggregates one symbol's bars into candles of the given width in the database, oldest first,
   * streaming them to the sink. Returns the number of candles.
   */
  long aggregate(SourceName name, Symbol symbol, TimeRange range, Timeframe width, Consumer<Candle> sink);

  // ---- ingest log ---------------------------------------------------------------------------

  /** Records the start of a run; returns its id. */
  long startIngest(SourceName source, String origin, String feed, String symbols, TimeRange range);

  /** Records the end of a run: {@code status} is {@link IngestStatus#OK} or {@link IngestStatus#FAILED}. */
  void finishIngest(long id, long rows, IngestStatus status, String detail);

  /** Newest first; {@code source} may be null for all sources. */
  List<IngestRecord> ingestLog(SourceName source, int limit);

  // ---- the last validate run of each source -------------------------------------------------

  /** Records the summary of a validate run over every symbol of its source, replacing the previous one. */
  void recordValidation(ValidationRecord record);

  /** The summary of the source's last recorded validate run, or empty (none, or a store older than the table). */
  Optional<ValidationRecord> lastValidation(SourceName source);

  // ---- tickvault's own small state (collector status) ----------------------------------------

  /**
   * A value tickvault keeps about itself under {@code key} in {@code tickvault_meta} (e.g. the
   * status a collector publishes), or empty. Keys of the engines' own entries (schema version,
   * change sequence, store id, role) are not for callers.
   */
  default Optional<String> meta(String key) {
    return Optional.empty();
  }

  /** Sets {@code key} to {@code value} in {@code tickvault_meta} (one statement, upsert). */
  default void putMeta(String key, String value) {
    throw new UnsupportedOperationException("this store keeps no metadata");
  }

  /**
   * Takes a named lock held by this process until the returned handle is closed or the process
   * dies (PostgreSQL: a session advisory lock on a connection held for the purpose; SQLite: an OS
   * lock on a file beside the database). Empty when another holder has it, in this process or any
   * other. Used so that two collectors never write one source.
   */
  default Optional<AutoCloseable> tryLock(String name) {
    throw new UnsupportedOperationException("this store cannot take locks");
  }

  // ---- change tracking (production side of the mirror) --------------------------------------

  /**
   * Chunks changed since {@code sinceToken} (exclusive of what that token saw), by any writer the
   * engine can track. Pass {@code -1} to get only the current token with no chunks.
   */
  ChangeSet changesSince(long sinceToken);

  /**
   * Leaves a mark in the change log as of now and returns it, so that a reader that followed the
   * log up to here (a sync, after reading production's rows) can later prove with
   * {@link #changeLogBreak} that the log it reads then continues this one: a store restored from a
   * backup taken before the mark, or replaced by another copy with the same store id, does not hold
   * it. Null when the engine cannot mark its log (then only its position can be compared). SQLite:
   * a random id kept in {@code tickvault_change_marks} (one small row per call). PostgreSQL: no
   * write; the cluster's system identifier, the database's OID and the cluster's timeline, which
   * change when a dump is restored into a new cluster or database, or the cluster is recovered to
   * an earlier point in time.
   */
  default String markChangeLog() {
    return null;
  }

  /**
   * Why this store's change log may not continue the one in which {@code mark} (from
   * {@link #markChangeLog}, possibly null when none was kept) was made, in words for the user; null
   * when it provably does, or when the engine cannot tell (no marks).
   */
  default String changeLogBreak(String mark) {
    return null;
  }

  /** Every chunk that currently holds data in the source, with its row count. */
  void chunks(SourceName name, Consumer<Chunk> sink);

  /**
   * The generation of the source's table: an opaque text that changes whenever the table is
   * dropped and created again (by tickvault or by anyone else), so a mirror can tell "the same
   * table, changed" from "a new table with the same name". PostgreSQL: the table's OID. SQLite
   * production: an id tickvault writes when it creates the table or installs its change tracking.
   * Null when the table does not exist or its generation is unknown (a table tickvault did not set
   * up); callers must then treat the source as possibly replaced and compare it in full.
   */
  default String generation(SourceName name) {
    return null;
  }

  @Override
  void close();
}
