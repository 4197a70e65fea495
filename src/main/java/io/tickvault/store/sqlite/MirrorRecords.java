package io.tickvault.store.sqlite;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.MirrorStore.Attempt;
import io.tickvault.store.MirrorStore.ChunkRecord;
import io.tickvault.store.MirrorStore.Dirty;
import io.tickvault.store.MirrorStore.LeftOutRecord;
import io.tickvault.store.MirrorStore.SourceCounts;
import io.tickvault.store.MirrorStore.SourceRow;
import io.tickvault.store.MirrorStore.State;
import io.tickvault.store.MirrorStore.SyncRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of the mirror's own records ({@link io.tickvault.store.MirrorStore}), on the connection of
 * a sync transaction or a read connection of {@link SqliteBarStore}. The {@code mirror} package
 * holds no SQL: it plans, digests and reports through the {@code MirrorStore} interface.
 *
 * <pre>
 * tickvault_lineage         key/value: production identity (never credentials), change token,
 *                           selection, since, last sync time, sync count
 * tickvault_chunks          per (source, symbol, UTC day): rows, SHA-256, first and last timestamp
 * tickvault_source_lineage  per source: kind, rows, symbols, first/last timestamp, since, synced at,
 *                           generation of production's table (see BarStore.generation)
 * tickvault_sync_log        one row per successful sync: counts of rows added/changed/deleted
 * tickvault_dirty           chunks changed outside sync (recorded by guard triggers)
 * </pre>
 *
 * Timestamps are INTEGER microseconds since the epoch, days INTEGER days since the epoch, as in
 * the source tables. Not thread-safe; used on one connection at a time.
 */
final class MirrorRecords {
  static final String GUARD_PREFIX = "tickvault_guard_";
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private MirrorRecords() {}

  static void ensure(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_lineage (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_chunks (source TEXT NOT NULL, symbol TEXT NOT NULL, "
          + "day INTEGER NOT NULL, rows INTEGER NOT NULL, sha256 TEXT NOT NULL, first_ts INTEGER NOT NULL, "
          + "last_ts INTEGER NOT NULL, PRIMARY KEY (source, symbol, day)) WITHOUT ROWID");
      s.execute("CREATE INDEX IF NOT EXISTS tickvault_chunks_day ON tickvault_chunks (source, day)");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_source_lineage (source TEXT PRIMARY KEY, kind TEXT NOT NULL, "
          + "rows INTEGER NOT NULL, symbols INTEGER NOT NULL, first_ts INTEGER, last_ts INTEGER, since TEXT, "
          + "synced_at INTEGER NOT NULL, generation TEXT)");
      if (!hasColumn(c, "tickvault_source_lineage", "generation")) { // a mirror made before generations
        s.execute("ALTER TABLE tickvault_source_lineage ADD COLUMN generation TEXT");
      }
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_sync_log (id INTEGER PRIMARY KEY AUTOINCREMENT, "
          + "started INTEGER NOT NULL, finished INTEGER NOT NULL, mode TEXT NOT NULL, production TEXT NOT NULL, "
          + "sources TEXT NOT NULL, since TEXT, chunks_checked INTEGER NOT NULL, chunks_changed INTEGER NOT NULL, "
          + "rows_added INTEGER NOT NULL, rows_changed INTEGER NOT NULL, rows_deleted INTEGER NOT NULL, "
          + "token TEXT NOT NULL)");
      for (String[] col : new String[][] {{"status", "TEXT"}, {"error", "TEXT"}, {"notes", "TEXT"},
          {"production_id", "TEXT"}}) {
        if (!hasColumn(c, "tickvault_sync_log", col[0])) { // a mirror made before failed attempts were logged
          s.execute("ALTER TABLE tickvault_sync_log ADD COLUMN " + col[0] + " " + col[1]);
        }
      }
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_sync_log_sources (sync_id INTEGER NOT NULL, source TEXT NOT NULL, "
          + "action TEXT NOT NULL, chunks_checked INTEGER NOT NULL, chunks_changed INTEGER NOT NULL, "
          + "rows_added INTEGER NOT NULL, rows_changed INTEGER NOT NULL, rows_deleted INTEGER NOT NULL, "
          + "PRIMARY KEY (sync_id, source)) WITHOUT ROWID");
      s.execute("CREATE TABLE IF NOT EXISTS tickvault_dirty (source TEXT NOT NULL, symbol TEXT NOT NULL, "
          + "day INTEGER NOT NULL, PRIMARY KEY (source, symbol, day)) WITHOUT ROWID");
    }
  }

  /** A tiny page cache, so a transaction's pages are written to the WAL as it goes (crash tests). */
  static void spillEarly(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA cache_size = 4");
    }
  }

  /** Whether the file holds tables other than tickvault's and SQLite's own. */
  static boolean hasOtherTables(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
        + "AND name NOT LIKE 'tickvault\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (column.equals(rs.getString("name"))) {
          return true;
        }
      }
      return false;
    }
  }

  static boolean hasTable(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * SQLite's {@code PRAGMA quick_check} of the whole file (every page's structure, not the index
   * contents): null when the file is sound, else the first problems SQLite names.
   */
  static String quickCheck(Connection c) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
      while (rs.next()) {
        problems.add(rs.getString(1));
      }
    }
    return problems.equals(List.of("ok")) ? null : String.join("; ", problems);
  }

  // ---- state ----------------------------------------------------------------------------------

  static State readState(Connection c) throws SQLException {
    if (!hasTable(c, "tickvault_lineage")) {
      return State.NEVER;
    }
    Map<String, String> kv = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM tickvault_lineage")) {
      while (rs.next()) {
        kv.put(rs.getString(1), rs.getString(2));
      }
    }
    String port = kv.get("production_port");
    String token = kv.get("change_token");
    String since = kv.get("since");
    String last = kv.get("last_sync_at");
    String count = kv.get("sync_count");
    return new State(kv.get("production_engine"), blankToNull(kv.get("production_host")),
        port == null || port.isBlank() ? null : Integer.valueOf(port), kv.get("production_database"),
        kv.get("production_store_id"), token == null ? null : Long.valueOf(token),
        io.tickvault.store.SyncSelection.parse(kv.get("selection")),
        since == null || since.isBlank() ? null : LocalDate.parse(since),
        last == null ? null : fromMicros(Long.parseLong(last)), count == null ? 0 : Long.parseLong(count));
  }

  static void writeState(Connection c, State st) throws SQLException {
    Map<String, String> kv = new HashMap<>();
    kv.put("production_engine", st.engine());
    kv.put("production_host", st.host() == null ? "" : st.host());
    kv.put("production_port", st.port() == null ? "" : st.port().toString());
    kv.put("production_database", st.database());
    kv.put("production_store_id", st.storeId());
    kv.put("change_token", Long.toString(st.token()));
    kv.put("selection", st.selection().recorded());
    kv.put("since", st.since() == null ? "" : st.since().toString());
    kv.put("last_sync_at", Long.toString(micros(st.lastSyncAt())));
    kv.put("sync_count", Long.toString(st.syncCount()));
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_lineage (key, value) VALUES (?, ?) "
        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      for (Map.Entry<String, String> e : kv.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, e.getValue() == null ? "" : e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The mark production's change log got at the last sync (see BarStore#markChangeLog); null when none. */
  static String changeMark(Connection c) throws SQLException {
    if (!hasTable(c, "tickvault_lineage")) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT value FROM tickvault_lineage WHERE key = 'change_mark'")) {
      try (ResultSet rs = ps.executeQuery()) {
        String v = rs.next() ? rs.getString(1) : null;
        return v == null || v.isBlank() ? null : v;
      }
    }
  }

  static void writeChangeMark(Connection c, String mark) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_lineage (key, value) VALUES ('change_mark', ?) "
        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      ps.setString(1, mark == null ? "" : mark);
      ps.executeUpdate();
    }
  }

  /** Records what the last sync found production holding outside the selection. */
  static void writeLeftOut(Connection c, LeftOutRecord l) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_lineage (key, value) VALUES (?, ?) "
        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      String[][] kv = {{"left_out_sources", join(l.sources())}, {"left_out_before_sources", join(l.sourcesBefore())},
          {"left_out_first_before", l.firstBefore() == null ? "" : Long.toString(micros(l.firstBefore()))}};
      for (String[] e : kv) {
        ps.setString(1, e[0]);
        ps.setString(2, e[1]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** What the last sync left out; nothing for a mirror synced before this was recorded. */
  static LeftOutRecord readLeftOut(Connection c) throws SQLException {
    if (!hasTable(c, "tickvault_lineage")) {
      return new LeftOutRecord(List.of(), List.of(), null);
    }
    Map<String, String> kv = new HashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM tickvault_lineage "
        + "WHERE key LIKE 'left\\_out\\_%' ESCAPE '\\'")) {
      while (rs.next()) {
        kv.put(rs.getString(1), rs.getString(2));
      }
    }
    String first = kv.getOrDefault("left_out_first_before", "");
    return new LeftOutRecord(split(kv.get("left_out_sources")), split(kv.get("left_out_before_sources")),
        first.isBlank() ? null : fromMicros(Long.parseLong(first)));
  }

  private static String join(List<SourceName> names) {
    return String.join(",", names.stream().map(SourceName::value).toList());
  }

  private static List<SourceName> split(String s) {
    List<SourceName> out = new ArrayList<>();
    if (s != null) {
      for (String n : s.split(",")) {
        if (!n.isBlank()) {
          out.add(SourceName.of(n));
        }
      }
    }
    return out;
  }

  // ---- chunks ---------------------------------------------------------------------------------

  /** Point lookups and updates of recorded chunks with reused statements. Not thread-safe. */
  static final class ChunkTable implements AutoCloseable {
    private final PreparedStatement find;
    private final PreparedStatement put;
    private final PreparedStatement remove;

    ChunkTable(Connection c) throws SQLException {
      find = c.prepareStatement("SELECT rows, sha256, first_ts, last_ts FROM tickvault_chunks "
          + "WHERE source = ? AND symbol = ? AND day = ?");
      put = c.prepareStatement("INSERT INTO tickvault_chunks (source, symbol, day, rows, sha256, first_ts, last_ts) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, symbol, day) DO UPDATE SET rows = excluded.rows, "
          + "sha256 = excluded.sha256, first_ts = excluded.first_ts, last_ts = excluded.last_ts");
      remove = c.prepareStatement("DELETE FROM tickvault_chunks WHERE source = ? AND symbol = ? AND day = ?");
    }

    ChunkRecord find(Chunk ch) throws SQLException {
      bindKey(find, ch);
      try (ResultSet rs = find.executeQuery()) {
        return rs.next() ? new ChunkRecord(ch, rs.getLong(1), rs.getString(2), fromMicros(rs.getLong(3)),
            fromMicros(rs.getLong(4))) : null;
      }
    }

    void put(ChunkRecord r) throws SQLException {
      bindKey(put, r.chunk());
      put.setLong(4, r.rows());
      put.setString(5, r.sha256());
      put.setLong(6, micros(r.first()));
      put.setLong(7, micros(r.last()));
      put.executeUpdate();
    }

    void remove(Chunk ch) throws SQLException {
      bindKey(remove, ch);
      remove.executeUpdate();
    }

    private static void bindKey(PreparedStatement ps, Chunk ch) throws SQLException {
      ps.setString(1, ch.source().value());
      ps.setString(2, ch.symbol().value());
      ps.setLong(3, ch.day().toEpochDay());
    }

    @Override
    public void close() throws SQLException {
      find.close();
      put.close();
      remove.close();
    }
  }

  /** Recorded chunks of a source, ordered by symbol then day. */
  static List<ChunkRecord> chunks(Connection c, SourceName src) throws SQLException {
    List<ChunkRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT symbol, day, rows, sha256, first_ts, last_ts "
        + "FROM tickvault_chunks WHERE source = ? ORDER BY symbol, day")) {
      ps.setString(1, src.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ChunkRecord(new Chunk(src, Symbol.of(rs.getString(1)), LocalDate.ofEpochDay(rs.getLong(2))),
              rs.getLong(3), rs.getString(4), fromMicros(rs.getLong(5)), fromMicros(rs.getLong(6))));
        }
      }
    }
    return out;
  }

  static void forgetSource(Connection c, SourceName src) throws SQLException {
    for (String table : List.of("tickvault_chunks", "tickvault_source_lineage", "tickvault_dirty")) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE source = ?")) {
        ps.setString(1, src.value());
        ps.executeUpdate();
      }
    }
  }

  /** Sum of recorded rows of a source. */
  static long recordedRows(Connection c, SourceName src) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(rows), 0) FROM tickvault_chunks "
        + "WHERE source = ?")) {
      ps.setString(1, src.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  // ---- per-source lineage ---------------------------------------------------------------------

  /**
   * Recomputes a source's lineage row from its recorded chunks (cost: its number of chunks) and
   * records the generation of production's table the rows were read from (null: unknown).
   */
  static void refreshSource(Connection c, SourceName src, SourceKind kind, LocalDate since, Instant syncedAt,
      String generation) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_source_lineage (source, kind, rows, symbols, "
        + "first_ts, last_ts, since, synced_at, generation) SELECT ?, ?, COALESCE(SUM(rows), 0), COUNT(DISTINCT symbol), "
        + "MIN(first_ts), MAX(last_ts), ?, ?, ? FROM tickvault_chunks WHERE source = ? "
        + "ON CONFLICT (source) DO UPDATE SET kind = excluded.kind, rows = excluded.rows, symbols = excluded.symbols, "
        + "first_ts = excluded.first_ts, last_ts = excluded.last_ts, since = excluded.since, "
        + "synced_at = excluded.synced_at, generation = excluded.generation")) {
      ps.setString(1, src.value());
      ps.setString(2, kind.label());
      ps.setString(3, since == null ? null : since.toString());
      ps.setLong(4, micros(syncedAt));
      ps.setString(5, generation);
      ps.setString(6, src.value());
      ps.executeUpdate();
    }
  }

  /**
   * The rows of a source's lineage row, which every sync that wrote the source's chunk records
   * recomputed from them in its own transaction; null when the source has no lineage row.
   */
  static Long lineageRows(Connection c, SourceName src) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT rows FROM tickvault_source_lineage WHERE source = ?")) {
      ps.setString(1, src.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /**
   * Updates what a sync that wrote none of the source's chunk records changes in its lineage row
   * (its counts and first and last timestamps are still those of the records); false when the
   * source has no lineage row.
   */
  static boolean touchSource(Connection c, SourceName src, SourceKind kind, LocalDate since, Instant syncedAt,
      String generation) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE tickvault_source_lineage SET kind = ?, since = ?, "
        + "synced_at = ?, generation = ? WHERE source = ?")) {
      ps.setString(1, kind.label());
      ps.setString(2, since == null ? null : since.toString());
      ps.setLong(3, micros(syncedAt));
      ps.setString(4, generation);
      ps.setString(5, src.value());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * The generation of production's table recorded by the last sync of the source (see
   * {@code BarStore.generation}); null when none was recorded.
   */
  static String generation(Connection c, SourceName src) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM tickvault_source_lineage WHERE source = ?")) {
      ps.setString(1, src.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  static List<SourceRow> sourceLineage(Connection c) throws SQLException {
    List<SourceRow> out = new ArrayList<>();
    if (!hasTable(c, "tickvault_source_lineage")) {
      return out;
    }
    // the source model (width, zone) as the registry copied from production has it; a mirror made before
    // sources had one has no such columns
    boolean model = hasColumn(c, "tickvault_sources", "mixed");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT l.source, l.kind, l.rows, "
        + "l.symbols, l.first_ts, l.last_ts, l.since, l.synced_at, "
        + (model ? "CASE WHEN r.mixed IS NOT NULL THEN 'mixed' ELSE r.timeframe END, r.timezone"
            : "NULL, NULL")
        + " FROM tickvault_source_lineage l LEFT JOIN tickvault_sources r ON r.name = l.source ORDER BY l.source")) {
      while (rs.next()) {
        SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
        if (n == null) {
          continue;
        }
        String since = rs.getString(7);
        out.add(new SourceRow(n, SourceKind.parse(rs.getString(2)), rs.getLong(3), rs.getLong(4),
            nullableInstant(rs, 5), nullableInstant(rs, 6), since == null || since.isBlank() ? null
                : LocalDate.parse(since), fromMicros(rs.getLong(8)), rs.getString(9), rs.getString(10)));
      }
    }
    return out;
  }

  /**
   * Per source, the newest bar at or before {@code now}: recorded chunk ends where a whole chunk
   * lies before now, one indexed lookup per symbol for the chunks of today that straddle now.
   */
  static Map<SourceName, Instant> dataThrough(Connection c, List<SourceName> sources, Instant now)
      throws SQLException {
    Map<SourceName, Instant> out = new java.util.LinkedHashMap<>();
    long nowUs = micros(now);
    for (SourceName s : sources) {
      Long best = null;
      // whole chunks at or before now: their recorded last timestamp
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(last_ts) FROM tickvault_chunks "
          + "WHERE source = ? AND last_ts <= ?")) {
        ps.setString(1, s.value());
        ps.setLong(2, nowUs);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long v = rs.getLong(1);
            best = rs.wasNull() ? null : v;
          }
        }
      }
      // chunks straddling now (today's): the newest row not after now
      try (PreparedStatement ps = c.prepareStatement("SELECT symbol, first_ts FROM tickvault_chunks "
          + "WHERE source = ? AND day = ? AND last_ts > ? AND first_ts <= ?")) {
        ps.setString(1, s.value());
        ps.setLong(2, LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).toEpochDay());
        ps.setLong(3, nowUs);
        ps.setLong(4, nowUs);
        try (ResultSet rs = ps.executeQuery();
             PreparedStatement q = c.prepareStatement("SELECT MAX(\"timestamp\") FROM " + s.tableName()
                 + " WHERE symbol = ? AND \"timestamp\" >= ? AND \"timestamp\" <= ?")) {
          while (rs.next()) {
            q.setString(1, rs.getString(1));
            q.setLong(2, rs.getLong(2));
            q.setLong(3, nowUs);
            try (ResultSet r2 = q.executeQuery()) {
              if (r2.next()) {
                long v = r2.getLong(1);
                if (!r2.wasNull() && (best == null || v > best)) {
                  best = v;
                }
              }
            }
          }
        }
      }
      out.put(s, best == null ? null : fromMicros(best));
    }
    return out;
  }

  // ---- sync log -------------------------------------------------------------------------------

  /** Logs a successful sync with its per-source counts and notes. */
  static void logSync(Connection c, SyncRow r, String productionId, List<SourceCounts> perSource,
      List<String> notes) throws SQLException {
    long id = logSync(c, r);
    try (PreparedStatement ps = c.prepareStatement("UPDATE tickvault_sync_log SET status = 'ok', production_id = ?, "
        + "notes = ? WHERE id = ?")) {
      ps.setString(1, productionId);
      ps.setString(2, notes.isEmpty() ? null : String.join("\n", notes));
      ps.setLong(3, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_sync_log_sources (sync_id, source, action, "
        + "chunks_checked, chunks_changed, rows_added, rows_changed, rows_deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (SourceCounts s : perSource) {
        ps.setLong(1, id);
        ps.setString(2, s.source().value());
        ps.setString(3, s.action());
        ps.setLong(4, s.chunksChecked());
        ps.setLong(5, s.chunksChanged());
        ps.setLong(6, s.rowsAdded());
        ps.setLong(7, s.rowsChanged());
        ps.setLong(8, s.rowsDeleted());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Logs a failed sync attempt (in a transaction of its own: the sync's was rolled back). */
  static void logFailure(Connection c, Instant started, Instant finished, String mode, String production,
      String productionId, String sources, String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_sync_log (started, finished, mode, "
        + "production, sources, since, chunks_checked, chunks_changed, rows_added, rows_changed, rows_deleted, token, "
        + "status, error, production_id) VALUES (?, ?, ?, ?, ?, NULL, 0, 0, 0, 0, 0, '', 'failed', ?, ?)")) {
      ps.setLong(1, micros(started));
      ps.setLong(2, micros(finished));
      ps.setString(3, mode);
      ps.setString(4, production);
      ps.setString(5, sources == null ? "" : sources);
      ps.setString(6, error.length() > 2000 ? error.substring(0, 2000) + "..." : error);
      ps.setString(7, productionId);
      ps.executeUpdate();
    }
  }

  /** Every logged attempt, newest first, at most {@code limit}. */
  static List<Attempt> attempts(Connection c, int limit) throws SQLException {
    List<Attempt> out = new ArrayList<>();
    if (!hasTable(c, "tickvault_sync_log")) {
      return out;
    }
    boolean extended = hasColumn(c, "tickvault_sync_log", "status");
    Map<Long, List<SourceCounts>> per = new HashMap<>();
    if (hasTable(c, "tickvault_sync_log_sources")) {
      try (PreparedStatement ps = c.prepareStatement("SELECT sync_id, source, action, chunks_checked, chunks_changed, "
          + "rows_added, rows_changed, rows_deleted FROM tickvault_sync_log_sources WHERE sync_id IN (SELECT id FROM "
          + "tickvault_sync_log ORDER BY id DESC LIMIT ?) ORDER BY sync_id, source")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            per.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>()).add(new SourceCounts(
                SourceName.of(rs.getString(2)), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
          }
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id, started, finished, mode, production, sources, "
        + "chunks_checked, chunks_changed, rows_added, rows_changed, rows_deleted, "
        + (extended ? "status, error, notes, production_id" : "NULL, NULL, NULL, NULL")
        + " FROM tickvault_sync_log ORDER BY id DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String notes = rs.getString(14);
          out.add(new Attempt(rs.getLong(1), fromMicros(rs.getLong(2)), fromMicros(rs.getLong(3)),
              rs.getString(4), !"failed".equals(rs.getString(12)), rs.getString(5), rs.getString(15),
              rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
              per.getOrDefault(rs.getLong(1), List.of()), notes == null ? List.of() : List.of(notes.split("\n")),
              rs.getString(13)));
        }
      }
    }
    return out;
  }

  private static long logSync(Connection c, SyncRow r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_sync_log (started, finished, mode, "
        + "production, sources, since, chunks_checked, chunks_changed, rows_added, rows_changed, rows_deleted, token) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      ps.setLong(1, micros(r.started()));
      ps.setLong(2, micros(r.finished()));
      ps.setString(3, r.mode());
      ps.setString(4, r.production());
      ps.setString(5, r.sources());
      ps.setString(6, r.since() == null ? null : r.since().toString());
      ps.setLong(7, r.chunksChecked());
      ps.setLong(8, r.chunksChanged());
      ps.setLong(9, r.rowsAdded());
      ps.setLong(10, r.rowsChanged());
      ps.setLong(11, r.rowsDeleted());
      ps.setString(12, Long.toString(r.token()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The newest {@code limit} successful syncs, newest first. */
  static List<SyncRow> syncLog(Connection c, int limit) throws SQLException {
    List<SyncRow> out = new ArrayList<>();
    if (!hasTable(c, "tickvault_sync_log")) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT started, finished, mode, production, sources, since, "
        + "chunks_checked, chunks_changed, rows_added, rows_changed, rows_deleted, token FROM tickvault_sync_log "
        + (hasColumn(c, "tickvault_sync_log", "status") ? "WHERE status IS NULL OR status = 'ok' " : "")
        + "ORDER BY id DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String since = rs.getString(6);
          out.add(new SyncRow(fromMicros(rs.getLong(1)), fromMicros(rs.getLong(2)),
              rs.getString(3), rs.getString(4), rs.getString(5),
              since == null ? null : LocalDate.parse(since), rs.getLong(7), rs.getLong(8), rs.getLong(9),
              rs.getLong(10), rs.getLong(11), Long.parseLong(rs.getString(12))));
        }
      }
    }
    return out;
  }

  // ---- guards: chunks changed outside sync ----------------------------------------------------

  static void dropGuards(Connection c, SourceName src) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String op : List.of("ins", "upd", "del")) {
        s.execute("DROP TRIGGER IF EXISTS " + GUARD_PREFIX + op + "_" + src.value());
      }
    }
  }

  /**
   * Triggers that record in {@code tickvault_dirty} every chunk a writer other than sync changes
   * (e.g. an UPDATE typed into the sqlite3 shell), so the next sync repairs it. Sync drops them at
   * the start of its transaction and recreates them before it commits.
   */
  static void createGuards(Connection c, SourceName src) throws SQLException {
    String t = src.tableName();
    String rec = "INSERT OR IGNORE INTO tickvault_dirty (source, symbol, day) VALUES ('" + src.value()
        + "', %1$s.symbol, %1$s.\"timestamp\" / " + MICROS_PER_DAY + "); ";
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TRIGGER IF NOT EXISTS " + GUARD_PREFIX + "ins_" + src.value() + " AFTER INSERT ON " + t
          + " BEGIN " + String.format(rec, "NEW") + "END");
      s.execute("CREATE TRIGGER IF NOT EXISTS " + GUARD_PREFIX + "upd_" + src.value() + " AFTER UPDATE ON " + t
          + " BEGIN " + String.format(rec, "OLD") + String.format(rec, "NEW") + "END");
      s.execute("CREATE TRIGGER IF NOT EXISTS " + GUARD_PREFIX + "del_" + src.value() + " AFTER DELETE ON " + t
          + " BEGIN " + String.format(rec, "OLD") + "END");
    }
  }

  /** Whether all three guard triggers of the source exist. */
  static boolean hasGuards(Connection c, SourceName src) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
        + "AND name IN (?, ?, ?)")) {
      int i = 1;
      for (String op : List.of("ins", "upd", "del")) {
        ps.setString(i++, GUARD_PREFIX + op + "_" + src.value());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 3;
      }
    }
  }

  static Dirty dirty(Connection c) throws SQLException {
    Set<Chunk> out = new LinkedHashSet<>();
    Set<SourceName> rebuild = new java.util.TreeSet<>();
    if (!hasTable(c, "tickvault_dirty")) {
      return new Dirty(out, rebuild);
    }
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT source, symbol, day FROM tickvault_dirty ORDER BY 1, 2, 3")) {
      while (rs.next()) {
        SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
        if (n == null) {
          continue;
        }
        String sym = rs.getString(2);
        if (sym == null || !sym.equals(sym.strip().toUpperCase(java.util.Locale.ROOT))) {
          rebuild.add(n);
          continue;
        }
        try {
          out.add(new Chunk(n, Symbol.of(sym), LocalDate.ofEpochDay(rs.getLong(3))));
        } catch (RuntimeException e) {
          rebuild.add(n);
        }
      }
    }
    return new Dirty(out, rebuild);
  }

  static void clearDirty(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM tickvault_dirty");
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static long micros(Instant t) {
    return SqliteDialect.micros(t);
  }

  private static Instant fromMicros(long us) {
    return SqliteDialect.fromMicros(us);
  }

  private static Instant nullableInstant(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : fromMicros(v);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
