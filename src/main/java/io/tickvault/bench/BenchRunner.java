package io.tickvault.bench;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.synthetic.SyntheticGenerator;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceTable;
import io.tickvault.store.Stores;
import io.tickvault.store.postgres.PostgresBarStore;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Set;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Runs the benchmarks. Data: deterministic synthetic 1-minute bars of 10 symbols, generated once
 * and held in memory (compactly) so generation is not timed. Each step uses fresh scratch tables (source
 * {@code zz_bench}, tables {@code zz_bench_*}) that are dropped afterwards. Not thread-safe.
 */
public final class BenchRunner {
  static final SourceName BENCH = SourceName.of("zz_bench");
  private final Consumer<String> log;
  private final Path scratchDir;

  public BenchRunner(Path scratchDir, Consumer<String> log) {
    this.scratchDir = scratchDir;
    this.log = log;
  }

  /**
   * {@code rows} bars of 10 symbols, oldest first per symbol, held compactly ({@link CompactBars}:
   * a million bars in about 80 MB).
   */
  public static List<Bar> data(long rows) {
    int symbols = 10;
    long perSymbol = rows / symbols;
    CompactBars out = new CompactBars(Math.toIntExact(perSymbol * symbols), SourceName.SYNTHETIC);
    SyntheticGenerator g = new SyntheticGenerator(20240101);
    for (int s = 0; s < symbols; s++) {
      var it = g.bars(Symbol.of("BENCH" + s), LocalDate.parse("2020-01-01"), LocalDate.parse("2039-12-31"),
          Timeframe.MIN_1, false, SourceName.SYNTHETIC);
      for (long i = 0; i < perSymbol && it.hasNext(); i++) {
        out.add(it.next(), s);
      }
    }
    return out;
  }

  /**
   * Refuses a PostgreSQL database that holds any source table other than the benchmark's own:
   * benchmarks create, fill and drop tables, which has no place next to real data.
   */
  public static void requireScratch(String pgUrl) throws java.sql.SQLException {
    try (Connection c = Stores.connectRaw(pgUrl); Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'price\\_ticks\\_%' "
             + "AND tablename <> 'price_ticks_zz_bench'")) {
      rs.next();
      long n = rs.getLong(1);
      if (n > 0) {
        throw new io.tickvault.domain.InvalidInputException("refusing to benchmark " + Stores.location(pgUrl) + ": it holds "
            + n + " source tables; give --pg an empty scratch database (CREATE DATABASE tickvault_bench)");
      }
    }
  }

  /** SQLite: tickvault's write path vs raw batched INSERTs into the same table layout. */
  public Measurement sqliteIngest(List<Bar> bars) throws Exception {
    Path base = scratchDir.resolve("baseline.db");
    Path tv = scratchDir.resolve("tickvault.db");
    Files.deleteIfExists(base);
    Files.deleteIfExists(tv);
    log.accept("sqlite: raw batched inserts (baseline)...");
    double baseline;
    try (Connection c = Stores.connectRaw(base.toString()); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      // the source table's layout and key, without tickvault's CHECKs and defaults
      s.execute(SourceTable.create("zz_bench_raw", SqliteBarStore.DIALECT, null, EnumSet.of(SourceTable.Part.KEY)));
      long t0 = System.nanoTime();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO zz_bench_raw VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        int n = 0;
        for (Bar b : bars) {
          ps.setString(1, b.symbol().value());
          ps.setLong(2, Prices.toScaled(b.price()));
          ps.setLong(3, b.timestamp().getEpochSecond() * 1_000_000L + b.timestamp().getNano() / 1000);
          ps.setLong(4, Prices.toScaled(b.open()));
          ps.setLong(5, Prices.toScaled(b.high()));
          ps.setLong(6, Prices.toScaled(b.low()));
          ps.setLong(7, Prices.toScaled(b.close()));
          ps.setLong(8, b.volume());
          ps.setInt(9, b.tradeCount());
          ps.setLong(10, Prices.toScaled(b.vwap()));
          ps.setString(11, b.origin().value());
          ps.addBatch();
          if (++n % 10_000 == 0) ps.executeBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      baseline = seconds(t0);
    }
    log.accept("sqlite: tickvault write path...");
    double mine;
    try (SqliteBarStore store = SqliteBarStore.open(tv, SqliteBarStore.Mode.PRODUCTION)) {
      store.createSource(BENCH, SourceKind.GENERATED, "benchmark scratch");
      long t0 = System.nanoTime();
      store.write(BENCH, Timeframe.MIN_1, bars.iterator());
      mine = seconds(t0);
    }
    Files.deleteIfExists(base);
    Files.deleteIfExists(tv);
    return new Measurement("ingest sqlite", bars.size(), mine, "raw batched INSERT, 1 txn", bars.size(), baseline,
        0.9, "close to raw batched inserts (>= 0.9x)");
  }

  /**
   * validate vs a plain read of the same rows from the same SQLite store: validate streams the bars
   * once, so it should take about as long as reading them (the read runs first and again after, and
   * the faster of the two is the baseline, so a cold cache does not flatter validate).
   */
  public Measurement validate(List<Bar> bars) throws Exception {
    Path db = scratchDir.resolve("validate.db");
    Files.deleteIfExists(db);
    try (SqliteBarStore store = SqliteBarStore.open(db, SqliteBarStore.Mode.PRODUCTION)) {
      store.createSource(BENCH, SourceKind.GENERATED, "benchmark scratch");
      log.accept("validate: writing " + bars.size() + " bars to read back...");
      store.write(BENCH, Timeframe.MIN_1, bars.iterator());
      log.accept("validate: plain read (baseline)...");
      long[] sum = new long[1];
      long t0 = System.nanoTime();
      long read = store.read(BENCH, io.tickvault.store.BarFilter.ALL, b -> sum[0] += b.volume());
      double baseline = seconds(t0);
      log.accept("validate: tickvault validate...");
      t0 = System.nanoTime();
      io.tickvault.quality.ValidationReport r = io.tickvault.quality.Validator.validate(store, BENCH,
          io.tickvault.quality.ValidateOptions.defaults(new io.tickvault.calendar.NyseCalendar(),
              java.time.Instant.now()));
      double mine = seconds(t0);
      t0 = System.nanoTime();
      store.read(BENCH, io.tickvault.store.BarFilter.ALL, b -> sum[0] += b.volume());
      baseline = Math.min(baseline, seconds(t0));
      if (r.rows() != read) {
        throw new IllegalStateException("validate saw " + r.rows() + " rows, the read " + read);
      }
      return new Measurement("validate sqlite", r.rows(), mine, "plain read of the same rows", read, baseline, 0.5,
          "about as fast as reading the rows (>= 0.5x)");
    } finally {
      Files.deleteIfExists(db);
    }
  }

  /** PostgreSQL: tickvault's write path vs COPY of pre-rendered text into an indexed table (psql \copy). */
  public List<Measurement> postgresIngest(String pgUrl, List<Bar> bars, int singleInsertSample) throws Exception {
    List<Measurement> out = new ArrayList<>();
    byte[] text = render(bars);
    // the source table's layout, key and defaults, without tickvault's CHECKs
    String ddl = "(" + SourceTable.definitions(PostgresBarStore.DIALECT, null,
        EnumSet.of(SourceTable.Part.KEY, SourceTable.Part.DEFAULTS)) + ")";
    double copySeconds;
    double insertSeconds;
    Double psqlSeconds = null;
    try (Connection c = Stores.connectRaw(pgUrl); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS zz_bench_copy");
      s.execute("DROP TABLE IF EXISTS zz_bench_insert");
      s.execute("CREATE TABLE zz_bench_copy " + ddl);
      s.execute("CREATE TABLE zz_bench_insert " + ddl);
      log.accept("postgresql: COPY of pre-rendered rows into an indexed table (baseline, like psql \\copy)...");
      long t0 = System.nanoTime();
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY zz_bench_copy FROM STDIN",
          new ByteArrayInputStream(text));
      copySeconds = seconds(t0);
      log.accept("postgresql: one INSERT per row, " + singleInsertSample + " rows (baseline)...");
      t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO zz_bench_insert VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        for (int i = 0; i < singleInsertSample && i < bars.size(); i++) {
          Bar b = bars.get(i);
          ps.setString(1, b.symbol().value());
          ps.setBigDecimal(2, b.price());
          ps.setObject(3, java.time.OffsetDateTime.ofInstant(b.timestamp(), java.time.ZoneOffset.UTC));
          ps.setBigDecimal(4, b.open());
          ps.setBigDecimal(5, b.high());
          ps.setBigDecimal(6, b.low());
          ps.setBigDecimal(7, b.close());
          ps.setLong(8, b.volume());
          ps.setInt(9, b.tradeCount());
          ps.setBigDecimal(10, b.vwap());
          ps.setString(11, b.origin().value());
          ps.executeUpdate();
        }
      }
      insertSeconds = seconds(t0);
      s.execute("DROP TABLE zz_bench_copy");
      s.execute("DROP TABLE zz_bench_insert");
      Double psql = psqlCopy(pgUrl, text, s, ddl);
      if (psql != null) {
        psqlSeconds = psql;
      }
    }
    // INGEST_ROUNDS rounds of tickvault's write, of the same write by a role without the privilege, and
    // (after the first) of psql \copy: each path's fastest round counts, so a burst of load elsewhere on
    // the machine does not decide a ratio
    double mine = Double.MAX_VALUE;
    Double triggers = null;
    boolean own;
    try (BarStore store = Stores.open(pgUrl)) {
      own = ((PostgresBarStore) store).recordsOwnChanges();
      try (Unprivileged plain = own ? unprivileged(pgUrl) : null) {
        for (int round = 1; round <= INGEST_ROUNDS; round++) {
          if (round > 1 && psqlSeconds != null) {
            try (Connection c = Stores.connectRaw(pgUrl); Statement s = c.createStatement()) {
              psqlSeconds = Math.min(psqlSeconds, psqlCopy(pgUrl, text, s, ddl));
            }
          }
          log.accept("postgresql: tickvault write path, round " + round + " (" + (own ? "own change records, triggers "
              + "off" : "the bench's role may not set session_replication_role: change-tracking triggers") + ")...");
          mine = Math.min(mine, timedWrite(store, bars));
          if (plain != null) {
            log.accept("postgresql: tickvault write path as " + plain.role() + ", round " + round + " (no privilege: "
                + "change-tracking triggers)...");
            triggers = Math.min(triggers == null ? Double.MAX_VALUE : triggers, timedWrite(plain.store(), bars));
          }
        }
      }
    }
    if (psqlSeconds != null) {
      out.add(new Measurement("ingest postgresql", bars.size(), mine, "psql \\copy into indexed table", bars.size(),
          psqlSeconds, 1.0, "at least as fast as psql \\copy (>= 1.0x)" + (own ? "; own change records" : "; triggers")));
      if (triggers != null) {
        out.add(new Measurement("ingest postgresql, no privilege", bars.size(), triggers, "psql \\copy into indexed table",
            bars.size(), psqlSeconds, 1.0, "at least as fast as psql \\copy (>= 1.0x); triggers (a role that may not set "
            + "session_replication_role)"));
      }
    }
    out.add(new Measurement("ingest postgresql", bars.size(), mine, "server COPY from memory", bars.size(),
        copySeconds, 0.5, "reference: raw server-side COPY, no triggers (>= 0.5x)"));
    out.add(new Measurement("ingest postgresql", bars.size(), mine, "one INSERT per row",
        Math.min(singleInsertSample, bars.size()), insertSeconds, 20.0, ">= 20x one-INSERT-per-row"));
    return out;
  }

  /** Creates the benchmark source, writes {@code bars} into it through tickvault (timed), drops it. */
  private static double timedWrite(BarStore store, List<Bar> bars) {
    store.dropSource(BENCH);
    store.createSource(BENCH, SourceKind.GENERATED, "benchmark scratch");
    long t0 = System.nanoTime();
    store.write(BENCH, Timeframe.MIN_1, bars.iterator());
    double s = seconds(t0);
    store.dropSource(BENCH);
    return s;
  }

  static final int INGEST_ROUNDS = 3;

  /** A store opened by a role made for the run; closing it drops the role. */
  private record Unprivileged(BarStore store, String role, String adminUrl) implements AutoCloseable {
    @Override
    public void close() throws java.sql.SQLException {
      store.close();
      try (Connection c = Stores.connectRaw(adminUrl); Statement s = c.createStatement()) {
        s.execute("DROP OWNED BY " + role); // its table (already dropped) and its grants
        s.execute("DROP ROLE " + role);
      }
    }
  }

  /**
   * A store opened by a role made for the run (login, the grants an ingest role needs, the owner of
   * the source table it creates, not allowed to set {@code session_replication_role}); null when
   * the bench's role may not create roles.
   */
  private Unprivileged unprivileged(String pgUrl) throws Exception {
    String role = "tv_bench_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String password = java.util.UUID.randomUUID().toString().replace("-", "");
    try (Connection c = Stores.connectRaw(pgUrl); Statement s = c.createStatement()) {
      String db;
      String schema;
      try (java.sql.ResultSet rs = s.executeQuery("SELECT quote_ident(current_database()), quote_ident(current_schema())")) {
        rs.next();
        db = rs.getString(1);
        schema = rs.getString(2);
      }
      try {
        s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
      } catch (java.sql.SQLException e) {
        log.accept("the bench's role may not create roles (" + e.getMessage().strip() + "): the write without the "
            + "privilege is not measured");
        return null;
      }
      try {
        s.execute("GRANT CONNECT ON DATABASE " + db + " TO " + role);
        s.execute("GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role);
        s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
        s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
        io.tickvault.store.PgUrl u = Stores.parsePostgres(pgUrl);
        BarStore store = Stores.open(u.jdbcUrl() + (u.params().isEmpty() ? "?" : "&") + "user=" + role + "&password="
            + password);
        if (((PostgresBarStore) store).recordsOwnChanges()) {
          store.close();
          throw new IllegalStateException("a role made without privileges may set session_replication_role");
        }
        return new Unprivileged(store, role, pgUrl);
      } catch (java.sql.SQLException | RuntimeException e) {
        s.execute("DROP OWNED BY " + role);
        s.execute("DROP ROLE " + role);
        throw e;
      }
    }
  }

  /** psql \\copy of the same rows from a file into the same indexed table; null when psql is absent. */
  private Double psqlCopy(String pgUrl, byte[] text, Statement s, String ddl) throws Exception {
    Path file = scratchDir.resolve("rows.tsv");
    Files.write(file, text);
    s.execute("DROP TABLE IF EXISTS zz_bench_psql");
    s.execute("CREATE TABLE zz_bench_psql " + ddl);
    try {
      log.accept("postgresql: psql \\copy from a file into an indexed table (baseline)...");
      ProcessBuilder pb = new ProcessBuilder("psql", "-v", "ON_ERROR_STOP=1", "-q", "-c",
          "\\copy zz_bench_psql FROM '" + file.toAbsolutePath() + "'");
      pb.environment().putAll(Stores.libpqEnvironment(pgUrl));
      pb.redirectErrorStream(true);
      long t0 = System.nanoTime();
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        log.accept("psql not found: the psql \\copy baseline is not measured");
        return null;
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      double secs = seconds(t0);
      if (code != 0) {
        throw new IllegalStateException("psql \\copy failed (exit " + code + "): " + output.strip());
      }
      return secs;
    } finally {
      s.execute("DROP TABLE IF EXISTS zz_bench_psql");
      Files.deleteIfExists(file);
    }
  }

  /**
   * Mirror sync: a full sync of {@code bars} from production (PostgreSQL when {@code pgUrl} is
   * given, else an embedded SQLite store) into a new mirror, against the raw SQLite insert rate
   * measured in {@code sqlite}; then an incremental sync after one chunk (one symbol, one day)
   * changed in production, against the full sync.
   */
  public List<Measurement> mirrorSync(String pgUrl, List<Bar> bars, Measurement sqlite) throws Exception {
    String prodUrl = pgUrl != null ? pgUrl : scratchDir.resolve("production.db").toString();
    Path mirror = scratchDir.resolve("mirror.db");
    List<Measurement> out = new ArrayList<>();
    try (BarStore production = Stores.open(prodUrl)) {
      production.dropSource(BENCH);
      production.createSource(BENCH, SourceKind.GENERATED, "benchmark scratch");
      log.accept("mirror: loading " + bars.size() + " bars into production (" + production.info().location() + ")...");
      production.write(BENCH, Timeframe.MIN_1, bars.iterator());
      MirrorService service = new MirrorService(mirror, Clock.systemUTC());
      SyncOptions only = new SyncOptions(Set.of(BENCH), null, false, false);
      log.accept("mirror: full sync...");
      long t0 = System.nanoTime();
      service.sync(production, only);
      double full = seconds(t0);
      out.add(new Measurement("sync full", bars.size(), full, "raw batched INSERT, 1 txn", sqlite.baselineRows(),
          sqlite.baselineSeconds(), 0.5, "reference: what SQLite absorbs (>= 0.5x of raw inserts)"));
      Bar first = bars.get(0);
      LocalDate day = io.tickvault.domain.Chunk.dayOf(first.timestamp());
      List<Bar> changed = new ArrayList<>();
      for (Bar b : bars) {
        if (b.symbol().equals(first.symbol()) && io.tickvault.domain.Chunk.dayOf(b.timestamp()).equals(day)) {
          changed.add(new Bar(b.symbol(), b.timestamp(), b.price(), b.open(), b.high(), b.low(), b.close(),
              b.volume() + 1, b.tradeCount(), b.vwap(), b.origin()));
        }
      }
      production.write(BENCH, Timeframe.MIN_1, changed.iterator());
      log.accept("mirror: incremental sync after changing " + changed.size() + " rows (" + first.symbol() + ", " + day
          + ")...");
      t0 = System.nanoTime();
      service.sync(production, only);
      double incremental = seconds(t0);
      out.add(new Measurement("sync incremental, 1 chunk", bars.size(), incremental, "full sync", bars.size(), full,
          50.0, "under 2% of a full sync (>= 50x faster)"));
      out.add(verify(production, service));
      if (pgUrl != null) {
        Measurement byHand = byHandSync(pgUrl, bars.size(), full);
        if (byHand != null) {
          out.add(byHand);
        }
      }
      production.dropSource(BENCH);
    } finally {
      for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
        Files.deleteIfExists(Path.of(mirror + suffix));
      }
    }
    return out;
  }

  /**
   * verify (every chunk's checksum on both sides) against a plain read of the same rows from both
   * stores; the faster of a read before and after is the baseline, so a cold cache does not flatter it.
   */
  private Measurement verify(BarStore production, MirrorService service) {
    long[] sum = new long[1];
    double baseline = Double.MAX_VALUE;
    long rows = 0;
    for (int i = 0; i < 2; i++) {
      if (i == 1) {
        log.accept("mirror: tickvault verify...");
        long t0 = System.nanoTime();
        io.tickvault.mirror.VerifyReport r = service.verify(production, null);
        verifySeconds = seconds(t0);
        if (!r.ok()) {
          throw new IllegalStateException("verify found differences in a mirror just synced: " + r.chunksDiffering());
        }
      }
      log.accept("mirror: plain read of production and mirror (baseline)...");
      long t0 = System.nanoTime();
      long n = production.read(BENCH, io.tickvault.store.BarFilter.ALL, b -> sum[0] += b.volume());
      try (BarStore m = Stores.openMirrorReadOnly(service.file())) {
        n += m.read(BENCH, io.tickvault.store.BarFilter.ALL, b -> sum[0] += b.volume());
      }
      baseline = Math.min(baseline, seconds(t0));
      rows = n;
    }
    return new Measurement("verify", rows, verifySeconds, "plain read of both sides", rows, baseline, 0.7,
        "about as fast as reading both sides (>= 0.7x)");
  }

  private double verifySeconds;

  /**
   * The by-hand pipeline a full sync replaces: {@code psql \copy (SELECT ...) TO STDOUT | sqlite3
   * .import} into an identical table (the mirror's layout: WITHOUT ROWID, CHECKs, integer prices and
   * microseconds), against the full sync of the same rows. Null when psql or sqlite3 is missing.
   */
  private Measurement byHandSync(String pgUrl, long rows, double fullSeconds) throws Exception {
    Path db = scratchDir.resolve("byhand.db");
    Files.deleteIfExists(db);
    String table = BENCH.tableName();
    String create = SourceTable.create(table, SqliteBarStore.DIALECT, BENCH.value(), SourceTable.FULL);
    String select = "SELECT symbol, (price * 10000)::bigint, (extract(epoch FROM \"timestamp\") * 1000000)::bigint, "
        + "(open_price * 10000)::bigint, (high_price * 10000)::bigint, (low_price * 10000)::bigint, "
        + "(close_price * 10000)::bigint, volume, trade_count, (vwap * 10000)::bigint, origin FROM " + table
        + " ORDER BY symbol, \"timestamp\"";
    String script = "psql -v ON_ERROR_STOP=1 -q -c \"\\copy (" + select.replace("\"", "\\\"") + ") TO STDOUT\" "
        + "| sqlite3 " + db.toAbsolutePath() + " \".mode tabs\" \".import /dev/stdin " + table + "\"";
    try {
      ProcessBuilder mk = new ProcessBuilder("sqlite3", db.toAbsolutePath().toString(), create);
      mk.redirectErrorStream(true);
      Process p;
      try {
        p = mk.start();
      } catch (IOException e) {
        log.accept("sqlite3 not found: the psql | sqlite3 baseline is not measured");
        return null;
      }
      String made = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("sqlite3 could not create the table: " + made.strip());
      }
      log.accept("mirror: psql \\copy (select) | sqlite3 .import into an identical table (baseline)...");
      ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", script);
      pb.environment().putAll(Stores.libpqEnvironment(pgUrl));
      pb.redirectErrorStream(true);
      long t0 = System.nanoTime();
      try {
        p = pb.start();
      } catch (IOException e) {
        log.accept("bash not found: the psql | sqlite3 baseline is not measured");
        return null;
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      double secs = seconds(t0);
      if (code != 0) {
        log.accept("psql | sqlite3 failed (exit " + code + "), the baseline is not measured: " + output.strip());
        return null;
      }
      return new Measurement("sync full vs psql|sqlite3", rows, fullSeconds, "psql \\copy | sqlite3 .import", rows,
          secs, 0.7, "close to the by-hand pipeline (>= 0.7x)");
    } finally {
      for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
    }
  }

  static byte[] render(List<Bar> bars) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bars.size() * 120);
    StringBuilder b = new StringBuilder(200);
    for (Bar x : bars) {
      b.setLength(0);
      b.append(x.symbol().value()).append('\t').append(x.price().toPlainString()).append('\t').append(x.timestamp())
          .append('\t').append(p(x.open())).append('\t').append(p(x.high())).append('\t').append(p(x.low()))
          .append('\t').append(p(x.close())).append('\t').append(x.volume()).append('\t').append(x.tradeCount())
          .append('\t').append(p(x.vwap())).append('\t').append(x.origin().value()).append('\n');
      byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static String p(BigDecimal v) {
    return v == null ? "\\N" : v.toPlainString();
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Deletes the scratch directory's files. */
  public void cleanup() {
    try (var files = Files.list(scratchDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(scratchDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
