package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.server.ApiServer;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault serve}: the HTTP API and the dashboard for the configured DATA_MODE and DATA_SOURCE. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    header = "Serve the HTTP API and the dashboard.",
    description = {"Serve the HTTP API and the dashboard (DATA_MODE decides the store: live = production, mirror =",
        "the read-only mirror, test = the test store). Binds 127.0.0.1 unless --host says otherwise.",
        "Runs until stopped with Ctrl-C."},
    footer = {"", "Examples:", "  tickvault serve                       # http://127.0.0.1:8001/",
        "  tickvault serve --port 8080 --source alpaca",
        "  DATA_MODE=mirror tickvault serve      # the mirror, with its freshness and a Sync now button",
        "  DATA_MODE=mirror tickvault serve --simulate-live   # plus a simulated (hollow) current candle",
        "  DATA_MODE=mirror tickvault serve --sync-every 6h   # and keep the mirror synced every 6 hours",
        "  curl 'http://127.0.0.1:8001/api/market-data/history/AAPL?from=2025-01-06&to=2025-01-10&interval=1h'"})
final class ServeCommand extends BaseCommand {
  @Option(names = "--port", paramLabel = "PORT", description = "Port (overrides TICKVAULT_PORT; default 8001; 0 = any free port).")
  String port;

  @Option(names = "--host", paramLabel = "HOST",
      description = "Address to bind (overrides TICKVAULT_HOST; default 127.0.0.1). 0.0.0.0 exposes the API to the network.")
  String host;

  @Option(names = "--source", paramLabel = "SOURCE", description = "Default source (overrides DATA_SOURCE; default synthetic).")
  String source;

  @Option(names = "--simulate-live",
      description = "Mirror mode only: add a simulated current candle after the last synced bar (from its close), "
          + "marked simulated and drawn hollow; never stored or exported.")
  boolean simulateLive;

  @Option(names = "--sync-every", paramLabel = "PERIOD",
      description = "Mirror mode only: also sync the mirror every PERIOD (e.g. 30m, 6h, 24h), as `tickvault sync "
          + "--every` does, never at the same time as the Sync now button.")
  java.time.Duration syncEvery;

  @Override
  protected Settings settings() {
    return super.settings().with(Settings.PORT, port).with(Settings.HOST, host).with(Settings.DATA_SOURCE, source);
  }

  /** A live server may start on an empty production store; a mirror server creates nothing. */
  @Override
  protected boolean mayCreateStores() {
    return settings().dataMode() == io.tickvault.domain.DataMode.LIVE;
  }

  @Override
  protected int run() {
    if (simulateLive && settings().dataMode() != io.tickvault.domain.DataMode.MIRROR) {
      throw new io.tickvault.domain.InvalidInputException("--simulate-live is for the mirror only (DATA_MODE=mirror): "
          + "in live mode the dashboard shows the real current candle that tickvault collect writes");
    }
    java.time.Duration every = null;
    if (syncEvery != null) {
      if (settings().dataMode() != io.tickvault.domain.DataMode.MIRROR) {
        throw new io.tickvault.domain.InvalidInputException("--sync-every is for the mirror only (DATA_MODE=mirror "
            + "or --mode mirror): it keeps the mirror this server shows up to date");
      }
      every = syncEvery;
    }
    serveUntilStopped(workspace(), out(), simulateLive, every);
    return ExitCodes.OK;
  }

  static void serveUntilStopped(Workspace workspace, PrintWriter out) {
    serveUntilStopped(workspace, out, false, null);
  }

  /** Starts the server, prints where it listens, and blocks until Ctrl-C or an interrupt of this thread. */
  static void serveUntilStopped(Workspace workspace, PrintWriter out, boolean simulateLive,
      java.time.Duration syncEvery) {
    Settings s = workspace.settings();
    s.dataSource(); // fail at start-up, not on every request, on a bad DATA_SOURCE, DATA_MODE or stale threshold
    s.dataMode();
    s.staleAfter();
    boolean interrupted = false;
    try (ApiServer server = ApiServer.start(workspace, Clock.systemUTC(), s.host(), s.port(), simulateLive,
        java.time.Duration.ofSeconds(1))) {
      if (syncEvery != null) {
        server.syncEvery(syncEvery);
      }
      Thread hook = new Thread(server::close, "tickvault-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("tickvault: dashboard and API at " + server.url() + " (mode " + s.dataMode().label() + ", source "
          + s.dataSource() + (simulateLive ? "; simulated current candle ON: drawn hollow, never stored" : "")
          + "); press Ctrl-C to stop");
      out.flush();
      try {
        server.awaitStop();
      } catch (InterruptedException e) {
        interrupted = true; // asked to stop: close the server (with the flag clear) and return normally
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or has run
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
