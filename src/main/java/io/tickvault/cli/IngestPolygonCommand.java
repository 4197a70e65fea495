package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Text;
import io.tickvault.ingest.IngestReport;
import io.tickvault.ingest.Sleeper;
import io.tickvault.ingest.VendorIngestService;
import io.tickvault.ingest.polygon.PolygonBarSource;
import io.tickvault.ingest.polygon.PolygonClient;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tickvault ingest polygon}: Polygon (Massive) aggregates into {@code polygon}. Not thread-
 * safe: one instance per run.
 */
@Command(name = "polygon", mixinStandardHelpOptions = true,
    header = "Download bars from Polygon (Massive).",
    description = {"Download bars from Polygon (Massive) into the 'polygon' source (or a vendor source of your own",
        "with --into). Each page is written atomically; without --from each symbol continues from its last",
        "stored bar minus a trailing window, so an interrupted run is finished by running it again.",
        "Key: POLYGON_API_KEY (or MASSIVE_API_KEY). Base URL: TICKVAULT_POLYGON_URL (default",
        "https://api.massive.com). The free plan allows 5 requests a minute: requests are paced to that",
        "unless --rate or TICKVAULT_POLYGON_RATE says otherwise (0 = no pacing, for paid plans)."},
    footer = {"", "Examples:",
        "  tickvault ingest polygon --symbols AAPL,MSFT --from 2024-01-02 --to 2024-12-31",
        "  tickvault ingest polygon --symbols AAPL --from 2025-01-02 --timeframe 1Min --rate 0",
        "  tickvault ingest polygon --symbols AAPL,MSFT            # continue from the last stored bars",
        "  tickvault ingest polygon --symbols SPY --from 2024-06-03 --unadjusted --into polygon_raw",
        "", "Exit codes: 0 ok, 2 bad option or refused target, 4 Polygon unreachable or refused the key/plan."})
final class IngestPolygonCommand extends BaseCommand {
  /** Requests per minute (0 = no pacing); default 5, the free plan's limit. */
  static final String RATE = "TICKVAULT_POLYGON_RATE";

  @Mixin
  VendorOptions vendor;

  @Mixin
  OutputOptions output;

  @Option(names = "--unadjusted", description = "Raw prices instead of split-adjusted ones (the vendor's default).")
  boolean unadjusted;

  @Option(names = "--rate", paramLabel = "N",
      description = "Requests per minute to pace to; 0 for no pacing (default: " + RATE + " or 5).")
  String rate;

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    Settings s = settings();
    String key = s.polygonKey().orElseThrow(() -> new InvalidInputException("no Polygon API key: set POLYGON_API_KEY "
        + "(or MASSIVE_API_KEY) in the environment or in .env"));
    int rpm = requestsPerMinute(rate != null ? rate : s.get(RATE).orElse(String.valueOf(PolygonClient.FREE_PLAN_RATE)));
    var plan = vendor.plan(s);
    var base = VendorOptions.baseUrl(s, Settings.POLYGON_URL);
    try (Progress p = Progress.forTerminal(err())) {
      PolygonClient client = PolygonClient.create(base, key, rpm, vendor.http(s), Sleeper.SYSTEM, Clock.systemUTC(),
          p::println);
      PolygonBarSource source = new PolygonBarSource(client, !unadjusted, p::println);
      IngestReport r = new VendorIngestService(workspace().store(), Clock.systemUTC())
          .ingest(source, plan, VendorRun.listener(p));
      p.close();
      VendorRun.print(r, "Polygon", output.json(), out());
    }
    return ExitCodes.OK;
  }

  static int requestsPerMinute(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new InvalidInputException("invalid request rate " + Text.quote(v) + ": give requests per minute, e.g. 5 "
        + "(the free plan), or 0 for no pacing");
  }
}
