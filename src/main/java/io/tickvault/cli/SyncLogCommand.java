package io.tickvault.cli;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncLogEntry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault sync log}: the mirror's log of sync attempts. */
@Command(name = "log", mixinStandardHelpOptions = true,
    header = "Show the mirror's log of sync attempts, failed ones included.",
    description = {"Show the mirror's log of sync attempts, newest first: start, duration, mode (first, incremental,",
        "full), rows added/changed/deleted, production (never credentials), and the error of a failed attempt.",
        "--format json adds the counts per source and the notes each sync gave."},
    footer = {"", "Examples:",
        "  tickvault sync log                    # the last 20 attempts",
        "  tickvault sync log --limit 200 --format json | jq '.[] | select(.ok == false)'",
        "", "Exit codes: 0 shown (an empty log too), 2 bad option."})
public final class SyncLogCommand extends BaseCommand {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Attempts to show (default 20).")
  int limit;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    if (limit < 1) {
      throw new InvalidInputException("--limit must be at least 1, not " + limit);
    }
    MirrorService mirror = new MirrorService(settings().mirrorPath(), Clock.systemUTC());
    List<SyncLogEntry> log = mirror.syncLog(limit);
    if (output.json()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SyncLogEntry e : log) {
        rows.add(e.toMap());
      }
      out().println(Json.write(rows));
      return ExitCodes.OK;
    }
    if (log.isEmpty()) {
      out().println("no sync attempts logged in " + mirror.file() + (mirror.exists() ? "" : " (no mirror yet: run "
          + "`tickvault sync`)"));
      return ExitCodes.OK;
    }
    Table t = new Table("started", "seconds", "mode", "result", "added", "changed", "deleted", "production", "error");
    for (SyncLogEntry e : log) {
      t.row(WHEN.format(e.started()), String.format("%.2f", e.duration().toNanos() / 1e9), e.mode(),
          e.ok() ? "ok" : "failed", e.rowsAdded(), e.rowsChanged(), e.rowsDeleted(), e.production(),
          e.error() == null ? "" : oneLine(e.error()));
    }
    t.print(out());
    return ExitCodes.OK;
  }

  private static String oneLine(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() > 120 ? one.substring(0, 117) + "..." : one;
  }
}
