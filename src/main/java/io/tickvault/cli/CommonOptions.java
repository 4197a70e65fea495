package io.tickvault.cli;

import io.tickvault.config.Settings;
import picocli.CommandLine.Option;

/** Options every command takes: which store to use, and verbosity. */
public final class CommonOptions {
  @Option(names = "--db", paramLabel = "URL",
      description = "Production store: postgres://user@host:5432/db, jdbc:postgresql://..., or a SQLite file "
          + "(overrides TICKVAULT_DATABASE_URL; default data/tickvault.db).")
  String db;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "live (production), mirror (read-only mirror) or test (separate test store); overrides DATA_MODE.")
  String mode;

  @Option(names = "--mirror", paramLabel = "FILE", description = "Mirror file (overrides TICKVAULT_MIRROR).")
  String mirror;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
  boolean verbose;

  Settings apply(Settings s) {
    return s.with(Settings.DATABASE_URL, db).with(Settings.DATA_MODE, mode).with(Settings.MIRROR, mirror);
  }
}
