package io.tickvault.cli;

import io.tickvault.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command; holds the settings every subcommand starts from. */
@Command(name = "tickvault", mixinStandardHelpOptions = true, versionProvider = TickvaultCommand.Version.class,
    description = {
        "Market price data with provenance: one table per source, a read-only mirror of production,",
        "vendor downloaders, and checks that say which data you are looking at.",
        "Global options (--db, --mode, --mirror, -v) work before or after the command."},
    footer = {"", "Examples:",
        "  tickvault ingest synthetic --symbols AAPL,MSFT --from 2025-01-15 --to 2025-01-20",
        "  tickvault list",
        "  tickvault compare --source synthetic --target test",
        "  tickvault --db postgres://user@db:5432/prod list",
        "  tickvault help sync",
        "", "Configuration: flags > environment > .env > defaults (see docs/cli.md).",
        "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 a check found a problem, 4 a store or vendor",
        "is unreachable. Shell completion: source <(tickvault completion)"},
    subcommands = {
        ListCommand.class,
        CreateCommand.class,
        CleanCommand.class,
        MigrateCommand.class,
        CompareCommand.class,
        ValidateCommand.class,
        HealthCommand.class,
        BacktestCommand.class,
        IngestCommand.class,
        CollectCommand.class,
        ImportCommand.class,
        ExportCommand.class,
        RetentionCommand.class,
        BenchCommand.class,
        SyncCommand.class, VerifyCommand.class, CheckCommand.class, HooksCommand.class,
        ServeCommand.class,
        DemoCommand.class,
        CompletionCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class TickvaultCommand implements Runnable {
  private final Settings settings;
  /**
   * Where data files written to standard output go ({@code export --output -}), unredacted: bytes of
   * bars, which hold only validated names and numbers, must reach the file exactly (redacting a
   * database password that happens to be digits would change prices). Set by {@link Cli}.
   */
  java.io.OutputStream dataOut = new java.io.FileOutputStream(java.io.FileDescriptor.out);

  @Spec
  CommandSpec spec;

  /** Global options, given before the verb ({@code tickvault --db X list}); a subcommand's own flags win. */
  @Mixin
  CommonOptions common;

  TickvaultCommand(Settings settings) {
    this.settings = settings;
  }

  /** The settings with the global options applied. */
  Settings settings() {
    return common == null ? settings : common.apply(settings);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version of this build (version.properties, filled in by Maven from the pom's version). */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      return new String[] {"tickvault " + version()};
    }

    static String version() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = TickvaultCommand.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new java.io.IOException("version.properties is missing from the build");
        }
        p.load(in);
      }
      String v = p.getProperty("version", "");
      if (v.isBlank() || v.contains("${")) {
        throw new java.io.IOException("version.properties was not filled in by the build");
      }
      return v.strip();
    }
  }
}
