package io.tickvault.server;

import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.synthetic.SyntheticIngest;
import io.tickvault.domain.TickvaultException;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.mirror.SyncRecord;
import io.tickvault.store.BarStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The data of {@code tickvault demo}: synthetic 1-minute bars for 12 symbols over a fixed window
 * of trading days, written into the {@code synthetic} source of the workspace's production store
 * (the embedded {@code data/tickvault.db} when nothing is configured; created if missing), then a
 * sync of the mirror ({@code tickvault demo} uses a mirror of its own, {@code data/demo-mirror.db}). The window and seed are fixed, so running it again rewrites identical rows
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
   * or why not); {@code mirrorFailure} is the error that stopped the sync, or null.
   */
  public record Result(String production, long rows, int symbols, LocalDate from, LocalDate to, Duration elapsed,
      String mirror, TickvaultException mirrorFailure) {
    public boolean ok() {
      return mirrorFailure == null;
    }
  }

  private DemoSetup() {}

  /** {@link #prepare(Workspace, Consumer, boolean)} keeping a mirror made from another store (the sync is refused). */
  public static Result prepare(Workspace workspace, Consumer<String> progress) {
    return prepare(workspace, progress, false);
  }

  /**
   * Creates and fills production's {@code synthetic} source, then syncs the workspace's mirror;
   * reports progress lines. With {@code ownMirror} the mirror file belongs to the demo, and one made
   * from another production store is replaced (a full sync) instead of refused.
   */
  public static Result prepare(Workspace workspace, Consumer<String> progress, boolean ownMirror) {
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
    MirrorService mirror = new MirrorService(workspace.settings().mirrorPath(), Clock.systemUTC());
    String done;
    TickvaultException failure = null;
    try {
      boolean foreign = ownMirror && mirror.lineage().map(l -> !Objects.equals(l.productionStoreId(),
          production.info().storeId())).orElse(false);
      if (foreign) {
        progress.accept("the demo's mirror " + mirror.file() + " was made from another store: replacing it");
      }
      SyncRecord s = mirror.sync(production, SyncOptions.INCREMENTAL.withFull(foreign)).record();
      done = "synced " + mirror.file() + " (" + s.mode().label() + ": " + s.rowsAdded() + " rows added, "
          + s.rowsChanged() + " changed, " + s.rowsDeleted() + " deleted)";
    } catch (TickvaultException e) {
      failure = e;
      done = "not synced: " + e.getMessage();
    }
    return new Result(production.info().location(), r.rows(), r.symbols(), FROM, TO, r.elapsed(), done, failure);
  }
}
