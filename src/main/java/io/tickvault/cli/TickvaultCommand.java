package io.tickvault.cli;

import io.tickvault.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command; holds the settings every subcommand starts from. */
@Command(name = "tickvault", mixinStandardHelpOptions = true, versionProvider = TickvaultCommand.Version.class,
    description = {
        "Market price data with provenance: one table per source, a read-only mirror of production,",
        "vendor downloaders, and checks that say which data you are looking at.", ""},
    footer = {"", "Examples:",
        "  tickvault ingest synthetic --symbols AAPL,MSFT --from 2025-01-15 --to 2025-01-20",
        "  tickvault list",
        "  tickvault compare --source synthetic --target test",
        "", "Configuration: flags > environment > .env > defaults (see README). Exit codes: 0 ok, 1 internal error,",
        "2 usage error, 3 a check found a problem, 4 a store or vendor is unreachable."},
    subcommands = {
        ListCommand.class,
        CreateCommand.class,
        CleanCommand.class,
        MigrateCommand.class,
        CompareCommand.class,
        ValidateCommand.class,
        BacktestCommand.class,
        IngestCommand.class,
        CollectCommand.class,
        ImportCommand.class,
        BenchCommand.class,
        SyncCommand.class, VerifyCommand.class, CheckCommand.class, HooksCommand.class,
        ServeCommand.class,
        DemoCommand.class,
    })
public final class TickvaultCommand implements Runnable {
  private final Settings settings;

  @Spec
  CommandSpec spec;

  TickvaultCommand(Settings settings) {
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest, or "dev". */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TickvaultCommand.class.getPackage().getImplementationVersion();
      return new String[] {"tickvault " + (v == null ? "dev" : v)};
    }
  }
}
