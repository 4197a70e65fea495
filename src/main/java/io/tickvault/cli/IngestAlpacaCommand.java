package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.ingest.IngestReport;
import io.tickvault.ingest.Sleeper;
import io.tickvault.ingest.VendorIngestService;
import io.tickvault.ingest.alpaca.AlpacaAdjustment;
import io.tickvault.ingest.alpaca.AlpacaBarSource;
import io.tickvault.ingest.alpaca.AlpacaClient;
import io.tickvault.ingest.alpaca.AlpacaFeed;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tickvault ingest alpaca}: Alpaca Market Data v2 stock bars into {@code alpaca}. Not thread-
 * safe: one instance per run.
 */
@Command(name = "alpaca", mixinStandardHelpOptions = true,
    header = "Download stock bars from Alpaca.",
    description = {"Download stock bars from Alpaca into the 'alpaca' source (or a vendor source of your own with",
        "--into). Each page is written atomically; without --from each symbol continues from its last stored",
        "bar minus a trailing window, so an interrupted run is finished by running it again. One source never",
        "mixes feeds: after iex bars, sip bars need --into (e.g. alpaca_sip).",
        "Keys: APCA_API_KEY_ID and APCA_API_SECRET_KEY. Base URL: TICKVAULT_ALPACA_URL (default",
        "https://data.alpaca.markets). Rate limits (200 requests a minute on the free plan) are honoured by",
        "waiting until X-RateLimit-Reset when Alpaca answers 429."},
    footer = {"", "Examples:",
        "  tickvault ingest alpaca --symbols AAPL,MSFT --from 2024-01-02 --to 2024-12-31",
        "  tickvault ingest alpaca --symbols AAPL --from 2025-01-02 --timeframe 1Min",
        "  tickvault ingest alpaca --symbols AAPL,MSFT            # continue from the last stored bars",
        "  tickvault ingest alpaca --symbols SPY --from 2024-01-02 --feed sip --adjustment split --into alpaca_sip",
        "", "Exit codes: 0 ok, 2 bad option or refused target, 4 Alpaca unreachable or refused the key/plan."})
final class IngestAlpacaCommand extends BaseCommand {
  @Mixin
  VendorOptions vendor;

  @Mixin
  OutputOptions output;

  @Option(names = "--feed", defaultValue = "iex", paramLabel = "FEED",
      description = "iex (every plan) or sip (all US exchanges; free plan: data older than 15 minutes) "
          + "(default: ${DEFAULT-VALUE}).")
  AlpacaFeed feed;

  @Option(names = "--adjustment", defaultValue = "raw", paramLabel = "ADJ",
      description = "raw, split or all (default: ${DEFAULT-VALUE}, as Alpaca).")
  AlpacaAdjustment adjustment;

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    Settings s = settings();
    List<String> missing = VendorOptions.missing(s, Settings.ALPACA_KEY_ID, Settings.ALPACA_SECRET);
    if (!missing.isEmpty()) {
      throw new InvalidInputException("no Alpaca API key: set " + String.join(" and ", missing)
          + " in the environment or in .env (both APCA_API_KEY_ID and APCA_API_SECRET_KEY are needed)");
    }
    var plan = vendor.plan(s);
    var base = VendorOptions.baseUrl(s, Settings.ALPACA_URL);
    try (Progress p = Progress.forTerminal(err())) {
      AlpacaClient client = AlpacaClient.create(base, s.require(Settings.ALPACA_KEY_ID),
          s.require(Settings.ALPACA_SECRET), vendor.http(s), Sleeper.SYSTEM, Clock.systemUTC(), p::println);
      AlpacaBarSource source = new AlpacaBarSource(client, feed, adjustment, Clock.systemUTC(), p::println);
      IngestReport r = new VendorIngestService(workspace().store(), Clock.systemUTC())
          .ingest(source, plan, VendorRun.listener(p));
      p.close();
      VendorRun.print(r, "Alpaca", output.json(), out());
    }
    return ExitCodes.OK;
  }
}
