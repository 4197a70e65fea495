package io.tickvault.store.sqlite;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarGrid;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarFilter;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.MirrorStore.ChunkRecord;
import io.tickvault.store.MirrorStore.Dirty;
import io.tickvault.store.MirrorStore.LeftOutRecord;
import io.tickvault.store.MirrorStore.SourceCounts;
import io.tickvault.store.MirrorStore.State;
import io.tickvault.store.MirrorStore.SyncRow;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.StoreException;
import io.tickvault.store.WriteResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The operations of one sync transaction on the mirror's connection: the source tables through the
 * engine ({@link SqliteBarStore}), the mirror's own records through {@link MirrorRecords}. Its
 * statements (one bulk writer per source, the chunk records) are prepared once per transaction.
 * Not thread-safe; valid only inside the transaction ({@link #run}).
 */
final class SqliteSyncTx implements MirrorStore.SyncTx {
  private final SqliteBarStore engine;
  private final Connection c;
  private final Map<SourceName, SqliteBarStore.Upsert> upserts = new HashMap<>();
  private final Map<SourceName, BarGrid> grids = new HashMap<>();
  /** Sources whose chunk records this transaction wrote (their lineage is recomputed from them). */
  private final Set<SourceName> recordsWritten = new HashSet<>();
  private MirrorRecords.ChunkTable chunkTable;

  private SqliteSyncTx(SqliteBarStore engine, Connection c) {
    this.engine = engine;
    this.c = c;
  }

  /**
   * Runs {@code work} with a transaction on {@code c} (already begun by the caller, who commits or
   * rolls back); a SQL failure of one of its operations is thrown as the SQLException it was.
   */
  static <T> T run(SqliteBarStore engine, Connection c, MirrorStore.SyncWork<T> work) throws SQLException {
    SqliteSyncTx tx = new SqliteSyncTx(engine, c);
    try {
      return work.apply(tx);
    } catch (SqlFailure e) {
      throw e.sql(); // reported as any SQLException of the transaction
    } finally {
      tx.closeStatements();
    }
  }

  /**
   * A SQLException inside an operation: a {@link StoreException} to the caller (not a
   * {@link io.tickvault.store.StoredDataException}), unwrapped again when the transaction ends, so
   * it is reported as any SQL failure of the transaction.
   */
  private static final class SqlFailure extends StoreException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException e) {
      super(String.valueOf(e.getMessage()), e);
    }

    SQLException sql() {
      return (SQLException) getCause();
    }
  }

  /** An operation on the transaction's connection. */
  @FunctionalInterface
  private interface Op<T> {
    T run() throws SQLException;
  }

  private static <T> T sql(Op<T> op) {
    try {
      return op.run();
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** An operation with no result on the transaction's connection. */
  @FunctionalInterface
  private interface Step {
    void run() throws SQLException;
  }

  private static void run(Step op) {
    try {
      op.run();
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  private void closeStatements() throws SQLException {
    for (SqliteBarStore.Upsert u : upserts.values()) {
      u.close();
    }
    upserts.clear();
    if (chunkTable != null) {
      chunkTable.close();
      chunkTable = null;
    }
  }

  private MirrorRecords.ChunkTable chunkTable() throws SQLException {
    if (chunkTable == null) {
      chunkTable = new MirrorRecords.ChunkTable(c);
    }
    return chunkTable;
  }

  @Override
  public void ensureRecords() {
    run(() -> MirrorRecords.ensure(c));
  }

  @Override
  public void spillEarly() {
    run(() -> MirrorRecords.spillEarly(c));
  }

  @Override
  public State state() {
    return sql(() -> MirrorRecords.readState(c));
  }

  @Override
  public void writeState(State state) {
    run(() -> MirrorRecords.writeState(c, state));
  }

  @Override
  public String changeMark() {
    return sql(() -> MirrorRecords.changeMark(c));
  }

  @Override
  public void writeChangeMark(String mark) {
    run(() -> MirrorRecords.writeChangeMark(c, mark));
  }

  @Override
  public void writeLeftOut(LeftOutRecord leftOut) {
    run(() -> MirrorRecords.writeLeftOut(c, leftOut));
  }

  @Override
  public List<SourceName> sourceTables() {
    return sql(() -> engine.sourceTables(c));
  }

  @Override
  public long read(SourceName name, BarFilter filter, Consumer<Bar> sink) {
    return sql(() -> engine.readBars(c, name, filter, sink));
  }

  @Override
  public void chunks(SourceName name, Consumer<Chunk> sink) {
    run(() -> engine.chunksOf(c, name, sink));
  }

  @Override
  public long deleteKeys(SourceName name, Symbol symbol, Collection<Instant> timestamps) {
    if (timestamps.isEmpty()) {
      return 0;
    }
    return sql(() -> {
      long n = 0;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName()
          + " WHERE symbol = ? AND \"timestamp\" = ?")) {
        for (Instant t : timestamps) {
          ps.setString(1, symbol.value());
          ps.setLong(2, SqliteDialect.micros(t));
          n += ps.executeUpdate();
        }
      }
      return n;
    });
  }

  /**
   * Creates (or updates) the mirror's copy of a production source, with its registry entry and
   * model: later writes of this transaction into it are checked against its width and zone
   * (none for a source without a width or marked mixed: the mirror copies what production holds).
   */
  @Override
  public void createSource(SourceRecord source) {
    SourceName name = source.name();
    run(() -> {
      engine.createSourceTable(c, name);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_sources (name, kind, description, "
          + "created_at, timeframe, timezone, mixed) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
          + "kind = excluded.kind, description = excluded.description, created_at = excluded.created_at, "
          + "timeframe = excluded.timeframe, timezone = excluded.timezone, mixed = excluded.mixed")) {
        ps.setString(1, name.value());
        ps.setString(2, source.kind().label());
        ps.setString(3, source.description());
        ps.setLong(4, SqliteDialect.micros(source.createdAt() == null ? Instant.now() : source.createdAt()));
        ps.setString(5, source.width() == null ? null : source.width().cliName());
        ps.setString(6, source.zone().getId());
        ps.setString(7, source.mixed());
        ps.executeUpdate();
      }
    });
    if (source.mixed() == null && source.grid() != null) {
      grids.put(name, source.grid());
    } else {
      grids.remove(name);
    }
  }

  @Override
  public void dropSource(SourceName name) {
    run(() -> {
      SqliteBarStore.Upsert cached = upserts.remove(name);
      if (cached != null) {
        cached.close();
      }
      SqliteBarStore.dropSourceTable(c, name);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tickvault_sources WHERE name = ?")) {
        ps.setString(1, name.value());
        ps.executeUpdate();
      }
    });
  }

  @Override
  public long delete(SourceName name, BarFilter filter) {
    return sql(() -> engine.deleteBars(c, name, filter));
  }

  /**
   * Writes bars through the validation gate (including the grid of the source's width and zone,
   * as copied by {@link #createSource}); returns what the write did.
   */
  @Override
  public WriteResult write(SourceName target, Iterator<Bar> bars) {
    return sql(() -> {
      SqliteBarStore.Upsert u = upserts.get(target);
      if (u == null) {
        u = new SqliteBarStore.Upsert(c, target);
        upserts.put(target, u);
      }
      return SqliteBarStore.writeGated(u, target, bars, grids.get(target));
    });
  }

  @Override
  public ChunkRecord findChunk(Chunk chunk) {
    return sql(() -> chunkTable().find(chunk));
  }

  @Override
  public void putChunk(ChunkRecord record) {
    recordsWritten.add(record.chunk().source());
    run(() -> chunkTable().put(record));
  }

  @Override
  public void removeChunk(Chunk chunk) {
    recordsWritten.add(chunk.source());
    run(() -> chunkTable().remove(chunk));
  }

  @Override
  public List<ChunkRecord> recordedChunks(SourceName source) {
    return sql(() -> MirrorRecords.chunks(c, source));
  }

  @Override
  public long recordedRows(SourceName source) {
    return sql(() -> {
      // the lineage row holds the sum of the records as the last sync that wrote them left it; a
      // sum over the records costs their number (grows with the mirror)
      Long rows = recordsWritten.contains(source) ? null : MirrorRecords.lineageRows(c, source);
      return rows != null ? rows : MirrorRecords.recordedRows(c, source);
    });
  }

  @Override
  public String recordedGeneration(SourceName source) {
    return sql(() -> MirrorRecords.generation(c, source));
  }

  @Override
  public void forgetSource(SourceName source) {
    recordsWritten.add(source);
    run(() -> MirrorRecords.forgetSource(c, source));
  }

  @Override
  public void refreshSource(SourceName source, SourceKind kind, LocalDate since, Instant syncedAt,
      String generation) {
    run(() -> {
      // recomputed from the records (cost: their number) only when this transaction wrote them
      if (recordsWritten.contains(source)
          || !MirrorRecords.touchSource(c, source, kind, since, syncedAt, generation)) {
        MirrorRecords.refreshSource(c, source, kind, since, syncedAt, generation);
      }
    });
  }

  @Override
  public void dropGuards(SourceName source) {
    run(() -> MirrorRecords.dropGuards(c, source));
  }

  @Override
  public void createGuards(SourceName source) {
    run(() -> MirrorRecords.createGuards(c, source));
  }

  @Override
  public boolean hasGuards(SourceName source) {
    return sql(() -> MirrorRecords.hasGuards(c, source));
  }

  @Override
  public Dirty dirty() {
    return sql(() -> MirrorRecords.dirty(c));
  }

  @Override
  public void clearDirty() {
    run(() -> MirrorRecords.clearDirty(c));
  }

  @Override
  public void logSync(SyncRow row, String productionId, List<SourceCounts> perSource, List<String> notes) {
    run(() -> MirrorRecords.logSync(c, row, productionId, perSource, notes));
  }

  @Override
  public void logFailure(Instant started, Instant finished, String mode, String production, String productionId,
      String sources, String error) {
    run(() -> MirrorRecords.logFailure(c, started, finished, mode, production, productionId, sources, error));
  }
}
