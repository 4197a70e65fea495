package io.tickvault.cli;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import io.tickvault.config.Settings;
import io.tickvault.mirror.MirrorException;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.mirror.SyncReport;
import io.tickvault.mirror.SyncReport.SourceSync;
import io.tickvault.store.BarStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault sync}: production to mirror, one way, incremental. */
@Command(name = "sync", mixinStandardHelpOptions = true, subcommands = SyncLogCommand.class,
    header = "Copy production into the read-only mirror, one way.",
    description = {"Copy production into the read-only mirror, one way. The first sync copies everything selected;",
        "later syncs copy only the chunks (source, symbol, UTC day) production changed, whoever changed them.",
        "A sync lands whole or not at all. The mirror remembers --sources and --since."},
    footer = {"", "Examples:",
        "  tickvault sync                                  # bring the mirror up to date",
        "  tickvault sync --sources synthetic,alpaca       # mirror only these sources from now on",
        "  tickvault sync --sources all --since 2025-01-01 # every source, bars from 2025 on",
        "  tickvault sync --full                           # compare every chunk (also: accept another production)",
        "  tickvault sync --full --rebuild                 # a mirror damaged on disk: rebuild it into a new file",
        "  tickvault sync --every 6h                       # keep running: sync every 6 hours until stopped",
        "  tickvault sync --every 6h --apply-retention     # and apply the retention policies once a day",
        "  tickvault sync log --limit 20                   # the last 20 attempts, failed ones included",
        "  TICKVAULT_DATABASE_URL=postgres://user@db:5432/prod TICKVAULT_MIRROR=data/mirror.db tickvault sync",
        "", "Exit codes: 0 synced, 2 refused (other production, bad option, bad row), 4 a store is unreachable, "
            + "the disk is full or the mirror is damaged."})
public final class SyncCommand extends BaseCommand {
  @Option(names = "--sources", paramLabel = "A,B",
      description = "Sources to mirror from now on, comma-separated, or 'all' (default: keep the mirror's selection; "
          + "all sources on a new mirror).")
  String sources;

  @Option(names = "--since", paramLabel = "DATE",
      description = "Mirror bars from this UTC day on (YYYY-MM-DD), or 'all' for all history (default: keep).")
  String since;

  @Option(names = "--full", description = "Compare every chunk with production instead of following its change log; "
      + "also replaces a mirror made from another production store.")
  boolean full;

  @Option(names = "--rebuild", description = "Rebuild the mirror from production into a new file and swap it in "
      + "(for a mirror damaged on disk; keeps the old file as <mirror>.damaged). Implies --full.")
  boolean rebuild;

  @Option(names = "--every", paramLabel = "PERIOD",
      description = "Keep running and sync every PERIOD (e.g. 30m, 6h, 24h; at least 1m), with a few minutes of "
          + "jitter; a failed attempt is logged and retried at the next tick; stops on SIGTERM or Ctrl-C.")
  java.time.Duration every;

  @picocli.CommandLine.Mixin
  RetentionScheduleOptions retentionSchedule = new RetentionScheduleOptions();

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    if (every != null) {
      return runEvery();
    }
    if (retentionSchedule.applyRetention) {
      throw new InvalidInputException("--apply-retention goes with --every (a daily run inside the schedule); for one "
          + "run now use tickvault retention apply");
    }
    SyncOptions opts = new SyncOptions(parseSources(sources, this::sourceName), parseSince(since), "all".equalsIgnoreCase(strip(since)),
        full);
    MirrorService mirror = new MirrorService(settings().mirrorPath(), Clock.systemUTC());
    java.time.Instant started = Clock.systemUTC().instant();
    BarStore production;
    try {
      production = workspace().production();
      if (opts.sources() != null) {
        // before the mirror file is opened: a refused selection leaves nothing behind
        opts.sources().forEach(production::requireSource);
      }
    } catch (RuntimeException e) {
      mirror.recordFailure(started, settings().database().location(), opts, e);
      throw e;
    }
    SyncReport r;
    try {
      r = rebuild ? mirror.rebuild(production, opts, System.console() == null ? null : progress())
          : mirror.sync(production, opts, System.console() == null ? null : progress());
    } catch (MirrorException e) {
      throw e.withHint(productionOrigin(settings()));
    }
    if (System.console() != null) {
      err().print("\r\033[K");
      err().flush();
    }
    if (output.json()) {
      out().println(Json.write(json(r)));
    } else {
      printText(r);
    }
    for (String w : r.warnings()) {
      err().println("tickvault: warning: " + w);
    }
    for (String n : r.leftOut().notes()) {
      err().println("tickvault: note: " + n);
    }
    return ExitCodes.OK;
  }

  /** {@code --every}: one attempt per tick until a signal; each attempt is one line (failures on stderr). */
  private int runEvery() {
    if (rebuild) {
      throw new InvalidInputException("--every and --rebuild do not go together: rebuild once, then schedule");
    }
    java.time.Duration period = every;
    SyncOptions first = new SyncOptions(parseSources(sources, this::sourceName), parseSince(since),
        "all".equalsIgnoreCase(strip(since)), full);
    MirrorService mirror = new MirrorService(settings().mirrorPath(), Clock.systemUTC());
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    Signals.onStop(stop::countDown);
    io.tickvault.mirror.SyncSchedule schedule = new io.tickvault.mirror.SyncSchedule(period, Clock.systemUTC(),
        d -> stop.await(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), new java.util.Random());
    String location = settings().database().location();
    out().printf("syncing %s -> %s every %s (jitter up to %s); stop with Ctrl-C or SIGTERM%n", location,
        mirror.file(), CheckCommand.human(every), schedule.maxJitter().toSeconds() + " s");
    out().flush();
    long[] n = {0};
    io.tickvault.archive.DailyRetention retention = retentionSchedule.daily(settings());
    schedule.run(() -> {
      if (retention != null) {
        dailyRetention(retention);
      }
      return mirror.sync(() -> new io.tickvault.config.Workspace(settings(), false).production(), location,
          n[0]++ == 0 ? first : first.withFull(false));
    }, tick -> {
          if (tick.ok()) {
            var rec = tick.report().record();
            out().printf("%s sync ok (%s, %.2f s): %d added, %d changed, %d deleted; next at %s%n", sec(tick.started()),
                rec.mode().label(), rec.duration().toNanos() / 1e9, rec.rowsAdded(), rec.rowsChanged(),
                rec.rowsDeleted(), sec(tick.next()));
            for (String w : tick.report().warnings()) {
              err().println("tickvault: warning: " + w);
            }
          } else {
            err().printf("tickvault: %s sync failed: %s; next attempt at %s%n", sec(tick.started()),
                tick.error().getMessage(), sec(tick.next()));
          }
          out().flush();
          err().flush();
        }, () -> stop.getCount() == 0);
    out().println("stopped");
    return ExitCodes.OK;
  }

  /** {@code --apply-retention}: production's policies, when not yet applied this UTC day; one line on stdout or stderr. */
  private void dailyRetention(io.tickvault.archive.DailyRetention retention) {
    java.util.Optional<io.tickvault.archive.DailyRetention.Outcome> o;
    try (BarStore production = new io.tickvault.config.Workspace(settings(), false).production()) {
      o = retention.runIfDue(production);
    } catch (RuntimeException e) {
      err().println("tickvault: retention not applied: " + e.getMessage() + "; tried again at the next tick");
      err().flush();
      return;
    }
    o.ifPresent(r -> {
      (r.ok() ? out() : err()).println((r.ok() ? "" : "tickvault: ") + io.tickvault.archive.DailyRetention.describe(r));
      (r.ok() ? out() : err()).flush();
    });
  }

  private static java.time.Instant sec(java.time.Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** Where production's setting comes from, for refusals that ask to check it. */
  static String productionOrigin(Settings s) {
    String origin = s.origin(Settings.DATABASE_URL);
    String where = s.database().location();
    return switch (origin) {
      case "the default" -> "production is the default embedded store " + where + " (TICKVAULT_DATABASE_URL is not set)";
      case ".env" -> "production is " + where + ", from TICKVAULT_DATABASE_URL set in " + s.workDir().resolve(".env");
      case "a flag" -> "production is " + where + ", from --db";
      default -> "production is " + where + ", from TICKVAULT_DATABASE_URL set in " + origin;
    };
  }

  /** A one-line progress indicator on stderr, at most twice a second (only on a terminal). */
  private io.tickvault.mirror.SyncProgress progress() {
    long[] last = {0};
    return (rows, chunks) -> {
      long now = System.nanoTime();
      if (now - last[0] > 500_000_000L) {
        last[0] = now;
        err().printf("\rsyncing: %,d rows read, %,d chunks compared", rows, chunks);
        err().flush();
      }
    };
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  static Set<SourceName> parseSources(String s, java.util.function.Function<String, SourceName> names) {
    if (s == null) {
      return null;
    }
    if (s.strip().equalsIgnoreCase("all") || s.strip().equals("*")) {
      return Set.of();
    }
    Set<SourceName> out = new TreeSet<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(names.apply(part));
      }
    }
    if (out.isEmpty()) {
      throw new InvalidInputException("--sources " + Text.quote(s) + " names no source; give e.g. synthetic,alpaca "
          + "or all");
    }
    return out;
  }

  static LocalDate parseSince(String s) {
    if (s == null || s.strip().equalsIgnoreCase("all")) {
      return null;
    }
    try {
      return LocalDate.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("invalid --since " + Text.quote(s) + ": use a UTC day like 2025-01-15, or all");
    }
  }

  private void printText(SyncReport r) {
    var rec = r.record();
    double secs = Math.max(rec.duration().toNanos() / 1e9, 1e-9);
    out().printf("synced %s -> %s (%s, %.2f s)%n", rec.production(), r.mirror(), rec.mode().label(), secs);
    Table t = new Table("source", "action", "chunks checked", "chunks changed", "rows added", "rows changed",
        "rows deleted");
    for (SourceSync s : r.sources()) {
      t.row(s.source(), s.action().name().toLowerCase(java.util.Locale.ROOT), s.chunksChecked(), s.chunksChanged(),
          s.rowsAdded(), s.rowsChanged(), s.rowsDeleted());
    }
    if (!t.isEmpty()) {
      t.print(out());
    }
    out().printf("read %d rows from production (%.0f rows/s); mirror: %d rows added, %d changed, %d deleted%n",
        r.rowsRead(), r.rowsRead() / secs, rec.rowsAdded(), rec.rowsChanged(), rec.rowsDeleted());
  }

  private static Map<String, Object> json(SyncReport r) {
    var rec = r.record();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("production", rec.production());
    m.put("mirror", r.mirror());
    m.put("mode", rec.mode().label());
    m.put("started", rec.started());
    m.put("finished", rec.finished());
    m.put("seconds", rec.duration().toNanos() / 1e9);
    m.put("selection", rec.sources());
    m.put("since", rec.since());
    m.put("rowsRead", r.rowsRead());
    m.put("chunksChecked", rec.chunksChecked());
    m.put("chunksChanged", rec.chunksChanged());
    m.put("rowsAdded", rec.rowsAdded());
    m.put("rowsChanged", rec.rowsChanged());
    m.put("rowsDeleted", rec.rowsDeleted());
    m.put("sources", r.sources());
    m.put("warnings", r.warnings());
    m.put("notes", r.leftOut().notes());
    Map<String, Object> left = new LinkedHashMap<>();
    left.put("sources", r.leftOut().sources().stream().map(SourceName::value).toList());
    left.put("since", r.leftOut().since());
    left.put("sourcesWithBarsBeforeSince", r.leftOut().sourcesBefore().stream().map(SourceName::value).toList());
    left.put("firstBarBeforeSince", r.leftOut().firstBefore());
    m.put("leftOut", left);
    return m;
  }
}
