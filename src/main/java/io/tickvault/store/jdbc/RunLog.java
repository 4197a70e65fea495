package io.tickvault.store.jdbc;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.store.IngestRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The store's run records: the ingest log ({@code tickvault_ingest_log}: one row per ingest run,
 * with its owner so a dead process's run is shown as abandoned) and the validate summaries
 * ({@code tickvault_validation}). Portable SQL over {@link Connections}; thread-safe.
 */
final class RunLog {
  private final JdbcBarStore store;
  private final Connections connections;
  private final SqlDialect dialect;

  RunLog(JdbcBarStore store, Connections connections, SqlDialect dialect) {
    this.store = store;
    this.connections = connections;
    this.dialect = dialect;
  }

  /** Portable DDL (text and bigint only), made on the first record, so neither engine's schema changes. */
  private static final String VALIDATION_TABLE = "CREATE TABLE IF NOT EXISTS tickvault_validation ("
      + "source VARCHAR(40) PRIMARY KEY, validated_at TEXT NOT NULL, calendar TEXT NOT NULL, range_from TEXT, "
      + "range_to TEXT, rows_checked BIGINT NOT NULL, errors BIGINT NOT NULL, warnings BIGINT NOT NULL, "
      + "counts TEXT NOT NULL)";

  /** Records (replaces) the summary of a whole-source validate run. */
  public void recordValidation(io.tickvault.store.ValidationRecord r) {
    store.requireWritable("record the validate run of " + r.source());
    connections.with("record the validate run of " + r.source(), c -> {
      try (Statement s = c.createStatement()) {
        s.execute(VALIDATION_TABLE);
      }
      StringBuilder counts = new StringBuilder();
      new TreeMap<>(r.counts()).forEach((k, v) -> counts.append(counts.length() == 0 ? "" : ",").append(k)
          .append('=').append(v));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_validation (source, validated_at, calendar, "
          + "range_from, range_to, rows_checked, errors, warnings, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (source) DO UPDATE SET validated_at = excluded.validated_at, calendar = excluded.calendar, "
          + "range_from = excluded.range_from, range_to = excluded.range_to, rows_checked = excluded.rows_checked, "
          + "errors = excluded.errors, warnings = excluded.warnings, counts = excluded.counts")) {
        ps.setString(1, r.source().value());
        ps.setString(2, r.validatedAt().toString());
        ps.setString(3, r.calendar());
        ps.setString(4, r.from() == null ? null : r.from().toString());
        ps.setString(5, r.to() == null ? null : r.to().toString());
        ps.setLong(6, r.rows());
        ps.setLong(7, r.errors());
        ps.setLong(8, r.warnings());
        ps.setString(9, counts.toString());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The last recorded validate summary of a source; empty when none was recorded. */
  public Optional<io.tickvault.store.ValidationRecord> lastValidation(SourceName source) {
    try (Connection c = connections.open();
         PreparedStatement ps = c.prepareStatement("SELECT validated_at, calendar, range_from, range_to, rows_checked, "
             + "errors, warnings, counts FROM tickvault_validation WHERE source = ?")) {
      ps.setString(1, source.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String part : rs.getString(8).split(",")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            counts.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
          }
        }
        String from = rs.getString(3);
        String to = rs.getString(4);
        return Optional.of(new io.tickvault.store.ValidationRecord(source, Instant.parse(rs.getString(1)),
            rs.getString(2), from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to),
            rs.getLong(5), rs.getLong(6), rs.getLong(7), counts));
      }
    } catch (SQLException e) {
      // no tickvault_validation yet (no validate run recorded, or a store made before it): nothing recorded
      return Optional.empty();
    }
  }

  /**
   * Records the start of an ingest run ({@code running}, owned by this process) and marks the
   * runs of processes that are gone as abandoned; returns the run's id.
   */
  public long startIngest(SourceName source, String origin, String feed, String symbols, TimeRange range) {
    store.requireWritable("ingest into " + source);
    return connections.with("record ingest", c -> {
      ensureOwnerColumn(c);
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_ingest_log (source, origin, feed, symbols, "
          + "range_from, range_to, rows_written, started, status, owner) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'running', ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, source.value());
        ps.setString(2, origin);
        ps.setString(3, feed);
        ps.setString(4, symbols);
        dialect.bindInstant(ps, 5, range == null ? null : range.from());
        dialect.bindInstant(ps, 6, range == null ? null : range.to());
        dialect.bindInstant(ps, 7, Instant.now());
        ps.setString(8, io.tickvault.store.RunOwner.current());
        ps.executeUpdate();
        try (ResultSet rs = ps.getGeneratedKeys()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      markAbandoned(c, id);
      return id;
    });
  }

  /**
   * Marks {@code running} rows whose process is gone (killed, crashed) as {@code abandoned}, so
   * the log never shows a dead run as running. Only processes of this machine can be checked;
   * a row of another machine, or written by an earlier version (no owner), stays as it is.
   */
  private void markAbandoned(Connection c, long byRun) throws SQLException {
    Map<Long, String> running = new java.util.LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, owner FROM tickvault_ingest_log WHERE status = 'running' AND id <> ? AND owner IS NOT NULL")) {
      ps.setLong(1, byRun);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          running.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    for (Map.Entry<Long, String> r : running.entrySet()) {
      if (!io.tickvault.store.RunOwner.isGone(r.getValue())) {
        continue;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE tickvault_ingest_log SET status = 'abandoned', "
          + "finished = ?, detail = ? WHERE id = ? AND status = 'running'")) {
        dialect.bindInstant(ps, 1, Instant.now());
        ps.setString(2, "abandoned: " + io.tickvault.store.RunOwner.describe(r.getValue()) + " ended without "
            + "finishing this run (killed or crashed); its committed bars are kept; found by run " + byRun);
        ps.setLong(3, r.getKey());
        ps.executeUpdate();
      }
    }
  }

  private volatile boolean ownerColumn;

  /** Adds the {@code owner} column to the ingest log of a store made before it existed. */
  private void ensureOwnerColumn(Connection c) throws SQLException {
    if (ownerColumn) {
      return;
    }
    if (!Connections.hasColumn(c, "tickvault_ingest_log", "owner")) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE tickvault_ingest_log ADD COLUMN owner TEXT");
      } catch (SQLException e) {
        if (!Connections.hasColumn(c, "tickvault_ingest_log", "owner")) { // another process added it meanwhile: fine
          throw e;
        }
      }
    }
    ownerColumn = true;
  }

  /**
   * Records the end of an ingest run; the detail is stored with secrets redacted.
   */
  public void finishIngest(long id, long rows, io.tickvault.store.IngestStatus status, String detail) {
    store.requireWritable("ingest");
    connections.with("record ingest", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE tickvault_ingest_log SET rows_written = ?, finished = ?, status = ?, detail = ? WHERE id = ?")) {
        ps.setLong(1, rows);
        dialect.bindInstant(ps, 2, Instant.now());
        ps.setString(3, status.label());
        ps.setString(4, io.tickvault.domain.Secrets.redact(detail)); // stored text never holds a secret
        ps.setLong(5, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The newest {@code limit} runs, of one source or (null) all, newest first. */
  public List<IngestRecord> ingestLog(SourceName source, int limit) {
    return connections.with("read ingest log", c -> {
      List<IngestRecord> out = new ArrayList<>();
      boolean owner = ownerColumn || Connections.hasColumn(c, "tickvault_ingest_log", "owner"); // a store older than owners
      try (PreparedStatement ps = c.prepareStatement("SELECT id, source, origin, feed, symbols, range_from, range_to, "
          + "rows_written, started, finished, status, detail, " + (owner ? "owner" : "NULL") + " FROM tickvault_ingest_log"
          + (source == null ? "" : " WHERE source = ?") + " ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        if (source != null) ps.setString(i++, source.value());
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new IngestRecord(rs.getLong(1), SourceName.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), dialect.readInstant(rs, 6), dialect.readInstant(rs, 7), rs.getLong(8), dialect.readInstant(rs, 9),
                dialect.readInstant(rs, 10), io.tickvault.store.IngestStatus.of(rs.getString(11), rs.getLong(1)),
                rs.getString(12), rs.getString(13)));
          }
        }
      }
      return out;
    });
  }
}
