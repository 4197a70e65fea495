package io.tickvault.cli;

import io.tickvault.archive.DailyRetention;
import io.tickvault.config.Settings;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --apply-retention} and {@code --archive-dir} of the long-running commands ({@code serve}, {@code sync --every}). */
public final class RetentionScheduleOptions {
  @Option(names = "--apply-retention",
      description = "Also apply production's retention policies (tickvault retention) once a UTC day (sync --every: "
          + "before that day's first sync; serve, live mode only: checked hourly); a policy on real data needs one "
          + "`tickvault retention apply --confirm` first, until then it is skipped and said so.")
  boolean applyRetention;

  @Option(names = "--archive-dir", paramLabel = "DIR", defaultValue = "data/archive",
      description = "With --apply-retention: folder of the retention archives (default: ${DEFAULT-VALUE}).")
  String archiveDir = "data/archive";

  /** The daily run these options ask for, or null without {@code --apply-retention}. */
  DailyRetention daily(Settings settings) {
    return applyRetention ? new DailyRetention(Clock.systemUTC(), settings.workDir().resolve(archiveDir).normalize())
        : null;
  }
}
