package io.tickvault.mirror;

import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.StoreException;
import io.tickvault.store.Stores;
import io.tickvault.store.SyncSelection;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The mirror of one production store in one SQLite file: {@link #sync} (the only writer),
 * {@link #verify}, {@link #lineage} and {@link #freshness}.
 *
 * <p>Every method other than {@link #sync} opens the file with SQLite's read-only flag. A sync is
 * one SQLite transaction on a file kept in WAL mode: it lands whole or not at all, and a process
 * killed part-way leaves the previous mirror readable (by read-only connections, too) and
 * verifiable. Thread-safe: the methods share no mutable state; concurrent syncs of one file run one
 * after the other (SQLite's write lock, taken when the sync starts).
 */
public final class MirrorService {
  /** System property naming a chunk count after which sync pauses forever (crash tests only). */
  static final String PAUSE_PROPERTY = "tickvault.sync.pauseAfterChunks";

  private final Path file;
  private final Clock clock;
  /** Whole-file checks run by this instance (tests tell a skipped check from a passed one). */
  private final java.util.concurrent.atomic.AtomicLong wholeFileChecks = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param file  the mirror file (created by the first sync)
   * @param clock the time source for sync times and freshness (tests inject a fixed clock)
   */
  public MirrorService(Path file, Clock clock) {
    this.file = file.toAbsolutePath().normalize();
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  /** Whether the mirror file exists. */
  public boolean exists() {
    return Files.isRegularFile(file);
  }

  // ---- sync -----------------------------------------------------------------------------------

  /**
   * Brings the mirror up to date with production, one way. The first sync copies the selected
   * sources; later ones read only the chunks production's change log names (whoever wrote them)
   * plus sources new to the selection, and compare each with the mirror. Refuses a production
   * store other than the one the mirror was made from unless {@link SyncOptions#full()}.
   *
   * @throws MirrorException  when refused (nothing changed)
   * @throws StoreException   when production or the mirror cannot be used
   */
  public SyncReport sync(BarStore production, SyncOptions options) {
    return sync(production, options, null);
  }

  /**
   * {@link #sync(BarStore, SyncOptions)} reporting progress to {@code progress} (may be null),
   * which is called on the syncing thread every few dozen chunks.
   */
  public SyncReport sync(BarStore production, SyncOptions options, SyncProgress progress) {
    Instant started = clock.instant();
    try {
      return syncOnce(production, options, progress);
    } catch (RuntimeException e) {
      logFailure(started, production.info().location(), production.info().storeId(), options, e);
      throw e;
    }
  }

  /**
   * Records a failed attempt in the sync log of an existing mirror (a failed first sync leaves no
   * file, so nothing to log in). Best effort: a mirror that cannot be written (a full disk, a
   * damaged file) keeps the error on the failing command only.
   */
  private void logFailure(Instant started, String production, String productionId, SyncOptions options,
      RuntimeException e) {
    String why = String.valueOf(e.getMessage());
    if (!exists() || why.contains("is damaged on disk") || why.contains("disk full at")) {
      return; // nothing to log in, or no place to write it
    }
    try {
      MirrorStore.State st = withReadOnly(MirrorStore::state);
      String mode = !st.synced() ? "first" : options.full() ? "full" : "incremental";
      String sources = (options.sources() == null ? st.selection() : SyncSelection.of(options.sources())).recorded();
      String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      MirrorStore m = Stores.openMirrorForSync(file);
      try {
        m.inSyncTransaction(tx -> {
          tx.ensureRecords();
          tx.logFailure(started, clock.instant(), mode, production, productionId, sources, error);
          return null;
        });
      } finally {
        m.close();
      }
    } catch (RuntimeException logging) {
      e.addSuppressed(logging);
    }
  }

  /**
   * One attempt of a scheduled sync: opens production with {@code open}, syncs, closes it. An
   * attempt that cannot even open production (an outage) is logged in the mirror's sync log too,
   * under {@code productionLocation} (a display location, without credentials).
   */
  public SyncReport sync(java.util.function.Supplier<BarStore> open, String productionLocation, SyncOptions options) {
    Instant started = clock.instant();
    BarStore production;
    try {
      production = open.get();
    } catch (RuntimeException e) {
      logFailure(started, productionLocation, null, options, e);
      throw e;
    }
    try {
      return sync(production, options, null);
    } finally {
      production.close();
    }
  }

  /**
   * Logs an attempt that failed before {@link #sync} could start (production could not be opened,
   * the selection was refused), in an existing mirror's sync log; {@code production} is a display
   * location without credentials. Best effort, like the failures {@link #sync} logs itself.
   */
  public void recordFailure(Instant started, String production, SyncOptions options, RuntimeException e) {
    logFailure(started, production, null, options, e);
  }

  /** The newest {@code limit} sync attempts, successful or not, newest first (empty without a mirror). */
  public List<SyncLogEntry> syncLog(int limit) {
    if (!exists()) {
      return List.of();
    }
    return withReadOnly(m -> m.attempts(limit).stream().map(StoreRecords::entry).toList());
  }

  private SyncReport syncOnce(BarStore production, SyncOptions options, SyncProgress progress) {
    if (production.info().engine().equals("sqlite") && Path.of(production.info().database()).toAbsolutePath()
        .normalize().equals(file)) {
      throw MirrorException.notAMirror(file.toString(), "it is the production store itself");
    }
    // the whole file is checked by a full sync, and by an incremental one when anything but a sync
    // wrote the file since the last sync (see FileSeal): an incremental sync costs what changed
    checkSound(options.full());
    checkIsMirror();
    checkProductionHasSources(production, options);
    Syncer.checkSelection(production, options); // before the file is created: a refusal leaves nothing behind
    FileSeal.remove(file); // from here on, only a sync that completes seals the file again
    MirrorStore m = Stores.openMirrorForSync(file);
    try {
      SyncReport report = new Syncer(production, m, clock, options, pauseHook(), progress).run();
      m.checkpoint();
      FileSeal.write(file);
      return report;
    } finally {
      m.close();
    }
  }

  /**
   * Rebuilds the mirror from production into a new file beside it and swaps it in with one rename:
   * the cure for a mirror damaged on disk (see {@link #checkSound}), which cannot be repaired in
   * place. Keeps the selection and since day of the old mirror when it can still read them
   * (options given override them), and the damaged file as {@code <mirror>.damaged} (a hard link
   * taken before the swap). A rebuild that fails leaves the old file untouched and no new file.
   */
  public SyncReport rebuild(BarStore production, SyncOptions options, SyncProgress progress) {
    if (production.info().engine().equals("sqlite") && Path.of(production.info().database()).toAbsolutePath()
        .normalize().equals(file)) {
      throw MirrorException.notAMirror(file.toString(), "it is the production store itself");
    }
    if (exists()) {
      checkIsMirror();
    }
    MirrorStore.State old = MirrorStore.State.NEVER;
    try {
      old = exists() ? withReadOnly(MirrorStore::state) : old;
    } catch (RuntimeException damaged) {
      // its lineage is unreadable too: the options (or their defaults) decide
    }
    java.util.Set<SourceName> sources = options.sources();
    if (sources == null) {
      sources = old.selection().names(); // empty: every source
    }
    LocalDate since = options.allHistory() ? null : options.since() != null ? options.since() : old.since();
    SyncOptions fresh = new SyncOptions(sources, since, false, true);
    Path tmp = file.resolveSibling(file.getFileName() + ".rebuild.db");
    deleteWithCompanions(tmp);
    FileSeal.remove(file);
    SyncReport r;
    try {
      r = new MirrorService(tmp, clock).sync(production, fresh, progress);
    } catch (RuntimeException e) {
      deleteWithCompanions(tmp);
      throw e;
    }
    Path kept = file.resolveSibling(file.getFileName() + ".damaged");
    try {
      if (exists()) {
        deleteWithCompanions(kept);
        try {
          Files.createLink(kept, file);
        } catch (IOException | UnsupportedOperationException noLinks) {
          Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        kept = null;
      }
      // the old file's write-ahead log and index must not be applied to the new file
      Files.deleteIfExists(Path.of(file + "-wal"));
      Files.deleteIfExists(Path.of(file + "-shm"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FileSeal.remove(tmp); // the next sync checks the swapped-in file once
    } catch (IOException e) {
      throw new StoreException("cannot swap the rebuilt mirror " + tmp + " in for " + file + ": " + e.getMessage()
          + "; the rebuilt file is complete: move it there by hand", e);
    }
    List<String> warnings = new ArrayList<>(r.warnings());
    warnings.add(0, "rebuilt the mirror from production into a new file and swapped it in"
        + (kept == null ? "" : "; the previous file is kept as " + kept + " (delete it when done)"));
    return new SyncReport(r.record(), r.sources(), r.rowsRead(), "sqlite:" + file, warnings, r.leftOut());
  }

  private static void deleteWithCompanions(Path f) {
    for (String suffix : new String[] {"-seal", "-wal", "-shm", "-journal", ""}) {
      try {
        Files.deleteIfExists(Path.of(f + suffix));
      } catch (IOException e) {
        throw new StoreException("cannot remove " + f + suffix + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Refuses to use a mirror whose file SQLite finds damaged ({@code PRAGMA quick_check}: bit rot, a
   * torn copy), saying what to do: such a file cannot be trusted to sync into or to verify.
   */
  void checkSound() {
    checkSound(true);
  }

  /**
   * {@link #checkSound()}, skipped unless {@code always} when the file is exactly as the last
   * successful sync left it ({@link FileSeal}).
   */
  private void checkSound(boolean always) {
    if (!exists() || !always && FileSeal.intact(file)) {
      return;
    }
    wholeFileChecks.incrementAndGet();
    String problem;
    try {
      problem = withReadOnly(MirrorStore::quickCheck);
    } catch (StoreException e) {
      String m = String.valueOf(e.getMessage());
      if (!m.contains("malformed") && !m.contains("SQLITE_CORRUPT") && !m.contains("SQLITE_NOTADB")) {
        throw e;
      }
      problem = m;
    }
    if (problem != null) {
      throw new StoreException("the mirror " + file + " is damaged on disk (SQLite quick_check: " + problem
          + "); nothing was changed. It cannot be repaired in place: run `tickvault sync --full --rebuild` to rebuild "
          + "it from production into a new file that replaces it (the damaged file is kept as " + file.getFileName()
          + ".damaged)");
    }
  }

  /**
   * Refuses, before the mirror file is created or touched, a first sync (or a {@code --full} one that
   * would replace a mirror of another store) from a production store that has no source tables: there is nothing
   * to copy, and replacing a mirror's data with nothing helps no one. A mirror of this very store
   * follows it as usual (its sources were dropped).
   */
  private void checkProductionHasSources(BarStore production, SyncOptions options) {
    for (io.tickvault.store.SourceRecord r : production.sources()) {
      if (r.tableExists()) {
        return;
      }
    }
    MirrorStore.State st = exists() ? withReadOnly(MirrorStore::state) : MirrorStore.State.NEVER;
    boolean same = st.synced() && st.storeId() != null && st.storeId().equals(production.info().storeId());
    if (same || (st.synced() && !options.full())) {
      return; // follows its own production; or refused as a mirror of another store, which says more
    }
    throw MirrorException.emptyProduction(production.info().location(), st.synced() ? file.toString() : null);
  }

  /** Refuses to sync into an existing file that is not a mirror (e.g. a production store). */
  private void checkIsMirror() {
    if (!exists()) {
      return;
    }
    String why = withReadOnly(MirrorStore::notAMirror);
    if (why != null) {
      throw MirrorException.notAMirror(file.toString(), why);
    }
  }

  private static Syncer.PauseHook pauseHook() {
    String p = System.getProperty(PAUSE_PROPERTY);
    if (p == null) {
      return null;
    }
    long after = Long.parseLong(p.strip());
    return n -> {
      if (n == after) {
        System.err.println("tickvault: sync paused after " + n + " chunks (" + PAUSE_PROPERTY + ")");
        System.err.flush();
        while (true) {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sync pause interrupted", e);
          }
        }
      }
    };
  }

  // ---- lineage and freshness ------------------------------------------------------------------

  /** What the mirror knows about itself; empty when the file does not exist or was never synced. */
  public Optional<Lineage> lineage() {
    if (!exists()) {
      return Optional.empty();
    }
    return withReadOnly(m -> {
      MirrorStore.State st = m.state();
      if (!st.synced()) {
        return Optional.<Lineage>empty();
      }
      return Optional.of(new Lineage(st.engine(), st.host(), st.port(), st.database(), st.storeId(),
          st.lastSyncAt(), st.syncCount(), m.sourceLineage().stream().map(StoreRecords::lineage).toList(),
          st.selection(), st.since(), m.syncLog(10).stream().map(StoreRecords::record).toList()));
    });
  }

  /**
   * Age of the last successful sync and, per source, the newest bar at or before now (future-dated
   * rows are left out, so they cannot make old data look current). Stale when never synced or
   * older than {@code staleAfter}.
   */
  public Freshness freshness(Duration staleAfter) {
    Instant now = clock.instant();
    Optional<Lineage> l = lineage();
    if (l.isEmpty()) {
      return new Freshness(null, null, staleAfter, true, Map.of());
    }
    Instant last = l.get().lastSyncAt();
    Duration age = Duration.between(last, now);
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    Map<SourceName, Instant> through = withReadOnly(m -> m.dataThrough(StoreRecords.sources(l.get().sources()),
        now));
    return new Freshness(last, age, staleAfter, age.compareTo(staleAfter) > 0, through);
  }

  /**
   * What production held outside the mirror's selection at the last sync (sources not selected,
   * bars before {@code --since}); {@link LeftOut#NOTHING} when the mirror does not exist or was
   * never synced.
   */
  public LeftOut leftOut() {
    if (!exists()) {
      return LeftOut.NOTHING;
    }
    return withReadOnly(m -> {
      MirrorStore.State st = m.state();
      return st.synced() ? StoreRecords.leftOut(m.leftOut(), st.since()) : LeftOut.NOTHING;
    });
  }

  // ---- verify ---------------------------------------------------------------------------------

  /**
   * Recomputes every chunk checksum of the mirror and compares it with the checksums recorded at
   * sync time and, when {@code production} is given, with checksums computed from production's
   * rows; a chunk that differs from production is pending when production's change tracking
   * records a change to it since the last sync, a difference otherwise (see {@link VerifyReport}).
   * Opens the mirror read-only; never writes anywhere.
   *
   * @param production the production store, or null to check only against the recorded checksums
   * @param note       why production is left out (shown to the user), or null
   */
  public VerifyReport verify(BarStore production, String note) {
    return verify(production, note, null);
  }

  /** {@link #verify(BarStore, String)} reporting progress to {@code progress} (may be null). */
  public VerifyReport verify(BarStore production, String note, VerifyProgress progress) {
    return new Verifier(this, production, note, progress).run();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Work on the mirror opened read-only, closed afterwards. */
  <T> T withReadOnly(java.util.function.Function<MirrorStore, T> work) {
    MirrorStore ro = Stores.openMirrorReadOnly(file);
    try {
      return work.apply(ro);
    } finally {
      ro.close();
    }
  }

  /** Opens the mirror read-only; the caller closes it. */
  MirrorStore openReadOnly() {
    return Stores.openMirrorReadOnly(file);
  }

  Clock clock() {
    return clock;
  }

  /** How many times this instance ran the whole-file check ({@code PRAGMA quick_check}). */
  long wholeFileChecks() {
    return wholeFileChecks.get();
  }
}
