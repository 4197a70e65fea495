package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.server.DemoSetup;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault demo}: zero set-up; embedded production, synthetic data, mirror, dashboard. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Set up demo data and a mirror, then serve the dashboard.",
    description = {"Zero set-up demo: creates the production store if missing (the embedded data/tickvault.db when",
        "TICKVAULT_DATABASE_URL is not set), writes four weeks of synthetic 1-minute bars for 12 symbols into its",
        "'synthetic' source, syncs the mirror, and serves the dashboard. Running it again rewrites the same rows."},
    footer = {"", "Examples:", "  tickvault demo                        # then open http://127.0.0.1:8001/",
        "  tickvault demo --mode mirror          # serve the read-only mirror instead of production",
        "  tickvault demo --no-serve             # only prepare the data"})
final class DemoCommand extends BaseCommand {
  @Option(names = "--port", paramLabel = "PORT", description = "Port (overrides TICKVAULT_PORT; default 8001).")
  String port;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (overrides TICKVAULT_HOST; default 127.0.0.1).")
  String host;

  @Option(names = "--no-serve", description = "Prepare the data and stop; do not start the server.")
  boolean noServe;

  @Option(names = "--yes", description = "Allow writing the demo data into a PostgreSQL production store "
      + "configured with TICKVAULT_DATABASE_URL or --db (by default the demo only writes to the embedded store).")
  boolean yes;

  @Override
  protected Settings settings() {
    return super.settings().with(Settings.PORT, port).with(Settings.HOST, host);
  }

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    String url = settings().databaseUrl();
    if (io.tickvault.store.Stores.isPostgres(url) && !yes) {
      throw new io.tickvault.domain.InvalidInputException("the demo would write synthetic bars into the PostgreSQL "
          + "store " + io.tickvault.store.Stores.location(url) + " (from TICKVAULT_DATABASE_URL or --db); it only "
          + "writes to the embedded store by default. Unset TICKVAULT_DATABASE_URL, or add --yes if that store is a "
          + "scratch database");
    }
    DemoSetup.Result r = DemoSetup.prepare(workspace(), line -> {
      err().println("tickvault demo: " + line);
      err().flush();
    });
    out().println("demo data: " + Formats.count(r.rows()) + " synthetic 1-minute bars, " + r.symbols() + " symbols, "
        + r.from() + ".." + r.to() + ", in " + r.production() + " ("
        + String.format(Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0) + " s)");
    out().println("mirror: " + r.mirror());
    out().flush();
    if (!noServe) {
      ServeCommand.serveUntilStopped(workspace(), out());
    }
    return ExitCodes.OK;
  }
}
