package io.tickvault.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickvault ingest}: parent of the data producers. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    header = "Bring bars into a source: generate synthetic data, or download from a vendor.",
    description = "Bring bars into a source: generate synthetic data, or download from a vendor.",
    footer = {"", "Examples:", "  tickvault ingest synthetic --symbols AAPL,MSFT --from 2025-01-15 --to 2025-01-20",
        "  tickvault ingest polygon --symbols AAPL,MSFT --from 2024-01-02 --to 2024-12-31",
        "  tickvault ingest alpaca --symbols AAPL,MSFT --from 2024-01-02 --feed iex"},
    subcommands = {
        IngestSyntheticCommand.class,
        IngestPolygonCommand.class,
        IngestAlpacaCommand.class,
    })
final class IngestCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
