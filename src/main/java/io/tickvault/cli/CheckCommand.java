package io.tickvault.cli;

import io.tickvault.domain.SourceName;
import io.tickvault.mirror.Freshness;
import io.tickvault.mirror.Lineage;
import io.tickvault.mirror.MirrorService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault check}: freshness of the mirror, for scripts that start a dev server. */
@Command(name = "check", mixinStandardHelpOptions = true,
    header = "Say how old the mirror is, and exit 3 when it is too old.",
    description = {"Say how old the mirror is: age of the last successful sync, and per source the newest bar",
        "at or before now. Exits 3 when the mirror is older than the limit (or was never synced)."},
    footer = {"", "Examples:",
        "  tickvault check                       # limit: TICKVAULT_STALE_AFTER (default 7d)",
        "  tickvault check --max-age 12h",
        "  tickvault check --format json",
        "  tickvault check || tickvault sync     # before starting a dev server",
        "", "Exit codes: 0 fresh, 3 stale or never synced, 2 bad option."})
public final class CheckCommand extends BaseCommand {
  @Option(names = "--max-age", paramLabel = "AGE",
      description = "Oldest acceptable sync, e.g. 7d, 12h, 30m (default: TICKVAULT_STALE_AFTER, 7d).")
  Duration maxAge;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    Duration limit = maxAge == null ? settings().staleAfter() : maxAge;
    MirrorService mirror = new MirrorService(settings().mirrorPath(), Clock.systemUTC());
    Optional<Lineage> lineage = mirror.lineage();
    Freshness f = mirror.freshness(limit);
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mirror", mirror.file().toString());
      m.put("exists", mirror.exists());
      m.put("production", lineage.map(Lineage::productionLocation).orElse(null));
      m.put("lastSync", f.lastSync());
      m.put("ageSeconds", f.age() == null ? null : f.age().toSeconds());
      m.put("ageDays", f.age() == null ? null : f.ageDays());
      m.put("staleAfterSeconds", limit.toSeconds());
      m.put("stale", f.stale());
      Map<String, Instant> through = new LinkedHashMap<>();
      for (Map.Entry<SourceName, Instant> e : f.dataThrough().entrySet()) {
        through.put(e.getKey().value(), e.getValue());
      }
      m.put("dataThrough", through);
      out().println(Json.write(m));
    } else if (f.lastSync() == null) {
      out().println("stale: " + (mirror.exists() ? "the mirror " + mirror.file() + " has never completed a sync"
          : "no mirror at " + mirror.file()) + "; run `tickvault sync`");
    } else {
      out().printf("%s: last sync %s (%s ago) from %s; limit %s%n", f.stale() ? "stale" : "fresh", f.lastSync(),
          human(f.age()), lineage.map(Lineage::productionLocation).orElse("?"), human(limit));
      Table t = new Table("source", "data through");
      for (Map.Entry<SourceName, Instant> e : f.dataThrough().entrySet()) {
        t.row(e.getKey(), e.getValue());
      }
      if (!t.isEmpty()) {
        t.print(out());
      }
      if (f.stale()) {
        out().println("run `tickvault sync` to bring the mirror up to date");
      }
    }
    return f.stale() ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
  }

  /** 6d 3h, 5h 2m, 40s. */
  static String human(Duration d) {
    return io.tickvault.domain.Text.duration(d);
  }

}
