package io.tickvault.store.jdbc;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TickvaultException;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Candle;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.IngestStatus;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.OriginCount;
import io.tickvault.store.Partitioning;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SourceStats;
import io.tickvault.store.SourceTable;
import io.tickvault.store.StoreException;
import io.tickvault.store.StoreInfo;
import io.tickvault.store.SymbolStats;
import io.tickvault.store.ValidationRecord;
import io.tickvault.store.WriteResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * A {@link BarStore} over JDBC, composed of small parts: the engine's {@link SqlDialect}, a
 * {@link Connections} source, the {@link Registry} of sources, the {@link RunLog} of ingest and
 * validate runs, and the shared {@link BarReads} and {@link BarWrites}. An engine adds only what is
 * its own: how it opens connections, its DDL and change tracking, and its bulk write path.
 * Thread-safe: each operation borrows its own connection. Table names are only ever built from
 * validated {@link SourceName}s.
 */
public abstract class JdbcBarStore implements BarStore {

  /** The columns of a source table, in the order every read and write of a store uses. */
  protected static final String COLUMNS = SourceTable.SELECT_LIST;

  private final StoreInfo info;
  /** The engine's SQL dialect. */
  protected final SqlDialect dialect;
  private final Connections connections;
  private final Registry registry;
  private final RunLog runs;
  private final BarReads reads;
  private final BarWrites writes;

  protected JdbcBarStore(StoreInfo info, SqlDialect dialect) {
    this.info = info;
    this.dialect = dialect;
    this.connections = new Connections(this::connect, this::failure, this::prepareStreaming);
    this.registry = new Registry(this, connections, dialect);
    this.runs = new RunLog(this, connections, dialect);
    this.reads = new BarReads(this, connections, dialect, registry);
    this.writes = new BarWrites(this, connections, dialect, registry, reads);
  }

  // ---- what the engine supplies ---------------------------------------------------------------

  /** A connection with auto-commit on; the caller closes it. */
  protected abstract Connection connect() throws SQLException;

  /** Sets up a streaming read on the connection (e.g. auto-commit off for a cursor). */
  protected void prepareStreaming(Connection c) throws SQLException {}

  /** The error for a failed operation; engines name causes the user can act on (a full disk). */
  protected StoreException failure(String what, SQLException e) {
    return StoreException.failed(what, info.location(), e);
  }

  /** Creates the table (and engine-specific triggers) if missing. */
  protected abstract void createTable(Connection c, SourceName name) throws SQLException;

  /**
   * {@link #createTable(Connection, SourceName)} with a layout; only an engine that
   * {@link #partitions()} is asked for anything but {@code NONE}.
   */
  protected void createTable(Connection c, SourceName name, Partitioning partitioning)
      throws SQLException {
    createTable(c, name);
  }

  /** Names of existing {@code price_ticks_*} tables. */
  protected abstract List<String> tableNames(Connection c) throws SQLException;

  /**
   * Bulk-writes already validated, normalised bars inside the caller's transaction (auto-commit
   * off), upserting on (symbol, timestamp), the later of two input rows with one key winning.
   * {@code bars} is the {@link GateIterator}, which tells for each bar whether it repeats a key of
   * an earlier input row ({@link GateIterator#lastWasRepeat()}). Returns what the write did to the
   * table, counted in the same transaction.
   */
  protected abstract Written bulkWrite(Connection c, SourceName target, GateIterator bars) throws SQLException;

  /**
   * What a bulk write did to the table: keys added, keys replaced with different values, keys
   * written again with the same values (distinct keys; repeats inside the input are not counted),
   * and, when the engine counted them itself, the input rows that repeated an earlier key
   * ({@code -1}: the gate's count is used).
   */
  public record Written(long added, long replaced, long unchanged, long repeated) {
    public Written(long added, long replaced, long unchanged) {
      this(added, replaced, unchanged, -1);
    }
  }

  /** Engine bookkeeping after a write, inside the same transaction (e.g. recording chunks). */
  protected void afterWrite(Connection c, SourceName target, Set<Chunk> chunks) throws SQLException {}

  /** Engine bookkeeping after a delete, inside the same transaction. */
  protected void afterDelete(Connection c, SourceName target, BarFilter filter) throws SQLException {}

  /** Engine bookkeeping after a source's table was dropped, inside the same transaction. */
  protected void afterDrop(Connection c, SourceName name) throws SQLException {}

  /**
   * Deletes the rows {@code filter} selects, inside the caller's transaction; returns how many. An
   * engine that records its own writes' changes does it here.
   */
  protected long deleteWhere(Connection c, SourceName name, BarFilter filter) throws SQLException {
    return writes.deleteWhere(c, name, filter);
  }

  /**
   * Deletes, inside the caller's transaction, the rows of {@code name} equal to {@code rows} in
   * every column; returns the number deleted. By default batches of keyed DELETEs; an engine may do
   * it in bulk.
   */
  protected long deleteEqualRows(Connection c, SourceName name, Iterator<Bar> rows) throws SQLException {
    return writes.deleteEqualRows(c, name, rows);
  }

  // ---- the parts, for the engine --------------------------------------------------------------

  /** The connection source. */
  protected final Connections connections() {
    return connections;
  }

  /** The registry of sources and of the store. */
  protected final Registry registry() {
    return registry;
  }

  /** The shared reads. */
  protected final BarReads reads() {
    return reads;
  }

  /** Runs work on a borrowed connection (auto-commit on). */
  protected final <T> T withConnection(String what, Connections.Work<T> work) {
    return connections.with(what, work);
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  protected final <T> T inTransaction(String what, Connections.Work<T> work) {
    return connections.inTransaction(what, work);
  }

  /** Refuses {@code operation} on a read-only store (the mirror). */
  protected final void requireWritable(String operation) {
    if (info.readOnly()) {
      throw MirrorReadOnlyException.refused(operation, info.location());
    }
  }

  /** Wraps an unexpected failure of a background task into the store's exception type. */
  protected final StoreException wrap(String what, Throwable t) {
    if (t instanceof StoreException se) {
      return se;
    }
    if (t instanceof TickvaultException te) {
      throw te;
    }
    return StoreException.failed(what, info.location(), t);
  }

  // ---- BarStore -------------------------------------------------------------------------------

  @Override
  public StoreInfo info() {
    return info;
  }

  @Override
  public Optional<String> meta(String key) {
    return registry.meta(key);
  }

  @Override
  public void putMeta(String key, String value) {
    registry.putMeta(key, value);
  }

  @Override
  public SourceRecord createSource(SourceName name, SourceKind kind, String description, Timeframe width,
      ZoneId zone) {
    return registry.create(name, kind, description, width, zone, Partitioning.NONE);
  }

  @Override
  public SourceRecord createSource(SourceName name, SourceKind kind, String description, Timeframe width,
      ZoneId zone, Partitioning partitioning) {
    String no = partitioning == Partitioning.MONTHLY ? whyNoPartitions() : null;
    if (no != null) {
      throw new InvalidInputException("cannot partition source '" + name + "' by month: " + no);
    }
    return registry.create(name, kind, description, width, zone, partitioning);
  }

  /**
   * Why this store cannot partition a source's table by month, or null when it can
   * ({@code createTable} is then asked for {@code MONTHLY}).
   */
  protected String whyNoPartitions() {
    return "partitioning needs a PostgreSQL store, and this one is " + info().engine() + " (" + info().location()
        + "); a SQLite store holds each source in one table";
  }

  @Override
  public List<SourceRecord> sources() {
    return registry.all();
  }

  @Override
  public Optional<SourceRecord> source(SourceName name) {
    return registry.find(name);
  }

  @Override
  public SourceRecord requireSource(SourceName name) {
    return registry.require(name);
  }

  @Override
  public void dropSource(SourceName name) {
    registry.drop(name);
  }

  @Override
  public SourceStats stats(SourceName name, BarFilter filter) {
    return reads.stats(name, filter);
  }

  @Override
  public Instant firstTimestamp(SourceName name) {
    return reads.firstTimestamp(name);
  }

  @Override
  public List<SymbolStats> symbolStats(SourceName name) {
    return reads.symbolStats(name);
  }

  @Override
  public List<OriginCount> origins(SourceName name, BarFilter filter) {
    return reads.origins(name, filter);
  }

  @Override
  public WriteResult write(SourceName target, Timeframe width, Iterator<Bar> bars) {
    return writes.write(target, width, bars);
  }

  @Override
  public WriteResult replace(SourceName target, Timeframe width, BarFilter clear, Iterator<Bar> bars) {
    return writes.replace(target, width, clear, bars);
  }

  @Override
  public long delete(SourceName name, BarFilter filter) {
    return writes.delete(name, filter);
  }

  @Override
  public long deleteRows(SourceName name, Iterator<Bar> rows) {
    return writes.deleteRows(name, rows);
  }

  @Override
  public long read(SourceName name, BarFilter filter, Consumer<Bar> sink) {
    return reads.read(name, filter, sink);
  }

  @Override
  public Optional<Bar> last(SourceName name, Symbol symbol) {
    return reads.last(name, symbol);
  }

  @Override
  public Optional<Instant> nthTimestamp(SourceName name, Symbol symbol, TimeRange range, long n) {
    return reads.nthTimestamp(name, symbol, range, n);
  }

  @Override
  public long aggregate(SourceName name, Symbol symbol, TimeRange range, Timeframe width, Consumer<Candle> sink) {
    return reads.aggregate(name, symbol, range, width, sink);
  }

  @Override
  public void chunks(SourceName name, Consumer<Chunk> sink) {
    reads.chunks(name, sink);
  }

  @Override
  public SortedMap<LocalDate, Long> rowsPerDay(SourceName name, Instant from) {
    return reads.rowsPerDay(name, from);
  }

  @Override
  public void recordValidation(ValidationRecord r) {
    runs.recordValidation(r);
  }

  @Override
  public Optional<ValidationRecord> lastValidation(SourceName source) {
    return runs.lastValidation(source);
  }

  @Override
  public long startIngest(SourceName source, String origin, String feed, String symbols, TimeRange range) {
    return runs.startIngest(source, origin, feed, symbols, range);
  }

  @Override
  public void finishIngest(long id, long rows, IngestStatus status, String detail) {
    runs.finishIngest(id, rows, status, detail);
  }

  @Override
  public List<IngestRecord> ingestLog(SourceName source, int limit) {
    return runs.ingestLog(source, limit);
  }
}
