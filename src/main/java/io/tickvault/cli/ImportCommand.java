package io.tickvault.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickvault import}: parent of the file importers. Not thread-safe: one instance per run. */
@Command(name = "import", mixinStandardHelpOptions = true,
    header = "Import bars from files into a source of your own.",
    description = "Import bars from files into a source of your own.",
    footer = {"", "Examples:", "  tickvault import csv bars.csv --source mydata",
        "  tickvault import csv AAPL.csv --source yahoo --symbol AAPL",
        "  tickvault import parquet alpaca.parquet --source alpaca"},
    subcommands = {
        ImportCsvCommand.class,
        ImportParquetCommand.class,
    })
final class ImportCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
