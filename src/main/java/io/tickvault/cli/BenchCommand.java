package io.tickvault.cli;

import io.tickvault.bench.BenchRunner;
import io.tickvault.bench.Measurement;
import io.tickvault.config.Settings;
import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault bench}: measured throughput of the bulk paths, as ratios to same-run baselines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Measure the bulk paths on this machine against same-run baselines.",
    description = {"Measure the bulk paths on this machine and report each as a ratio to a baseline measured in",
        "the same run: SQLite ingest vs raw batched INSERTs; PostgreSQL ingest vs psql \\copy of the same rows into",
        "the same indexed table, vs a server-side COPY and vs one INSERT per row; a full mirror sync vs raw SQLite",
        "inserts, and an incremental sync after one changed chunk vs the full sync; validate vs a plain read of",
        "the same rows; GET /api/market-data/history of one symbol-year at 1m (every page) and 1d through a server",
        "on 127.0.0.1 vs the store's own query for the same range (medians of --history-runs runs).",
        "PostgreSQL steps need a scratch database (--pg or TICKVAULT_BENCH_PG_URL) holding no source tables; they",
        "create and drop their own zz_bench tables. A database holding tickvault data is refused."},
    footer = {"", "Examples:", "  tickvault bench --rows 200000",
        "  tickvault bench --pg postgres://postgres@127.0.0.1:5432/scratch --format json"})
final class BenchCommand extends BaseCommand {
  @Option(names = "--rows", defaultValue = "1000000", paramLabel = "N",
      description = "Bars per benchmark (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--pg", paramLabel = "URL", description = "Scratch PostgreSQL database for the PostgreSQL steps.")
  String pg;

  @Option(names = "--history-runs", defaultValue = "11", paramLabel = "N",
      description = "Runs of each history request and of the store's query; medians are compared (default: "
          + "${DEFAULT-VALUE}).")
  int historyRuns;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() throws Exception {
    if (rows < 10_000 || rows > 50_000_000) {
      throw new InvalidInputException("--rows " + rows + " is out of range: use 10000 to 50000000");
    }
    if (historyRuns < 1 || historyRuns > 1001) {
      throw new InvalidInputException("--history-runs " + historyRuns + " is out of range: use 1 to 1001");
    }
    Settings s = settings();
    String pgUrl = pg != null ? pg : s.get("TICKVAULT_BENCH_PG_URL").orElse(null);
    if (pgUrl != null) {
      if (!Stores.isPostgres(pgUrl)) {
        throw new InvalidInputException("--pg (or TICKVAULT_BENCH_PG_URL) must be a PostgreSQL URL of a scratch database");
      }
      if (s.productionConfigured() && io.tickvault.store.StoreUrl.parse(pgUrl, s.workDir()).sameStore(s.database())) {
        throw new InvalidInputException("refusing to benchmark the production store " + Stores.location(pgUrl)
            + " (TICKVAULT_DATABASE_URL, however it is spelled): give --pg a scratch database");
      }
      BenchRunner.requireScratch(pgUrl);
    }
    Path scratch = Files.createTempDirectory("tickvault-bench");
    BenchRunner runner = new BenchRunner(scratch, m -> {
      err().println("bench: " + m);
      err().flush();
    });
    List<Measurement> results = new ArrayList<>();
    try {
      err().println("bench: generating " + Formats.count(rows) + " bars...");
      List<Bar> bars = BenchRunner.data(rows);
      Measurement sqlite = runner.sqliteIngest(bars);
      results.add(sqlite);
      if (pgUrl != null) {
        results.addAll(runner.postgresIngest(pgUrl, bars, (int) Math.min(20_000, rows)));
      } else {
        err().println("bench: PostgreSQL steps not run: give --pg URL (a scratch database)");
      }
      results.addAll(runner.mirrorSync(pgUrl, bars, sqlite));
      results.add(runner.validate(bars));
      results.addAll(history(scratch, bars, pgUrl));
    } finally {
      runner.cleanup();
    }
    print(results, pgUrl == null ? null : Stores.location(pgUrl));
    return ExitCodes.OK;
  }

  /** The HTTP history step: SQLite always, PostgreSQL with --pg; the server runs in this process. */
  private List<Measurement> history(Path scratch, List<Bar> bars, String pgUrl) throws Exception {
    io.tickvault.bench.HistoryBench bench = new io.tickvault.bench.HistoryBench(scratch, m -> {
      err().println("bench: " + m);
      err().flush();
    });
    io.tickvault.bench.HistoryBench.Starter starter = (url, source) -> {
      Settings s = Settings.load(Map.of(Settings.DATABASE_URL, url, Settings.DATA_SOURCE, source.value(),
          Settings.DATA_MODE, "live", Settings.MIRROR, scratch.resolve("no-mirror.db").toString()), scratch);
      io.tickvault.config.Workspace ws = new io.tickvault.config.Workspace(s, false);
      io.tickvault.server.ApiServer server;
      try {
        server = io.tickvault.server.ApiServer.start(ws, java.time.Clock.systemUTC(), "127.0.0.1", 0);
      } catch (RuntimeException e) {
        ws.close();
        throw e;
      }
      return new io.tickvault.bench.HistoryBench.Server() {
        @Override
        public java.net.URI url() {
          return java.net.URI.create(server.url());
        }

        @Override
        public void close() {
          server.close();
          ws.close();
        }
      };
    };
    List<Measurement> out = new ArrayList<>(bench.run(null, "sqlite", bars, starter, historyRuns));
    if (pgUrl != null) {
      out.addAll(bench.run(pgUrl, "postgresql", bars, starter, historyRuns));
    }
    return out;
  }

  private void print(List<Measurement> results, String pgLocation) {
    if (output.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("rows", rows);
      doc.put("cores", Runtime.getRuntime().availableProcessors());
      doc.put("postgresql", pgLocation);
      doc.put("results", results.stream().map(m -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", m.name());
        r.put("rows", m.rows());
        r.put("seconds", m.seconds());
        r.put("rowsPerSecond", Math.round(m.rowsPerSecond()));
        r.put("baseline", m.baseline());
        r.put("baselineRowsPerSecond", Math.round(m.baselineRowsPerSecond()));
        r.put("ratio", m.ratio());
        r.put("target", m.target());
        r.put("met", m.met());
        return r;
      }).toList());
      out().println(Json.write(doc));
      return;
    }
    Table t = new Table("BENCHMARK", "ROWS", "SECONDS", "ROWS/S", "BASELINE", "BASELINE ROWS/S", "RATIO", "TARGET");
    for (Measurement m : results) {
      t.row(m.name(), Formats.count(m.rows()), String.format(Locale.ROOT, "%.2f", m.seconds()),
          Formats.rate(m.rowsPerSecond()), m.baseline(), Formats.rate(m.baselineRowsPerSecond()),
          String.format(Locale.ROOT, "%.2fx", m.ratio()), (m.met() ? "met: " : "NOT met: ") + m.target());
    }
    t.print(out());
  }
}
