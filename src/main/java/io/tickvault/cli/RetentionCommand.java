package io.tickvault.cli;

import io.tickvault.archive.RetentionPolicy;
import io.tickvault.archive.RetentionService;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tickvault retention}: per-source retention policies, archival and cleanup. Not thread-safe. */
@Command(name = "retention", mixinStandardHelpOptions = true,
    header = "Keep each source's bars for a set time; archive older ones to Parquet, then delete them.",
    description = {"Per-source policies, kept in the store: `set` one, `show` them, `apply` them (--dry-run first)."},
    footer = {"", "Examples:",
        "  tickvault retention set --source test --keep 30d",
        "  tickvault retention set --source alpaca --keep 2y --archive",
        "  tickvault retention show",
        "  tickvault retention apply --dry-run",
        "  tickvault retention apply --confirm          # the first deletion of real data under a policy",
        "", "See docs/operations.md."},
    subcommands = {RetentionCommand.Set.class, RetentionCommand.Show.class, RetentionCommand.Apply.class})
final class RetentionCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code retention set}. */
  @Command(name = "set", mixinStandardHelpOptions = true,
      header = "Set (or clear) a source's retention policy.",
      description = {"Bars older than --keep are deleted by `retention apply`; with --archive they are first written",
          "to Parquet files, one per month, under the archive folder (so the cut is at a month start). A new policy",
          "on real data needs `apply --confirm` once. --keep off clears the policy."},
      footer = {"", "Examples:", "  tickvault retention set --source test --keep 30d",
          "  tickvault retention set --source alpaca --keep 2y --archive", "  tickvault retention set --source test --keep off"})
  static final class Set extends BaseCommand {
    @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "The source.")
    String source;

    @Option(names = "--keep", required = true, paramLabel = "AGE",
        description = "How long bars are kept: 30d, 12w, 6m (months), 2y; or off.")
    String keep;

    @Option(names = "--archive", description = "Archive bars to Parquet before deleting them.")
    boolean archive;

    @Override
    protected int run() {
      SourceName name = sourceName(source);
      RetentionService r = new RetentionService(workspace().store(), Clock.systemUTC());
      if (keep.strip().equals("off")) {
        r.set(name, null);
        out().println("cleared the retention policy of " + name + ": its bars are kept");
        return ExitCodes.OK;
      }
      RetentionPolicy p = r.set(name, RetentionPolicy.of(keep, archive));
      out().println("retention of " + name + ": keep " + p.keep() + (p.archive() ? ", archive to Parquet first" : "")
          + "; bars before " + Formats.time(p.cutoff(Clock.systemUTC().instant())) + " would go now (tickvault "
          + "retention apply --dry-run)");
      return ExitCodes.OK;
    }
  }

  /** {@code retention show}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      header = "List every source's retention policy.",
      description = "Every source with its policy (or none), the cut-off it means now and whether it is confirmed.",
      footer = {"", "Examples:", "  tickvault retention show", "  tickvault retention show --format json"})
  static final class Show extends BaseCommand {
    @Mixin
    OutputOptions output;

    @Override
    protected int run() {
      BarStore store = workspace().store();
      RetentionService r = new RetentionService(store, Clock.systemUTC());
      java.time.Instant now = Clock.systemUTC().instant();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SourceRecord s : store.sources()) {
        if (!s.tableExists()) {
          continue;
        }
        RetentionPolicy p = r.policy(s.name()).orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", s.name().value());
        m.put("kind", s.kind().label());
        m.put("keep", p == null ? null : p.keep());
        m.put("archive", p != null && p.archive());
        m.put("cutoff", p == null ? null : p.cutoff(now).toString());
        m.put("confirmed", p != null && p.confirmed());
        rows.add(m);
      }
      if (output.json()) {
        out().println(Json.write(rows));
        return ExitCodes.OK;
      }
      Table t = new Table("SOURCE", "KIND", "KEEP", "ARCHIVE", "DELETES BEFORE", "CONFIRMED");
      for (Map<String, Object> m : rows) {
        boolean has = m.get("keep") != null;
        t.row((String) m.get("source"), (String) m.get("kind"), has ? (String) m.get("keep") : "forever",
            has ? ((Boolean) m.get("archive") ? "yes" : "no") : "-",
            has ? Formats.time(java.time.Instant.parse((String) m.get("cutoff"))) : "-",
            has ? ((Boolean) m.get("confirmed") ? "yes" : "no") : "-");
      }
      t.print(out());
      return ExitCodes.OK;
    }
  }

  /** {@code retention apply}. */
  @Command(name = "apply", mixinStandardHelpOptions = true,
      header = "Apply the retention policies: archive, then delete, what they no longer keep.",
      description = {"First the counts per source and symbol; then, per source, the archives (when the policy says",
          "so: per UTC month, written, read back and compared, SHA-256 in the folder's MANIFEST.json) and the",
          "deletion. Rows are deleted only after their archive is on disk and verified; a crash in between loses",
          "nothing (the next run finds the archive and only deletes). A source of real data needs --confirm the",
          "first time its policy deletes from it: without it nothing at all is changed (exit 2)."},
      footer = {"", "Examples:", "  tickvault retention apply --dry-run", "  tickvault retention apply --source test",
          "  tickvault retention apply --confirm --archive-dir /srv/tickvault/archive",
          "", "Exit codes: 0 ok, 2 needs --confirm or bad option, 4 store unreachable."})
  static final class Apply extends BaseCommand {
    @Option(names = "--dry-run", description = "Only print what would be archived and deleted.")
    boolean dryRun;

    @Option(names = "--confirm", description = "Allow the first deletion of real market data under a policy.")
    boolean confirm;

    @Option(names = "--source", paramLabel = "SOURCE", description = "Only this source.")
    String source;

    @Option(names = "--archive-dir", paramLabel = "DIR", defaultValue = "data/archive",
        description = "Folder of the archives, one subfolder per source (default: ${DEFAULT-VALUE}).")
    String archiveDir;

    @Override
    protected int run() {
      BarStore store = workspace().store();
      if (store.readOnly() && !dryRun) {
        // policies live in production (the mirror does not copy them), and the mirror changes only by sync
        throw io.tickvault.store.MirrorReadOnlyException.refused("retention apply", store.info().location());
      }
      RetentionService r = new RetentionService(store, Clock.systemUTC());
      List<RetentionService.SourcePlan> plans = r.plan(source == null ? null : sourceName(source));
      if (plans.isEmpty()) {
        out().println("no source has a retention policy (tickvault retention set --source S --keep 30d)");
        return ExitCodes.OK;
      }
      Table t = new Table("SOURCE", "SYMBOL", "ROWS", "FIRST", "LAST");
      for (RetentionService.SourcePlan p : plans) {
        for (RetentionService.SymbolPlan s : p.symbols()) {
          t.row(p.source().name().value(), s.symbol().value(), Formats.count(s.rows()), Formats.time(s.first()),
              Formats.time(s.last()));
        }
      }
      for (RetentionService.SourcePlan p : plans) {
        out().println(p.source().name() + ": keep " + p.policy().keep() + ", " + Formats.count(p.rows()) + " rows before "
            + Formats.time(p.cutoff()) + (p.rows() == 0 ? "" : p.policy().archive() ? " to archive and delete"
            : " to delete") + (p.needsConfirm() ? " (needs --confirm: " + p.reason() + ")" : ""));
      }
      if (plans.stream().anyMatch(p -> p.rows() > 0)) {
        t.print(out());
      }
      if (dryRun) {
        out().println("dry run: nothing was changed");
        return ExitCodes.OK;
      }
      Path dir = settings().workDir().resolve(archiveDir).normalize();
      List<RetentionService.Applied> done = r.apply(plans, confirm, dir);
      for (RetentionService.Applied a : done) {
        for (RetentionService.Archived x : a.archives()) {
 Path wd = settings().workDir().toAbsolutePath();
          Path f = x.file().toAbsolutePath();
          out().println((x.reused() ? "already archived " : "archived ") + a.source() + " " + x.month() + " to "
              + (f.startsWith(wd) ? wd.relativize(f) : f) + " (" + Formats.count(x.rows())
              + " rows, sha256 " + x.sha256().substring(0, 16) + "...)");
        }
        out().println("deleted " + Formats.count(a.deleted()) + " rows from " + a.source() + (a.kept() == 0 ? ""
            : "; kept " + Formats.count(a.kept()) + " archived rows that changed or went before the delete (a "
                + "changed row is archived again by the next run)"));
      }
      return ExitCodes.OK;
    }
  }
}
