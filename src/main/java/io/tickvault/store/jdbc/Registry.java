package io.tickvault.store.jdbc;

import io.tickvault.domain.BarGrid;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.WidthInference;
import io.tickvault.domain.WidthMismatchException;
import io.tickvault.store.Partitioning;
import io.tickvault.store.SourceRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The registry of sources ({@code tickvault_sources}) and of the store itself ({@code tickvault_meta}):
 * each source's kind, width, zone and mixed mark, recorded from its rows when a table was made
 * outside tickvault, and the store's id. The engine supplies only its DDL ({@link JdbcBarStore#createTable},
 * {@link JdbcBarStore#tableNames}, {@link JdbcBarStore#afterDrop}). Thread-safe.
 */
public final class Registry {
  private final JdbcBarStore store;
  private final Connections connections;
  private final SqlDialect dialect;

  Registry(JdbcBarStore store, Connections connections, SqlDialect dialect) {
    this.store = store;
    this.connections = connections;
    this.dialect = dialect;
  }

  public Optional<String> meta(String key) {
    try (Connection c = connections.open();
         PreparedStatement ps = c.prepareStatement("SELECT value FROM tickvault_meta WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      // a store without tickvault_meta (an old mirror) has no entries
      return Optional.empty();
    }
  }

  public void putMeta(String key, String value) {
    store.requireWritable("record " + key);
    connections.with("record " + key, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickvault_meta (key, value) VALUES (?, ?) "
          + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
      }
      return null;
    });
  }

  public SourceRecord create(SourceName name, SourceKind kind, String description, Timeframe width,
      ZoneId zone, Partitioning partitioning) {
    store.requireWritable("create source " + name);
    connections.inTransaction("create source " + name, c -> {
      store.createTable(c, name, partitioning);
      ensureModelColumns(c);
      SourceRecord before = registryRow(c, name);
      if (before == null) {
        // a new source, or a table made by hand: its rows (if any) say what it holds
        ZoneId z = zone != null ? zone : BarGrid.DEFAULT_ZONE;
        WidthInference.Result found = classifyRows(c, name, z);
        Timeframe w = width;
        if (found.rows() > 0) {
          if (found.mixed() != null && width != null) {
            throw new InvalidInputException("cannot create source '" + name + "' with --timeframe " + width + ": its "
                + "table " + name.tableName() + " already holds rows that do not agree on one width (" + found.mixed()
                + ")");
          }
          if (width != null && found.width() != null && found.width() != width) {
            throw new WidthMismatchException(name, found.width(), width);
          }
          w = found.width();
          z = zone != null ? zone : found.zone();
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO tickvault_sources (name, kind, description, created_at, timeframe, timezone, mixed) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
          ps.setString(1, name.value());
          ps.setString(2, kind.label());
          ps.setString(3, description);
          dialect.bindInstant(ps, 4, Instant.now());
          ps.setString(5, w == null ? null : w.cliName());
          ps.setString(6, z.getId());
          ps.setString(7, found.rows() > 0 ? found.mixed() : null);
          ps.executeUpdate();
        }
        return null;
      }
      boolean empty = isEmpty(c, name);
      if (width != null && before.width() != null && before.width() != width) {
        if (!empty) {
          throw new WidthMismatchException(name, before.width(), width);
        }
      }
      if (width != null && before.width() == null && !empty) {
        WidthInference.Result found = classifyRows(c, name, before.zone());
        if (found.width() != width) {
          throw new InvalidInputException("cannot give source '" + name + "' the width " + width + ": its rows "
              + (found.mixed() != null ? "do not agree on one width (" + found.mixed() + ")" : "are " + found.width()
              + " bars"));
        }
      }
      if (zone != null && !zone.equals(before.zone()) && !empty) {
        throw new InvalidInputException("source '" + name + "' already holds bars in time zone " + before.zone().getId()
            + "; a source's zone cannot change once it holds bars: create another source with --timezone "
            + zone.getId());
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE tickvault_sources SET timeframe = COALESCE(?, timeframe), "
          + "timezone = COALESCE(?, timezone) WHERE name = ?")) {
        ps.setString(1, width == null ? null : width.cliName());
        ps.setString(2, zone == null ? null : zone.getId());
        ps.setString(3, name.value());
        ps.executeUpdate();
      }
      return null;
    });
    return require(name);
  }

  /** Whether the source's table has no rows. */
  private static boolean isEmpty(Connection c, SourceName name) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1 FROM " + name.tableName() + " LIMIT 1")) {
      return !rs.next();
    }
  }

  // ---- source model (width, zone, mixed) ------------------------------------------------------

  private volatile boolean modelColumns;

  /** Whether {@code tickvault_sources} has the source-model columns (a store made before them may not). */
  public boolean hasModelColumns(Connection c) throws SQLException {
    if (!modelColumns) {
      modelColumns = Connections.hasColumn(c, "tickvault_sources", "mixed");
    }
    return modelColumns;
  }

  /** Adds the source-model columns to {@code tickvault_sources} when missing (inside the caller's work). */
  public void ensureModelColumns(Connection c) throws SQLException {
    if (hasModelColumns(c)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE tickvault_sources ADD COLUMN timeframe VARCHAR(8)");
      s.execute("ALTER TABLE tickvault_sources ADD COLUMN timezone VARCHAR(64)");
      s.execute("ALTER TABLE tickvault_sources ADD COLUMN mixed TEXT");
    }
    modelColumns = true;
  }

  /**
   * Records the model of every registered source that has none yet (a store made before sources
   * had a width and a zone): the width its rows agree on, or {@code mixed} with what was found.
   * Reads every such table once; rewrites no row. Runs inside the caller's transaction.
   */
  public void recordLegacyModels(Connection c) throws SQLException {
    ensureModelColumns(c);
    List<SourceName> todo = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM tickvault_sources WHERE timeframe IS NULL AND timezone IS NULL AND mixed IS NULL")) {
      while (rs.next()) {
        SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
        if (n != null) {
          todo.add(n);
        }
      }
    }
    List<String> tables = store.tableNames(c);
    for (SourceName n : todo) {
      WidthInference.Result r = tables.contains(n.tableName()) ? classifyRows(c, n, BarGrid.DEFAULT_ZONE)
          : new WidthInference.Result(null, BarGrid.DEFAULT_ZONE, null, null, 0);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE tickvault_sources SET timeframe = ?, timezone = ?, mixed = ? WHERE name = ?")) {
        ps.setString(1, r.width() == null || r.mixed() != null ? null : r.width().cliName());
        ps.setString(2, r.zone().getId());
        ps.setString(3, r.rows() == 0 ? null : r.mixed());
        ps.setString(4, n.value());
        ps.executeUpdate();
      }
    }
  }

  /**
   * Looks again at the rows of a source marked mixed (after some were deleted): when they now agree
   * on one width, that becomes the source's width and the mark goes; otherwise the mark says what
   * is still mixed.
   */
  void remodel(Connection c, SourceRecord rec) throws SQLException {
    WidthInference.Result r = classifyRows(c, rec.name(), rec.zone());
    String mixed = r.rows() == 0 ? null : r.mixed();
    if (mixed == null && r.width() != null && !r.zone().equals(rec.zone())) {
      mixed = "its " + r.width() + " bars start at midnight of " + r.zone().getId() + ", not of the source's zone "
          + rec.zone().getId();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE tickvault_sources SET timeframe = ?, mixed = ? WHERE name = ?")) {
      ps.setString(1, r.width() == null || mixed != null ? null : r.width().cliName());
      ps.setString(2, mixed);
      ps.setString(3, rec.name().value());
      ps.executeUpdate();
    }
  }

  /** What the rows of a source's table say about its width, read in {@code zone}. */
  WidthInference.Result classifyRows(Connection c, SourceName name, ZoneId zone) throws SQLException {
    WidthInference inference = new WidthInference(zone);
    try (PreparedStatement ps = c.prepareStatement("SELECT symbol, \"timestamp\" FROM " + name.tableName()
        + " ORDER BY symbol, \"timestamp\"")) {
      ps.setFetchSize(5000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inference.accept(rs.getString(1), dialect.readInstant(rs, 2));
        }
      }
    }
    return inference.result();
  }

  /** The registry row of a source, or null (with the model columns when the store has them). */
  SourceRecord registryRow(Connection c, SourceName name) throws SQLException {
    boolean model = hasModelColumns(c);
    try (PreparedStatement ps = c.prepareStatement("SELECT name, kind, description, created_at"
        + (model ? ", timeframe, timezone, mixed" : "") + " FROM tickvault_sources WHERE name = ?")) {
      ps.setString(1, name.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? registryRecord(rs, name, model, true) : null;
      }
    }
  }

  private SourceRecord registryRecord(ResultSet rs, SourceName n, boolean model, boolean table) throws SQLException {
    Timeframe width = null;
    ZoneId zone = null;
    String mixed = null;
    if (model) {
      String w = rs.getString(5);
      String z = rs.getString(6);
      mixed = rs.getString(7);
      try {
        width = w == null ? null : Timeframe.parse(w);
      } catch (InvalidInputException e) {
        mixed = mixed != null ? mixed : "the registry names an unknown width " + Text.quote(w);
      }
      try {
        zone = z == null ? null : ZoneId.of(z);
      } catch (java.time.DateTimeException e) {
        mixed = mixed != null ? mixed : "the registry names an unknown time zone " + Text.quote(z);
      }
    }
    return new SourceRecord(n, SourceKind.parse(rs.getString(2)), rs.getString(3), dialect.readInstant(rs, 4), true, table,
        width, zone, mixed);
  }

  public List<SourceRecord> all() {
    return connections.with("list sources", this::all);
  }

  /** Every source, read on the caller's connection. */
  List<SourceRecord> all(Connection c) throws SQLException {
    Map<SourceName, SourceRecord> out = new TreeMap<>();
    Set<SourceName> tables = new HashSet<>();
    for (String t : store.tableNames(c)) {
      SourceName n = SourceName.fromTableName(t);
      if (n != null) {
        tables.add(n);
      }
    }
    boolean model = hasModelColumns(c);
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT name, kind, description, created_at"
             + (model ? ", timeframe, timezone, mixed" : "") + " FROM tickvault_sources")) {
      while (rs.next()) {
        SourceName n = SourceName.fromTableName(SourceName.TABLE_PREFIX + rs.getString(1));
        if (n == null) {
          continue; // a registry row written by hand with an invalid name: never used for SQL
        }
        out.put(n, registryRecord(rs, n, model, tables.contains(n)));
      }
    }
    for (SourceName n : tables) {
      out.putIfAbsent(n, new SourceRecord(n, SourceKind.defaultFor(n), null, null, false, true, null, null, null));
    }
    return new ArrayList<>(out.values());
  }

  public Optional<SourceRecord> find(SourceName name) {
    return all().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public SourceRecord require(SourceName name) {
    return connections.with("find source " + name, c -> require(c, name));
  }

  /** {@link #require(SourceName)} on the caller's connection (one connection for a whole read). */
  SourceRecord require(Connection c, SourceName name) throws SQLException {
    List<SourceRecord> all = all(c);
    Optional<SourceRecord> r = all.stream().filter(x -> x.name().equals(name)).findFirst();
    if (r.isEmpty() || !r.get().tableExists()) {
      throw unknownSource(name, all.stream().filter(SourceRecord::tableExists).map(x -> x.name().value()).toList());
    }
    return r.get();
  }

  /**
   * "No source": with the nearest existing name when there is one (never advice to create the
   * name as typed then), else the list of sources and how to create one.
   */
  private NotFoundException unknownSource(SourceName name, List<String> existing) {
    String where = " in " + store.info().location();
    java.util.Optional<String> near = io.tickvault.domain.DidYouMean.closest(name.value(), existing);
    if (near.isPresent()) {
      return new NotFoundException("no source '" + name + "'" + where + "; did you mean '" + near.get() + "'?");
    }
    return new NotFoundException("no source '" + name + "'" + where + (existing.isEmpty() ? " (it has no sources yet)"
        : "; sources: " + String.join(", ", existing)) + ". Run `tickvault list` to see them, or `tickvault create "
        + "--source " + name + "` if you mean a new source");
  }

  public void drop(SourceName name) {
    store.requireWritable("drop source " + name);
    connections.inTransaction("drop source " + name, c -> {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DROP TABLE IF EXISTS " + name.tableName());
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tickvault_sources WHERE name = ?")) {
        ps.setString(1, name.value());
        ps.executeUpdate();
      }
      store.afterDrop(c, name);
      return null;
    });
  }

  /** Refuses a write of {@code width} bars into a source marked mixed or holding another width. */
  static void requireWritableModel(SourceRecord rec, Timeframe width) {
    if (rec.mixed() != null) {
      throw new InvalidInputException("source '" + rec.name() + "' is marked mixed: " + rec.mixed() + ". Writes into "
          + "it are refused until it is split or cleaned (see docs/sources.md: `tickvault migrate --source "
          + rec.name() + " --target " + rec.name() + "_1day --timeframe 1Day`, then `tickvault clean --source "
          + rec.name() + " --timeframe 1Day`); nothing was written");
    }
    if (rec.width() != null && rec.width() != width) {
      throw new WidthMismatchException(rec.name(), rec.width(), width);
    }
  }

  /**
   * Records {@code width} as the source's width inside the write's transaction, unless another
   * writer recorded one first: then that one must be the same.
   */
  void claimWidth(Connection c, SourceName target, Timeframe width) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE tickvault_sources SET timeframe = ? WHERE name = ? AND timeframe IS NULL AND mixed IS NULL")) {
      ps.setString(1, width.cliName());
      ps.setString(2, target.value());
      if (ps.executeUpdate() == 1) {
        return;
      }
    }
    SourceRecord now = registryRow(c, target);
    if (now == null) {
      throw new NotFoundException("source '" + target + "' was dropped while writing into it; nothing was written");
    }
    requireWritableModel(now, width);
  }

  /** Reads the store id, creating it on first use (writable stores only). */
  public static String ensureStoreId(Connection c, boolean writable) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT value FROM tickvault_meta WHERE key = 'store_id'")) {
      if (rs.next()) {
        return rs.getString(1);
      }
    }
    if (!writable) {
      return null;
    }
    String id = UUID.randomUUID().toString();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO tickvault_meta (key, value) VALUES ('store_id', ?) ON CONFLICT (key) DO NOTHING")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    return ensureStoreId(c, false);
  }
}
