package io.tickvault.cli;

import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.VerifyReport;
import io.tickvault.mirror.VerifyReport.Difference;
import io.tickvault.mirror.VerifyReport.Problem;
import io.tickvault.store.BarStore;
import io.tickvault.store.StoreException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault verify}: chunk checksums of the mirror against its records and production. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    header = "Check that the mirror is a faithful copy of production as of its last sync.",
    description = {"Is the mirror a faithful copy of production as of its last sync? Recomputes the SHA-256 of every",
        "chunk (source, symbol, UTC day) in the mirror and compares it with the checksums recorded at sync time",
        "and, when production is reachable, with production's rows. Chunks production changed after the last",
        "sync (its change tracking says so) are listed as pending, not as faults. Opens the mirror read-only and",
        "never writes anywhere."},
    footer = {"", "Examples:",
        "  tickvault verify                 # mirror vs recorded checksums and production",
        "  tickvault verify --offline       # mirror vs recorded checksums only",
        "  tickvault verify --format json",
        "", "Exit codes: 0 the mirror is a faithful copy as of its last sync (chunks production changed since are",
        "listed as pending: `tickvault sync` copies them), 3 a difference (or a mirror never synced), 4 no mirror.",
        "A chunk changed outside sync is repaired by `tickvault sync`; a chunk that differs from production with no",
        "change in production's change log (a writer it cannot track) by `tickvault sync --full`."})
public final class VerifyCommand extends BaseCommand {
  /** Pending chunks listed in text; JSON lists them all. */
  static final int PENDING_SHOWN = 20;

  @Option(names = "--offline", description = "Do not contact production; check against the recorded checksums only.")
  boolean offline;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    MirrorService mirror = new MirrorService(settings().mirrorPath(), Clock.systemUTC());
    if (!mirror.exists()) {
      throw new StoreException("no mirror at " + mirror.file() + "; run `tickvault sync` first (or set TICKVAULT_MIRROR)");
    }
    String note = null;
    BarStore production = null;
    if (offline) {
      note = "--offline: production not contacted";
    } else {
      io.tickvault.store.StoreUrl url = settings().database();
      if (!url.isPostgres() && !Files.isRegularFile(url.file())) {
        note = "no production store at " + url.file() + "; checked against the recorded checksums only";
      } else {
        try {
          production = workspace().production();
        } catch (StoreException e) {
          note = "production unreachable (" + e.getMessage() + "); checked against the recorded checksums only";
        }
      }
    }
    VerifyReport r;
    try (Progress p = Progress.forTerminal(err())) {
      r = mirror.verify(production, note, p.enabled() ? (read, expected) -> p.update("verify",
          expected == 0 ? Double.NaN : (double) read / expected, Formats.count(read) + " of "
              + Formats.count(expected) + " rows") : null);
    }
    if (output.json()) {
      out().println(Json.write(json(r)));
    } else {
      printText(r);
    }
    if (r.note() != null) {
      err().println("tickvault: note: " + r.note());
    }
    return r.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  private void printText(VerifyReport r) {
    if (r.lastSyncAt() == null) {
      out().println("verify: the mirror " + r.mirror() + " has never completed a sync; run `tickvault sync`");
      return;
    }
    out().printf("verify: %s (last sync %s) against %s%n", r.mirror(), r.lastSyncAt(), r.comparedWith());
    for (String u : r.unreadable()) {
      out().println("unreadable rows in source " + u);
    }
    if (!r.unreadable().isEmpty()) {
      out().println("the mirror was changed outside `tickvault sync` into values no bar can hold; delete "
          + r.mirror().replaceFirst("^sqlite:", "") + " and run `tickvault sync`");
    }
    if (!r.differences().isEmpty()) {
      Table t = new Table("source", "symbol", "day", "mirror rows", "expected rows", "against", "problem");
      for (Difference d : r.differences()) {
        t.row(d.chunk().source(), d.chunk().symbol(), d.chunk().day(), d.mirrorRows(), d.otherRows(),
            d.problem() == Problem.MIRROR_CHANGED ? "recorded" : "production", d.problem().text());
      }
      t.print(out());
      out().printf("%s of %s chunks differ%n", Formats.count(r.chunksDiffering()), Formats.count(r.chunksChecked()));
      if (r.has(Problem.MIRROR_CHANGED)) {
        out().println("  mirror changed since sync: the mirror's rows were changed outside `tickvault sync`; run "
            + "`tickvault sync` to rewrite them from production");
      }
      if (r.has(Problem.DIFFERS_FROM_PRODUCTION)) {
        out().println("  differs from production, no change recorded: production was changed by a writer its change "
            + "log does not see (e.g. INSERT OR REPLACE into the embedded store); run `tickvault sync --full`, which "
            + "compares every chunk (a plain `tickvault sync` follows the change log and would miss it)");
      }
    }
    if (!r.pending().isEmpty()) {
      Table t = new Table("source", "symbol", "day", "mirror rows", "production rows");
      int shown = 0;
      for (Difference d : r.pending()) {
        if (shown++ == PENDING_SHOWN) {
          break;
        }
        t.row(d.chunk().source(), d.chunk().symbol(), d.chunk().day(), d.mirrorRows(), d.otherRows());
      }
      t.print(out());
      if (r.pending().size() > PENDING_SHOWN) {
        out().printf("... and %s more (`--format json` lists every chunk)%n",
            Formats.count(r.pending().size() - PENDING_SHOWN));
      }
      out().printf("%s %s changed in production since the last sync: run `tickvault sync`%n",
          Formats.count(r.pending().size()), r.pending().size() == 1 ? "chunk" : "chunks");
    }
    if (r.ok()) {
      long matching = r.chunksChecked() - r.pending().size();
      out().printf("%s of %s chunks match (%s rows): the mirror is a faithful copy of production as of its last "
          + "sync%s%n", Formats.count(matching), Formats.count(r.chunksChecked()), Formats.count(r.rowsChecked()),
          r.comparedWith().contains("production") ? "" : " (checked against its recorded checksums)");
    }
  }

  private static Map<String, Object> json(VerifyReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", r.ok());
    m.put("mirror", r.mirror());
    m.put("comparedWith", r.comparedWith());
    m.put("note", r.note());
    m.put("lastSync", r.lastSyncAt());
    m.put("chunksChecked", r.chunksChecked());
    m.put("chunksDiffering", r.chunksDiffering());
    m.put("chunksPending", r.pending().size());
    m.put("rowsChecked", r.rowsChecked());
    m.put("differences", chunks(r.differences()));
    m.put("pending", chunks(r.pending()));
    m.put("unreadable", r.unreadable());
    List<String> advice = new ArrayList<>();
    if (r.has(Problem.MIRROR_CHANGED) || !r.pending().isEmpty() || r.lastSyncAt() == null) {
      advice.add("tickvault sync");
    }
    if (r.has(Problem.DIFFERS_FROM_PRODUCTION)) {
      advice.add("tickvault sync --full");
    }
    m.put("advice", advice);
    return m;
  }

  private static List<Map<String, Object>> chunks(List<Difference> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Difference d : list) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("source", d.chunk() == null ? null : d.chunk().source().value());
      x.put("symbol", d.chunk() == null ? null : d.chunk().symbol().value());
      x.put("day", d.chunk() == null ? null : d.chunk().day().toString());
      x.put("mirrorRows", d.mirrorRows());
      x.put("expectedRows", d.otherRows());
      x.put("problem", d.problem().name().toLowerCase(java.util.Locale.ROOT));
      out.add(x);
    }
    return out;
  }
}
