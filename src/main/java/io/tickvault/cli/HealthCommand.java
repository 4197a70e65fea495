package io.tickvault.cli;

import io.tickvault.domain.DataMode;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.Freshness;
import io.tickvault.mirror.MirrorService;
import io.tickvault.quality.HealthJson;
import io.tickvault.quality.HealthReport;
import io.tickvault.quality.HealthService;
import io.tickvault.quality.SourceHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault health}: is every source up to date, did its last ingest run succeed? For cron alerts. */
@Command(name = "health", mixinStandardHelpOptions = true,
    header = "Say per source whether its data is up to date and its last ingest run succeeded.",
    description = {"Per source: the newest bar against what the calendar says it should be (us-equities: a bar of the",
        "last completed session, counted completed --grace after its close; a source kept in UTC is 24x7: its",
        "newest bar must have ended at most one bar width + --grace-24x7 ago), the last ingest run and its status",
        "(a run whose process is gone shows as abandoned), rows and rows per day over the last --days days, and",
        "the open findings of the last `tickvault validate` over the source.",
        "States, worst first: failed, abandoned, late (each exits 3), empty, fresh."},
    footer = {"", "Examples:",
        "  tickvault health                          # every source",
        "  tickvault health --source alpaca --format json",
        "  tickvault health || notify-team           # from cron: exit 3 when a source is late or its run failed",
        "  DATA_MODE=mirror tickvault health         # the mirror's data, and the mirror's age",
        "", "Exit codes: 0 healthy (fresh or empty sources), 3 a source is late or its last run failed or was "
            + "abandoned, 2 bad option or unknown source, 4 the store is unreachable."})
public final class HealthCommand extends BaseCommand {
  @Option(names = "--source", paramLabel = "SOURCE", description = "Only this source (default: every source).")
  String source;

  @Option(names = "--grace", paramLabel = "DURATION",
      description = "us-equities: how long after a session's close its bars must be there (default: 6h).")
  Duration grace;

  @Option(names = "--grace-24x7", paramLabel = "DURATION",
      description = "24x7: how long after one more bar width a bar may arrive (default: 1h).")
  Duration grace24x7;

  @Option(names = "--days", paramLabel = "N", defaultValue = "7",
      description = "UTC days of rows per day to show, today included (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--closed", paramLabel = "DATE", split = ",",
      description = "Extra NYSE full-day closures (announced after this release); repeatable.")
  List<LocalDate> closed = new ArrayList<>();

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    HealthService.Options o = new HealthService.Options(grace, grace24x7, days, new ArrayList<>(closed));
    SourceName only = source == null ? null : sourceName(source);
    Clock clock = Clock.systemUTC();
    DataMode mode = settings().dataMode();
    HealthReport r = HealthService.check(workspace().store(), only, o, clock.instant(), mode.label());
    if (mode == DataMode.MIRROR) {
      MirrorService mirror = new MirrorService(settings().mirrorPath(), clock);
      Freshness f = mirror.freshness(settings().staleAfter());
      r = r.withMirror(new HealthReport.MirrorAge(mirror.file().toString(), f.lastSync(), f.age(), f.stale()));
    }
    if (output.json()) {
      out().println(Json.write(HealthJson.of(r)));
    } else {
      print(r);
    }
    return r.alert() ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
  }

  private void print(HealthReport r) {
    out().printf("health of %s (%s) at %s%n", r.store(), r.mode(), Formats.time(r.now()));
    if (r.mirror() != null) {
      out().println(r.mirror().lastSync() == null ? "mirror: never synced"
          : "mirror: last sync " + Formats.time(r.mirror().lastSync()) + " (" + CheckCommand.human(r.mirror().age())
              + " ago" + (r.mirror().stale() ? ", stale" : "") + "); no ingest log or validate runs are copied to "
              + "the mirror");
    }
    if (r.sources().isEmpty()) {
      out().println("no sources");
      return;
    }
    Table t = new Table("SOURCE", "STATE", "NEWEST BAR", "EXPECTED FROM", "LAST RUN", "ROWS", "LAST " + days + "D",
        "OPEN FINDINGS");
    for (SourceHealth s : r.sources()) {
      long recent = s.rowsPerDay().values().stream().mapToLong(Long::longValue).sum();
      t.row(s.source(), s.state().label(), Formats.time(s.newest()), Formats.time(s.expectedFrom()),
          s.lastRun() == null ? "-" : "#" + s.lastRun().id() + " " + s.lastRunStatus() + " "
              + Formats.time(s.lastRun().started()),
          Formats.count(s.rows()), "+" + Formats.count(recent),
          s.validation() == null ? "-" : s.openErrors() + " errors, " + s.openWarnings() + " warnings");
    }
    t.print(out());
    for (SourceHealth s : r.sources()) {
      out().println(s.source() + ": " + s.reason());
    }
    long alerts = r.sources().stream().filter(SourceHealth::alert).count();
    out().println(alerts == 0 ? "healthy" : alerts + " of " + r.sources().size() + " sources need attention (exit 3)");
  }
}
