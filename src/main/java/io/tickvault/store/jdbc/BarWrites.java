package io.tickvault.store.jdbc;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarGrid;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.Partitioning;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.WriteResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Every write both engines share: the write transaction (the source's model checked, the width
 * claimed, an optional clear, the bars through the {@link GateIterator} into the engine's bulk
 * path, the engine's bookkeeping) and the deletes. The engine supplies only its bulk write and
 * bookkeeping ({@link JdbcBarStore#bulkWrite}, {@link JdbcBarStore#afterWrite},
 * {@link JdbcBarStore#afterDelete}, and optionally a bulk {@link JdbcBarStore#deleteEqualRows}).
 * Thread-safe: each write is its own transaction on its own connection.
 */
final class BarWrites {
  private final JdbcBarStore store;
  private final Connections connections;
  private final SqlDialect dialect;
  private final Registry registry;
  private final BarReads reads;

  BarWrites(JdbcBarStore store, Connections connections, SqlDialect dialect, Registry registry, BarReads reads) {
    this.store = store;
    this.connections = connections;
    this.dialect = dialect;
    this.registry = registry;
    this.reads = reads;
  }

  public WriteResult write(SourceName target, Timeframe width, Iterator<Bar> bars) {
    return writeAfterClearing(target, width, null, bars);
  }

  public WriteResult replace(SourceName target, Timeframe width, BarFilter clear, Iterator<Bar> bars) {
    return writeAfterClearing(target, width, clear, bars);
  }

  private WriteResult writeAfterClearing(SourceName target, Timeframe width, BarFilter clear, Iterator<Bar> bars) {
    store.requireWritable("write into " + target);
    java.util.Objects.requireNonNull(width, "the width of the bars written");
    SourceRecord rec = registry.require(target);
    if (!rec.registered()) {
      // a table made by hand: register it, recording what its rows hold, before writing into it
      rec = registry.create(target, rec.kind(), null, null, null, Partitioning.NONE);
    }
    SourceRecord model = rec;
    Registry.requireWritableModel(model, width);
    BarGrid grid = new BarGrid(width, model.zone());
    boolean strict = model.kind() == SourceKind.GENERATED;
    Set<Chunk> chunks = new HashSet<>();
    return connections.inTransaction("write into " + target, c -> {
      if (model.width() == null) {
        registry.claimWidth(c, target, width);
      }
      long removed = 0;
      if (clear != null) {
        removed = store.deleteWhere(c, target, clear);
        store.afterDelete(c, target, clear);
      }
      GateIterator gate = new GateIterator(bars, target, chunks, grid, strict);
      JdbcBarStore.Written w = store.bulkWrite(c, target, gate);
      if (gate.hasNext()) {
        throw new IllegalStateException("engine stopped before the end of the input");
      }
      store.afterWrite(c, target, chunks);
      return gate.result(w, removed);
    });
  }

  public long delete(SourceName name, BarFilter filter) {
    store.requireWritable("clean " + name);
    SourceRecord rec = registry.require(name);
    return connections.inTransaction("delete from " + name, c -> {
      long n = store.deleteWhere(c, name, filter);
      store.afterDelete(c, name, filter);
      if (rec.mixed() != null && n > 0) {
        registry.remodel(c, rec);
      }
      return n;
    });
  }

  /**
   * Deletes, per batch of 1,000, the rows equal to the given bars in every column (NULLs equal):
   * the key finds the row, the values make sure it is still the row that was read.
   */
  public long deleteRows(SourceName name, Iterator<Bar> rows) {
    store.requireWritable("clean " + name);
    SourceRecord rec = registry.require(name);
    return connections.inTransaction("delete from " + name, c -> {
      long n = store.deleteEqualRows(c, name, rows);
      if (rec.mixed() != null && n > 0) {
        registry.remodel(c, rec);
      }
      return n;
    });
  }

  /** Deletes the rows {@code filter} selects, inside the caller's transaction; returns how many. */
  long deleteWhere(Connection c, SourceName name, BarFilter filter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName() + BarReads.where(filter))) {
      reads.bindFilter(ps, 1, filter);
      return ps.executeUpdate();
    }
  }

  /**
   * Deletes, inside the caller's transaction, the rows of {@code name} equal to {@code rows} in
   * every column; returns the number deleted. This one sends batches of keyed DELETEs; an engine
   * may do it in bulk.
   */
  long deleteEqualRows(Connection c, SourceName name, Iterator<Bar> rows) throws SQLException {
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name.tableName()
        + " WHERE symbol = ? AND \"timestamp\" = ? AND price = ? AND open_price IS NOT DISTINCT FROM ? "
        + "AND high_price IS NOT DISTINCT FROM ? AND low_price IS NOT DISTINCT FROM ? "
        + "AND close_price IS NOT DISTINCT FROM ? AND volume = ? AND trade_count = ? "
        + "AND vwap IS NOT DISTINCT FROM ? AND origin = ?")) {
      int pending = 0;
      while (rows.hasNext()) {
        Bar b = rows.next();
        ps.setString(1, b.symbol().value());
        dialect.bindInstant(ps, 2, b.timestamp());
        dialect.bindPrice(ps, 3, b.price());
        dialect.bindPrice(ps, 4, b.open());
        dialect.bindPrice(ps, 5, b.high());
        dialect.bindPrice(ps, 6, b.low());
        dialect.bindPrice(ps, 7, b.close());
        ps.setLong(8, b.volume());
        ps.setInt(9, b.tradeCount());
        dialect.bindPrice(ps, 10, b.vwap());
        ps.setString(11, b.origin().value());
        ps.addBatch();
        if (++pending == 1000) {
          n += sum(ps.executeBatch());
          pending = 0;
        }
      }
      if (pending > 0) {
        n += sum(ps.executeBatch());
      }
    }
    return n;
  }

  private static long sum(int[] counts) {
    long n = 0;
    for (int k : counts) {
      n += Math.max(0, k);
    }
    return n;
  }
}
