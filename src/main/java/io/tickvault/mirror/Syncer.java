package io.tickvault.mirror;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.SyncPlanner.Kind;
import io.tickvault.mirror.SyncPlanner.MirrorSource;
import io.tickvault.mirror.SyncPlanner.Plan;
import io.tickvault.mirror.SyncPlanner.Selection;
import io.tickvault.mirror.SyncPlanner.Step;
import io.tickvault.mirror.SyncRecord.Mode;
import io.tickvault.mirror.SyncReport.Action;
import io.tickvault.mirror.SyncReport.SourceSync;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.Handoff;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.MirrorStore.Dirty;
import io.tickvault.store.MirrorStore.State;
import io.tickvault.store.MirrorStore.SyncTx;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.StoreInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One sync, production to mirror, inside one transaction of the mirror: reads what the plan needs
 * (the mirror's records, production's change log and sources), lets {@link SyncPlanner} decide,
 * then runs the plan: a {@link SyncReader} on its own thread reads production and hands complete
 * chunks to the calling thread, where a {@link ChunkReconciler} writes the difference; reading and
 * writing overlap, with a bounded number of rows in flight, so memory does not grow with the size
 * of production. Not thread-safe; one instance per sync.
 */
final class Syncer {
  /** Rows in flight between the production reader and the mirror writer. */
  private static final int QUEUE_ROWS = 100_000;

  private final BarStore production;
  private final MirrorStore mirror;
  private final Clock clock;
  private final SyncOptions opts;
  private final PauseHook pause;
  private final SyncProgress progress;
  /** Production's sources with a table, read while the plan's inputs are. */
  private Map<SourceName, SourceRecord> available;

  Syncer(BarStore production, MirrorStore mirror, Clock clock, SyncOptions opts, PauseHook pause,
      SyncProgress progress) {
    this.production = production;
    this.mirror = mirror;
    this.clock = clock;
    this.opts = opts;
    this.pause = pause;
    this.progress = progress;
  }

  /** A test hook: called after each chunk written, inside the transaction. */
  interface PauseHook {
    void afterChunk(long chunksWritten);
  }

  SyncReport run() {
    Instant started = clock.instant();
    StoreInfo prod = production.info();
    long[] rowsRead = new long[1];
    SyncReport report = mirror.inSyncTransaction(tx -> {
      if (pause != null) {
        tx.spillEarly(); // crash tests: make written pages reach the file before the pause
      }
      tx.ensureRecords();
      State st = tx.state();
      boolean sameProduction = st.storeId() != null && st.storeId().equals(prod.storeId());
      if (st.synced() && !sameProduction && !opts.full()) {
        throw MirrorException.differentProduction(mirror.info().location(), locationOf(st), prod.location());
      }
      SyncPlanner.Input in = inputs(tx, st, sameProduction, prod);
      Map<SourceName, SourceRecord> available = this.available;
      Plan plan = SyncPlanner.plan(in);
      Selection sel = in.selection();
      tx.writeLeftOut(StoreRecords.record(plan.leftOut()));

      Map<SourceName, SourceSync> done = new LinkedHashMap<>();
      for (Map.Entry<SourceName, Long> e : plan.drops().entrySet()) {
        forget(tx, e.getKey());
        done.put(e.getKey(), new SourceSync(e.getKey(), Action.DROPPED, 0, 0, 0, 0, e.getValue()));
      }
      for (SourceName s : plan.rebuilds().keySet()) {
        forget(tx, s);
      }
      for (Step t : plan.steps()) {
        tx.dropGuards(t.source()); // sync's own writes are not tampering
        tx.createSource(available.get(t.source()));
      }

      ChunkReconciler reconciler = new ChunkReconciler(tx, mirror.info().location(), pause);
      for (Map.Entry<SourceName, Long> e : plan.rebuilds().entrySet()) {
        reconciler.counts(e.getKey()).deleted += e.getValue();
      }
      try {
        rowsRead[0] = pump(plan.steps(), sel, reconciler);
      } catch (InvalidInputException e) {
        SourceName at = reconciler.current();
        throw MirrorException.rejectedRow(at == null ? "?" : at.toString(), e.getMessage());
      }
      return conclude(tx, st, in, plan, reconciler, done, started);
    });
    return new SyncReport(report.record(), report.sources(), rowsRead[0], report.mirror(), report.warnings(),
        report.leftOut());
  }

  /**
   * After the last chunk: marks production's change log, restores the guards, refreshes each
   * source's lineage and records the sync (state, log entry); returns its report (rows read aside).
   */
  private SyncReport conclude(SyncTx tx, State st, SyncPlanner.Input in, Plan plan, ChunkReconciler reconciler,
      Map<SourceName, SourceSync> done, Instant started) {
    StoreInfo prod = production.info();
    Selection sel = in.selection();
    ChangeSet changes = in.changes();
    // marked after every production row was read: a backup that holds the mark holds all of them
    tx.writeChangeMark(production.markChangeLog());
    Instant finished = clock.instant();
    for (Step t : plan.steps()) {
      SourceRecord r = available.get(t.source());
      tx.createGuards(t.source());
      tx.refreshSource(t.source(), r.kind(), sel.since(), finished, in.generations().get(t.source()));
      ChunkReconciler.Counts k = reconciler.counts(t.source());
      done.put(t.source(), new SourceSync(t.source(), t.kind() == Kind.FRESH ? Action.COPIED : Action.UPDATED,
          k.checked, k.changed, k.added, k.changedRows, k.deleted));
    }
    tx.clearDirty();

    long checked = 0;
    long chunksChanged = 0;
    long added = 0;
    long changedRows = 0;
    long deleted = 0;
    for (SourceSync s : done.values()) {
      checked += s.chunksChecked();
      chunksChanged += s.chunksChanged();
      added += s.rowsAdded();
      changedRows += s.rowsChanged();
      deleted += s.rowsDeleted();
    }
    SyncRecord rec = new SyncRecord(started, finished, plan.mode(), prod.location(), sel.recorded().recorded(), sel.since(),
        checked, chunksChanged, added, changedRows, deleted, changes.token());
    tx.writeState(new State(prod.engine(), prod.host(), prod.port(), prod.database(), prod.storeId(),
        changes.token(), sel.recorded(), sel.since(), finished, st.syncCount() + 1));
    List<SourceSync> per = new ArrayList<>(done.values());
    per.sort((a, b) -> a.source().compareTo(b.source()));
    tx.logSync(StoreRecords.row(rec), prod.storeId(), StoreRecords.counts(per), plan.notes());
    return new SyncReport(rec, per, 0, mirror.info().location(), plan.warnings(), plan.leftOut());
  }

  // ---- what the plan is made from -------------------------------------------------------------

  /** Reads what the planner needs: the mirror's records, production's change log, sources and tables. */
  private SyncPlanner.Input inputs(SyncTx tx, State st, boolean sameProduction, StoreInfo prod) {
    ChangeSet changes = null;
    String broken = null;
    if (SyncPlanner.requestedMode(st, sameProduction, opts.full()) == Mode.INCREMENTAL) {
      // the change log names what changed since the last sync only if it continues the log that
      // sync followed: a production restored from an older backup reuses positions after a few writes
      broken = production.changeLogBreak(tx.changeMark());
      if (broken == null) {
        changes = production.changesSince(st.token());
        if (changes.token() < st.token()) {
          broken = "production's change log is behind this mirror's last sync (position " + changes.token()
              + ", the mirror followed it to " + st.token() + "): production was restored from a backup";
          changes = null;
        }
      }
    }
    if (changes == null) {
      changes = production.changesSince(-1); // the position to start from next time, taken before reading
    }
    available = availableSources();
    Selection sel = SyncPlanner.select(st, opts, available.keySet(), prod.location());

    // which table each source is, read before its rows: a different one than last time (dropped
    // and created again, by anyone) or an unknown one is compared in full
    Map<SourceName, String> generations = new TreeMap<>();
    Map<SourceName, Instant> firstBars = new TreeMap<>();
    for (SourceName s : sel.sources()) {
      generations.put(s, production.generation(s));
      if (sel.since() != null) {
        // found through the key, one lookup per symbol: see BarStore#firstTimestamp
        Instant f = production.firstTimestamp(s);
        if (f != null) {
          firstBars.put(s, f);
        }
      }
    }

    Map<SourceName, MirrorSource> held = new TreeMap<>();
    for (SourceName s : tx.sourceTables()) {
      held.put(s, new MirrorSource(tx.recordedRows(s), tx.hasGuards(s), tx.recordedGeneration(s)));
    }
    Dirty dirty = tx.dirty();
    Set<SourceName> unreadable = new TreeSet<>();
    for (Chunk ch : dirty.chunks()) {
      // rows changed by hand into values no bar can hold cannot be compared
      SourceName s = ch.source();
      if (held.containsKey(s) && sel.sources().contains(s) && !dirty.rebuild().contains(s) && !unreadable.contains(s)) {
        try {
          tx.read(s, new BarFilter(ch.symbol(), ch.range()), b -> { });
        } catch (RuntimeException e) {
          if (ChunkReconciler.engineFailure(e)) {
            throw e;
          }
          unreadable.add(s);
        }
      }
    }
    return new SyncPlanner.Input(st, sameProduction, opts.full(), changes, broken, available.keySet(), sel,
        generations, firstBars, held, dirty, unreadable);
  }

  /** Production's sources that have a table, by name. */
  private Map<SourceName, SourceRecord> availableSources() {
    Map<SourceName, SourceRecord> available = new TreeMap<>();
    for (SourceRecord r : production.sources()) {
      if (r.tableExists()) {
        available.put(r.name(), r);
      }
    }
    return available;
  }

  /** Drops a source from the mirror with its guards and records. */
  private static void forget(SyncTx tx, SourceName s) {
    tx.dropGuards(s);
    tx.dropSource(s);
    tx.forgetSource(s);
  }

  /** Refuses a selection that names sources production does not hold (checked again inside the sync). */
  static void checkSelection(BarStore production, SyncOptions opts) {
    if (opts.sources() == null || opts.sources().isEmpty()) {
      return;
    }
    Set<SourceName> available = new TreeSet<>();
    for (SourceRecord r : production.sources()) {
      if (r.tableExists()) {
        available.add(r.name());
      }
    }
    SyncPlanner.refuseUnknown(opts, available, production.info().location());
  }

  private static String locationOf(State st) {
    if ("postgresql".equals(st.engine())) {
      return "postgresql://" + st.host() + ":" + st.port() + "/" + st.database();
    }
    return "sqlite:" + st.database();
  }

  // ---- the pipeline ---------------------------------------------------------------------------

  /** Runs the reader on its own thread and reconciles its chunks on this one; returns the rows read. */
  private long pump(List<Step> steps, Selection sel, ChunkReconciler reconciler) {
    SyncReader reader = new SyncReader(production, sel.since());
    long applied = 0;
    try (Handoff<SyncReader.Item> h = Handoff.start("tickvault-sync-reader", QUEUE_ROWS,
        sink -> reader.read(steps, sink))) {
      for (SyncReader.Item item = h.take(); item != null; item = h.take()) {
        if (item instanceof SyncReader.ChunkItem ci) {
          reconciler.apply(ci);
          if (progress != null && ++applied % 64 == 0) {
            progress.update(reader.rowsRead(), applied);
          }
        } else if (item instanceof SyncReader.SourceEnd se) {
          reconciler.endOfSource(se.step());
        }
      }
    }
    return reader.rowsRead();
  }
}
