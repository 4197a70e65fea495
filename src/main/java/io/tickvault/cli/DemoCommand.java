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
        "'synthetic' source, syncs the demo's own mirror (data/demo-mirror.db, so the mirror of your development",
        "workflow, TICKVAULT_MIRROR, is never taken), and serves the dashboard. Running it again rewrites the same",
        "rows."},
    footer = {"", "Examples:", "  tickvault demo                        # then open http://127.0.0.1:8001/",
        "  tickvault demo --mode mirror          # serve the demo's read-only mirror instead of production",
        "  tickvault demo --no-serve             # only prepare the data",
        "", "Exit codes: 0 done (or stopped with Ctrl-C), 2 refused (PostgreSQL without --yes, a refused sync),",
        "4 a store is unreachable. When a step fails the demo says which and does not start the server."})
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

  /** The demo's own mirror, unless --mirror names one. */
  static final String DEMO_MIRROR = "data/demo-mirror.db";

  @Override
  protected Settings settings() {
    Settings s = super.settings().with(Settings.PORT, port).with(Settings.HOST, host);
    return ownMirror(s) ? s.with(Settings.MIRROR, DEMO_MIRROR) : s;
  }

  private static boolean ownMirror(Settings s) {
    return !"a flag".equals(s.origin(Settings.MIRROR));
  }

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    io.tickvault.store.StoreUrl url = settings().database();
    if (url.isPostgres() && !yes) {
      throw new io.tickvault.domain.InvalidInputException("the demo would write synthetic bars into the PostgreSQL "
          + "store " + url.location() + " (from TICKVAULT_DATABASE_URL or --db); it only "
          + "writes to the embedded store by default. Unset TICKVAULT_DATABASE_URL, or add --yes if that store is a "
          + "scratch database");
    }
    DemoSetup.Result r = DemoSetup.prepare(workspace(), line -> {
      err().println("tickvault demo: " + line);
      err().flush();
    }, ownMirror(super.settings()));
    out().println("demo data: " + Formats.count(r.rows()) + " synthetic 1-minute bars, " + r.symbols() + " symbols, "
        + r.from() + ".." + r.to() + ", in " + r.production() + " ("
        + String.format(Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0) + " s)");
    out().println("mirror: " + r.mirror());
    out().flush();
    if (!r.ok()) {
      err().println("tickvault demo: the mirror step failed" + (noServe ? "" : "; the dashboard was not started"));
      throw r.mirrorFailure();
    }
    if (!noServe) {
      ServeCommand.serveUntilStopped(workspace(), out());
    }
    return ExitCodes.OK;
  }
}
