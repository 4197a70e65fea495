package io.tickvault.server;

import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.synthetic.SyntheticIngest;
import io.tickvault.mirror.MirrorException;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.mirror.SyncRecord;
import io.tickvault.store.BarStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * The data of {@code tickvault demo}: synthetic 1-minute bars for 12 symbols over a fixed window
 * of trading days, written into the {@code synthetic} source of the workspace's production store
 * (the embedded {@code data/tickvault.db} when nothing is configured; created if missing), then a
 * sync of the mirror. The window and seed are fixed, so running it again rewrites identical rows
 * (writes upsert on (symbol, timestamp)) and changes nothing. Stateless and thread-safe.
 */
public final class DemoSetup {
  /** The demo's symbols: eleven US stocks and ETFs (09:30-16:00 New York) and one crypto pair (24/7). */
  public static final List<Symbol> SYMBOLS = List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA",
      "JPM", "XOM", "SPY", "QQQ", "BTC/USD").stream().map(Symbol::of).toList();
  /** First and last day (inclusive) of the demo data: four weeks of trading days. */
  public static final LocalDate FROM = LocalDate.of(2025, 1, 6);
  public static final LocalDate TO = LocalDate.of(2025, 1, 31);
  /** The generator's seed: fixed so that reruns produce the same bars. */
  public static final long SEED = 42;

  /**
   * What the set-up did. {@code mirror} says what happened to the mirror (synced, with numbers,
   * or why not).
   */
  public record Result(String production, long rows, int symbols, LocalDate from, LocalDate to, Duration elapsed,
      String mirror) {}

  private DemoSetup() {}

  /** Creates and fills production's {@code synthetic} source, then syncs the mirror; reports progress lines. */
  public static Result prepare(Workspace workspace, Consumer<String> progress) {
    BarStore production = workspace.production();
    progress.accept("production store: " + production.info().location());
    SyntheticIngest.Result r = new SyntheticIngest(production).run(new SyntheticIngest.Request(SourceName.SYNTHETIC,
        SYMBOLS, FROM, TO, Timeframe.MIN_1, SEED, false), new SyntheticIngest.Listener() {
          @Override
          public void symbolStarted(Symbol symbol, long expectedRows) {}

          @Override
          public void symbolDone(Symbol symbol, long rows) {
            progress.accept("  " + symbol + ": " + rows + " bars");
          }
        });
    String mirror = syncMirror(workspace, progress);
    return new Result(production.info().location(), r.rows(), r.symbols(), FROM, TO, r.elapsed(), mirror);
  }

  /**
   * Syncs production into the mirror (incremental after the first time). A refused sync (e.g. a
   * mirror made from another production store) is reported, not hidden, and the demo goes on.
   */
  private static String syncMirror(Workspace workspace, Consumer<String> progress) {
    MirrorService mirror = new MirrorService(workspace.settings().mirrorPath(), Clock.systemUTC());
    try {
      SyncRecord r = mirror.sync(workspace.production(), SyncOptions.INCREMENTAL).record();
      return "synced " + mirror.file() + " (" + r.mode().label() + ": " + r.rowsAdded() + " rows added, "
          + r.rowsChanged() + " changed, " + r.rowsDeleted() + " deleted)";
    } catch (MirrorException e) {
      progress.accept("mirror not synced: " + e.getMessage());
      return "not synced: " + e.getMessage();
    }
  }
}
