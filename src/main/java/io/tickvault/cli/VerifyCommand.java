package io.tickvault.cli;

import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.VerifyReport;
import io.tickvault.mirror.VerifyReport.Difference;
import io.tickvault.mirror.VerifyReport.Problem;
import io.tickvault.store.BarStore;
import io.tickvault.store.StoreException;
import io.tickvault.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
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
    header = "Check that the mirror is a faithful copy of production.",
    description = {"Recompute the SHA-256 of every chunk (source, symbol, UTC day) in the mirror and compare it with",
        "the checksums recorded at sync time and, when production is reachable, with production's rows.",
        "Prints the chunks that differ. Opens the mirror read-only and never writes anywhere."},
    footer = {"", "Examples:",
        "  tickvault verify                 # mirror vs recorded checksums and production",
        "  tickvault verify --offline       # mirror vs recorded checksums only",
        "  tickvault verify --format json",
        "", "Exit codes: 0 every chunk matches, 3 some chunk differs (or the mirror was never synced),",
        "4 the mirror cannot be opened. A difference from production also appears when production changed",
        "after the last sync: `tickvault sync --full` compares every chunk and repairs the mirror, whoever changed",
        "production (a plain `tickvault sync` follows the change log, which does not see every writer)."})
public final class VerifyCommand extends BaseCommand {
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
      String url = settings().databaseUrl();
      if (!Stores.isPostgres(url) && !Files.isRegularFile(Path.of(url))) {
        note = "no production store at " + url + "; checked against the recorded checksums only";
      } else {
        try {
          production = workspace().production();
        } catch (StoreException e) {
          note = "production unreachable (" + e.getMessage() + "); checked against the recorded checksums only";
        }
      }
    }
    VerifyReport r = mirror.verify(production, note);
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
    if (r.differences().isEmpty() && r.unreadable().isEmpty()) {
      out().printf("all %d chunks match (%d rows)%n", r.chunksChecked(), r.rowsChecked());
      return;
    }
    if (r.differences().isEmpty()) {
      return;
    }
    Table t = new Table("source", "symbol", "day", "mirror rows", "expected rows", "against", "problem");
    for (Difference d : r.differences()) {
      t.row(d.chunk().source(), d.chunk().symbol(), d.chunk().day(), d.mirrorRows(), d.otherRows(),
          d.problem() == Problem.MIRROR_CHANGED ? "recorded" : "production", d.problem().text());
    }
    t.print(out());
    boolean fromProduction = r.differences().stream().anyMatch(d -> d.problem() == Problem.DIFFERS_FROM_PRODUCTION);
    if (fromProduction) {
      // the change log may not have seen the change (e.g. INSERT OR REPLACE into the embedded
      // store): only a full comparison is sure to repair it
      out().printf("%d of %d chunks differ; run `tickvault sync --full` to compare every chunk with production and "
          + "repair the mirror (a plain `tickvault sync` only follows production's change log, which does not see "
          + "every writer)%n", r.differences().size(), r.chunksChecked());
    } else {
      out().printf("%d of %d chunks differ; run `tickvault sync` to repair the mirror (`--full` compares every "
          + "chunk)%n", r.differences().size(), r.chunksChecked());
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
    m.put("rowsChecked", r.rowsChecked());
    List<Map<String, Object>> diffs = new ArrayList<>();
    for (Difference d : r.differences()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("source", d.chunk() == null ? null : d.chunk().source().value());
      x.put("symbol", d.chunk() == null ? null : d.chunk().symbol().value());
      x.put("day", d.chunk() == null ? null : d.chunk().day().toString());
      x.put("mirrorRows", d.mirrorRows());
      x.put("expectedRows", d.otherRows());
      x.put("problem", d.problem().name().toLowerCase(java.util.Locale.ROOT));
      diffs.add(x);
    }
    m.put("differences", diffs);
    m.put("unreadable", r.unreadable());
    return m;
  }
}
