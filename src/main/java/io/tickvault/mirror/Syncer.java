package io.tickvault.mirror;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.mirror.SyncRecord.Mode;
import io.tickvault.mirror.SyncReport.Action;
import io.tickvault.mirror.SyncReport.SourceSync;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.MirrorStore.ChunkRecord;
import io.tickvault.store.MirrorStore.State;
import io.tickvault.store.MirrorStore.SyncTx;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.StoreInfo;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One sync, production to mirror, inside one SQLite transaction of the mirror. A producer thread
 * reads production (whole sources, or the chunks its change log names) and hands complete chunks
 * with their checksums to the calling thread, which compares each with the mirror and writes the
 * difference; reading and writing overlap. The queue between them is bounded by rows, so memory
 * does not grow with the size of production. Not thread-safe; one instance per sync.
 */
final class Syncer {
  /** Rows in flight between the production reader and the mirror writer. */
  private static final int QUEUE_ROWS = 100_000;
  /** Consecutive changed days of one symbol read with one query. */
  private static final int RUN_DAYS = 16;

  private final BarStore production;
  private final MirrorStore mirror;
  private final Clock clock;
  private final SyncOptions opts;
  private final PauseHook pause;
  private final SyncProgress progress;

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

  // ---- planning -------------------------------------------------------------------------------

  private enum Kind { FRESH, COMPARE, CHUNKS }

  /** The work for one selected source. */
  private record Task(SourceName source, Kind kind, boolean forced, List<Chunk> chunks, Set<Chunk> forcedChunks) {}

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
      Mode mode = !st.synced() || !sameProduction ? Mode.FIRST : opts.full() ? Mode.FULL : Mode.INCREMENTAL;
      List<String> warnings = new ArrayList<>();
      ChangeSet changes = null;
      if (mode == Mode.INCREMENTAL) {
        // the change log names what changed since the last sync only if it continues the log that
        // sync followed: a production restored from an older backup reuses positions after a few writes
        String broken = production.changeLogBreak(tx.changeMark());
        if (broken == null) {
          changes = production.changesSince(st.token());
          if (changes.token() < st.token()) {
            broken = "production's change log is behind this mirror's last sync (position " + changes.token()
                + ", the mirror followed it to " + st.token() + "): production was restored from a backup";
          }
        }
        if (broken != null) {
          mode = Mode.FULL;
          changes = null;
          warnings.add(broken + "; so this sync compared every chunk with production in full");
        }
      }
      if (changes == null) {
        changes = production.changesSince(-1); // the position to start from next time, taken before reading
      }
      LocalDate since = opts.allHistory() ? null : opts.since() != null ? opts.since() : st.since();
      boolean sinceChanged = st.synced() && !Objects.equals(since, st.since());

      Map<SourceName, SourceRecord> available = new TreeMap<>();
      for (SourceRecord r : production.sources()) {
        if (r.tableExists()) {
          available.put(r.name(), r);
        }
      }
      String selection = selection(st, available);
      Set<SourceName> selected = new TreeSet<>();
      if ("*".equals(selection)) {
        selected.addAll(available.keySet());
      } else {
        for (String n : selection.split(",")) {
          SourceName s = SourceName.of(n);
          if (available.containsKey(s)) {
            selected.add(s); // a stored selection may name a source production has since dropped
          }
        }
      }

      LeftOut leftOut = leftOut(available.keySet(), selected, since);
      tx.writeLeftOut(StoreRecords.record(leftOut));

      // which table each source is, read before its rows: a different one than last time (dropped
      // and created again, by anyone) or an unknown one is compared in full
      Map<SourceName, String> generations = new TreeMap<>();
      for (SourceName s : selected) {
        generations.put(s, production.generation(s));
      }
      for (SourceName s : changes.untracked()) {
        if (selected.contains(s)) {
          warnings.add("production table " + s.tableName() + " has no tickvault change tracking (made outside "
              + "tickvault, or its triggers were dropped or disabled), so every sync compares source " + s
              + " in full; run `tickvault create --source " + s + "` against production, as the table's owner, "
              + "to install it");
        }
      }

      Map<SourceName, SourceSync> done = new LinkedHashMap<>();
      Set<SourceName> inMirror = new TreeSet<>(tx.sourceTables());
      for (SourceName s : inMirror) {
        if (!selected.contains(s)) {
          long rows = tx.recordedRows(s);
          tx.dropGuards(s);
          tx.dropSource(s);
          tx.forgetSource(s);
          done.put(s, new SourceSync(s, Action.DROPPED, 0, 0, 0, 0, rows));
        }
      }

      MirrorStore.Dirty dirtyLog = tx.dirty();
      Set<Chunk> dirty = dirtyLog.chunks();
      Set<SourceName> rebuild = new TreeSet<>(dirtyLog.rebuild());
      for (Chunk ch : dirty) {
        // rows changed by hand into values no bar can hold cannot be compared: rebuild the source
        if (inMirror.contains(ch.source()) && selected.contains(ch.source()) && !rebuild.contains(ch.source())) {
          try {
            tx.read(ch.source(), new BarFilter(ch.symbol(), ch.range()), b -> { });
          } catch (RuntimeException e) {
            rebuild.add(ch.source());
          }
        }
      }
      Map<SourceName, Long> rebuilt = new TreeMap<>();
      for (SourceName s : rebuild) {
        if (inMirror.contains(s) && selected.contains(s)) {
          rebuilt.put(s, tx.recordedRows(s));
          tx.dropGuards(s);
          tx.dropSource(s);
          tx.forgetSource(s);
          inMirror.remove(s);
        }
      }
      List<Task> tasks = new ArrayList<>();
      for (SourceName s : selected) {
        SourceRecord r = available.get(s);
        boolean exists = inMirror.contains(s);
        boolean guarded = exists && tx.hasGuards(s);
        String generation = generations.get(s);
        boolean sameTable = exists && generation != null && generation.equals(tx.recordedGeneration(s));
        tx.dropGuards(s); // sync's own writes are not tampering
        tx.createSource(r);
        if (!exists) {
          tasks.add(new Task(s, Kind.FRESH, false, List.of(), Set.of()));
        } else if (mode != Mode.INCREMENTAL || sinceChanged || !guarded || !sameTable
            || changes.wholeSources().contains(s)) {
          // a full comparison; rows are read back from the mirror (not trusted from the recorded
          // checksums) when asked for, on a mirror of another production, or when the guards that
          // record changes made outside sync were removed
          tasks.add(new Task(s, Kind.COMPARE, mode != Mode.INCREMENTAL || !guarded, List.of(), Set.of()));
        } else {
          Set<Chunk> forcedChunks = new HashSet<>();
          TreeSet<Chunk> chunks = new TreeSet<>();
          for (Chunk ch : changes.chunks()) {
            if (ch.source().equals(s) && (since == null || !ch.day().isBefore(since))) {
              chunks.add(ch);
            }
          }
          for (Chunk ch : dirty) {
            if (ch.source().equals(s)) {
              chunks.add(ch);
              forcedChunks.add(ch);
            }
          }
          tasks.add(new Task(s, Kind.CHUNKS, false, new ArrayList<>(chunks), forcedChunks));
        }
      }

      Applier applier = new Applier(tx);
      for (Map.Entry<SourceName, Long> e : rebuilt.entrySet()) {
        applier.counts.computeIfAbsent(e.getKey(), x -> new Counts()).deleted += e.getValue();
      }
      try {
        rowsRead[0] = pump(tasks, since, applier);
      } catch (InvalidInputException e) {
        throw MirrorException.rejectedRow(applier.current == null ? "?" : applier.current.toString(), e.getMessage());
      }
      // marked after every production row was read: a backup that holds the mark holds all of them
      tx.writeChangeMark(production.markChangeLog());
      Instant finished = clock.instant();
      for (Task t : tasks) {
        SourceRecord r = available.get(t.source());
        tx.createGuards(t.source());
        tx.refreshSource(t.source(), r.kind(), since, finished, generations.get(t.source()));
        Counts k = applier.counts.getOrDefault(t.source(), new Counts());
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
      SyncRecord rec = new SyncRecord(started, finished, mode, prod.location(), selection, since, checked,
          chunksChanged, added, changedRows, deleted, changes.token());
      tx.writeState(new State(prod.engine(), prod.host(), prod.port(), prod.database(), prod.storeId(),
          changes.token(), selection, since, finished, st.syncCount() + 1));
      List<SourceSync> per = new ArrayList<>(done.values());
      per.sort((a, b) -> a.source().compareTo(b.source()));
      List<String> notes = new ArrayList<>(warnings);
      notes.addAll(leftOut.notes());
      tx.logSync(StoreRecords.row(rec), prod.storeId(), StoreRecords.counts(per), notes);
      return new SyncReport(rec, per, 0, mirror.info().location(), warnings, leftOut);
    });
    return new SyncReport(report.record(), report.sources(), rowsRead[0], report.mirror(), report.warnings(),
        report.leftOut());
  }

  /**
   * Production sources outside the selection, and selected sources with bars before {@code since}
   * (found through the key, one lookup per symbol: see {@link BarStore#firstTimestamp}).
   */
  private LeftOut leftOut(Set<SourceName> available, Set<SourceName> selected, LocalDate since) {
    List<SourceName> outside = new ArrayList<>();
    for (SourceName s : available) {
      if (!selected.contains(s)) {
        outside.add(s);
      }
    }
    List<SourceName> before = new ArrayList<>();
    Instant first = null;
    if (since != null) {
      Instant from = since.atStartOfDay(ZoneOffset.UTC).toInstant();
      for (SourceName s : selected) {
        Instant f = production.firstTimestamp(s);
        if (f != null && f.isBefore(from)) {
          before.add(s);
          first = first == null || f.isBefore(first) ? f : first;
        }
      }
    }
    return new LeftOut(outside, since, before, first);
  }

  private String selection(State st, Map<SourceName, SourceRecord> available) {
    if (opts.sources() == null) {
      return st.selection() == null || st.selection().isBlank() ? "*" : st.selection();
    }
    if (opts.sources().isEmpty()) {
      return "*";
    }
    refuseUnknown(production, opts, available.keySet());
    return String.join(",", new TreeSet<>(opts.sources()).stream().map(SourceName::value).toList());
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
    refuseUnknown(production, opts, available);
  }

  private static void refuseUnknown(BarStore production, SyncOptions opts, Set<SourceName> available) {
    List<String> unknown = new ArrayList<>();
    for (SourceName s : opts.sources()) {
      if (!available.contains(s)) {
        unknown.add(s.value());
      }
    }
    if (!unknown.isEmpty()) {
      throw new NotFoundException("unknown source(s) " + String.join(", ", unknown) + " in production [production="
          + production.info().location() + ", available=" + String.join(",", available.stream()
          .map(SourceName::value).toList()) + "]; check --sources; nothing was changed");
    }
  }

  private static String locationOf(State st) {
    if ("postgresql".equals(st.engine())) {
      return "postgresql://" + st.host() + ":" + st.port() + "/" + st.database();
    }
    return "sqlite:" + st.database();
  }

  // ---- the pipeline ---------------------------------------------------------------------------

  /** One complete chunk read from production, in timestamp order, with its checksum. */
  private record ChunkItem(Task task, Chunk chunk, List<Bar> rows, String sha256, boolean forced) {}

  private record SourceEnd(Task task) {}

  private record Failure(Throwable error) {}

  private static final Object END = new Object();

  /** Runs the producer thread and applies its chunks on this thread; returns the rows read. */
  private long pump(List<Task> tasks, LocalDate since, Applier applier) {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4096);
    Semaphore budget = new Semaphore(QUEUE_ROWS);
    AtomicBoolean cancelled = new AtomicBoolean();
    Producer producer = new Producer(tasks, since, queue, budget, cancelled);
    Thread t = new Thread(producer, "tickvault-sync-reader");
    t.setDaemon(true);
    t.start();
    boolean ok = false;
    long applied = 0;
    try {
      while (true) {
        Object item;
        try {
          item = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("sync interrupted", e);
        }
        if (item == END) {
          break;
        }
        if (item instanceof Failure f) {
          if (f.error() instanceof RuntimeException re) {
            throw re;
          }
          if (f.error() instanceof Error er) {
            throw er;
          }
          throw new IllegalStateException(f.error());
        }
        if (item instanceof ChunkItem ci) {
          try {
            applier.apply(ci);
          } finally {
            budget.release(permits(ci.rows().size()));
          }
          if (progress != null && ++applied % 64 == 0) {
            progress.update(producer.rowsRead, applied);
          }
        } else if (item instanceof SourceEnd se) {
          applier.endOfSource(se.task());
        }
      }
      ok = true;
      return producer.rowsRead;
    } finally {
      if (!ok) {
        cancelled.set(true);
        queue.clear();
        budget.release(QUEUE_ROWS);
      }
      try {
        t.join(ok ? 0 : 10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int permits(int rows) {
    return Math.max(1, Math.min(rows, QUEUE_ROWS));
  }

  /** Reads production and hands out complete chunks. Runs on its own thread. */
  private final class Producer implements Runnable {
    private final List<Task> tasks;
    private final LocalDate since;
    private final BlockingQueue<Object> queue;
    private final Semaphore budget;
    private final AtomicBoolean cancelled;
    volatile long rowsRead;

    Producer(List<Task> tasks, LocalDate since, BlockingQueue<Object> queue, Semaphore budget,
        AtomicBoolean cancelled) {
      this.tasks = tasks;
      this.since = since;
      this.queue = queue;
      this.budget = budget;
      this.cancelled = cancelled;
    }

    @Override
    public void run() {
      try {
        for (Task t : tasks) {
          if (t.kind() == Kind.CHUNKS) {
            readChunks(t);
          } else {
            Instant from = since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant();
            Grouper g = new Grouper(t, null);
            production.read(t.source(), new BarFilter(null, new TimeRange(from, null)), g);
            g.flush();
          }
          put(new SourceEnd(t), 1, false);
        }
        put(END, 1, false);
      } catch (Cancelled e) {
        // the consumer gave up; it reports its own error
      } catch (Throwable e) {
        queue.clear();
        queue.offer(new Failure(e));
      }
    }

    private void readChunks(Task t) {
      List<Chunk> chunks = new ArrayList<>();
      for (Chunk ch : t.chunks()) {
        if (since != null && ch.day().isBefore(since)) {
          // only a chunk changed outside sync can be here: the mirror holds nothing before since
          put(new ChunkItem(t, ch, List.of(), new ChunkDigest().finish(), true), 1, true);
        } else {
          chunks.add(ch);
        }
      }
      int i = 0;
      while (i < chunks.size()) {
        // a run: consecutive days of one symbol, at most RUN_DAYS long
        int j = i + 1;
        while (j < chunks.size() && j - i < RUN_DAYS && chunks.get(j).symbol().equals(chunks.get(i).symbol())
            && chunks.get(j).day().equals(chunks.get(j - 1).day().plusDays(1))) {
          j++;
        }
        List<Chunk> run = chunks.subList(i, j);
        Grouper g = new Grouper(t, run);
        Symbol sym = run.get(0).symbol();
        production.read(t.source(), new BarFilter(sym, TimeRange.ofDays(run.get(0).day(),
            run.get(run.size() - 1).day())), g);
        g.flush();
        g.emitMissing();
        i = j;
      }
    }

    void put(Object item, int permits, boolean counted) {
      try {
        while (!budget.tryAcquire(permits, 200, TimeUnit.MILLISECONDS)) {
          if (cancelled.get()) {
            throw new Cancelled();
          }
        }
        if (cancelled.get()) {
          throw new Cancelled();
        }
        queue.put(item);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Cancelled();
      }
    }

    /** Cuts a sorted stream of bars into chunks; for chunk runs, also emits the empty ones. */
    private final class Grouper implements Consumer<Bar> {
      private final Task task;
      private final List<Chunk> expected;
      private final Set<Chunk> emitted = new HashSet<>();
      private Chunk chunk;
      private List<Bar> rows = new ArrayList<>();
      private ChunkDigest digest = new ChunkDigest();

      Grouper(Task task, List<Chunk> expected) {
        this.task = task;
        this.expected = expected;
      }

      @Override
      public void accept(Bar b) {
        if (cancelled.get()) {
          throw new Cancelled();
        }
        LocalDate day = Chunk.dayOf(b.timestamp());
        if (chunk == null || !chunk.symbol().equals(b.symbol()) || !chunk.day().equals(day)) {
          flush();
          chunk = new Chunk(task.source(), b.symbol(), day);
        }
        rows.add(b);
        digest.add(b);
        rowsRead++;
      }

      void flush() {
        if (chunk == null) {
          return;
        }
        emit(chunk, rows, digest.finish());
        chunk = null;
        rows = new ArrayList<>();
        digest = new ChunkDigest();
      }

      void emitMissing() {
        for (Chunk ch : expected) {
          if (!emitted.contains(ch)) {
            emit(ch, List.of(), new ChunkDigest().finish());
          }
        }
      }

      private void emit(Chunk ch, List<Bar> bars, String sha) {
        emitted.add(ch);
        boolean forced = task.forced() || task.forcedChunks().contains(ch);
        put(new ChunkItem(task, ch, bars, sha, forced), permits(bars.size()), true);
      }
    }
  }

  /** Thrown inside the producer when the consumer has given up. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }

  // ---- applying chunks to the mirror ----------------------------------------------------------

  private static final class Counts {
    long checked;
    long changed;
    long added;
    long changedRows;
    long deleted;
  }

  /** Compares chunks with the mirror and writes the differences. Runs on the transaction's thread. */
  private final class Applier {
    private final SyncTx tx;
    private final Map<SourceName, Counts> counts = new TreeMap<>();
    private final Map<SourceName, Set<Chunk>> seen = new TreeMap<>();
    SourceName current;
    private long chunksWritten;

    Applier(SyncTx tx) {
      this.tx = tx;
    }

    void apply(ChunkItem item) {
      Task t = item.task();
      current = t.source();
      Counts k = counts.computeIfAbsent(t.source(), x -> new Counts());
      k.checked++;
      if (t.kind() == Kind.COMPARE) {
        seen.computeIfAbsent(t.source(), x -> new HashSet<>()).add(item.chunk());
      }
      List<Bar> prod = item.rows();
      if (t.kind() == Kind.FRESH) {
        if (!prod.isEmpty()) {
          k.added += tx.write(t.source(), prod.iterator()).rows();
          record(item);
          k.changed++;
          written();
        }
        return;
      }
      ChunkRecord rec = tx.findChunk(item.chunk());
      if (!item.forced()) {
        if (rec != null && rec.sha256().equals(item.sha256()) && rec.rows() == prod.size()) {
          return; // unchanged
        }
        if (rec == null && prod.isEmpty()) {
          return; // nothing on either side
        }
      }
      List<Bar> mine = new ArrayList<>();
      try {
        tx.read(t.source(), new BarFilter(item.chunk().symbol(), item.chunk().range()), mine::add);
      } catch (RuntimeException e) {
        throw MirrorException.unreadableMirror(mirror.info().location(), t.source().value(), e.getMessage());
      }
      List<Instant> gone = new ArrayList<>();
      List<Bar> put = new ArrayList<>();
      int i = 0;
      int j = 0;
      long added = 0;
      long changed = 0;
      while (i < prod.size() || j < mine.size()) {
        int cmp = i == prod.size() ? 1 : j == mine.size() ? -1
            : prod.get(i).timestamp().compareTo(mine.get(j).timestamp());
        if (cmp < 0) {
          put.add(prod.get(i++));
          added++;
        } else if (cmp > 0) {
          gone.add(mine.get(j++).timestamp());
        } else {
          if (!sameRow(prod.get(i), mine.get(j))) {
            put.add(prod.get(i));
            changed++;
          }
          i++;
          j++;
        }
      }
      if (!gone.isEmpty()) {
        k.deleted += tx.deleteKeys(t.source(), item.chunk().symbol(), gone);
      }
      if (!put.isEmpty()) {
        tx.write(t.source(), put.iterator());
      }
      k.added += added;
      k.changedRows += changed;
      if (!gone.isEmpty() || !put.isEmpty()) {
        k.changed++;
        written();
      }
      if (prod.isEmpty()) {
        if (rec != null) {
          tx.removeChunk(item.chunk());
        }
      } else if (rec == null || !rec.sha256().equals(item.sha256()) || rec.rows() != prod.size()) {
        record(item);
      }
    }

    /** After a full comparison: removes the mirror's chunks that production no longer has. */
    void endOfSource(Task t) {
      if (t.kind() != Kind.COMPARE) {
        return;
      }
      Set<Chunk> seenHere = seen.getOrDefault(t.source(), Set.of());
      Set<Chunk> mirrorChunks = new TreeSet<>();
      for (ChunkRecord r : tx.recordedChunks(t.source())) {
        mirrorChunks.add(r.chunk());
      }
      if (t.forced()) {
        try {
          tx.chunks(t.source(), mirrorChunks::add);
        } catch (RuntimeException e) {
          throw MirrorException.unreadableMirror(mirror.info().location(), t.source().value(), e.getMessage());
        }
      }
      Counts k = counts.computeIfAbsent(t.source(), x -> new Counts());
      for (Chunk ch : mirrorChunks) {
        if (!seenHere.contains(ch)) {
          k.checked++;
          long n = tx.delete(t.source(), new BarFilter(ch.symbol(), ch.range()));
          tx.removeChunk(ch);
          if (n > 0) {
            k.deleted += n;
            k.changed++;
          }
        }
      }
      seen.remove(t.source());
    }

    private void record(ChunkItem item) {
      List<Bar> rows = item.rows();
      tx.putChunk(new ChunkRecord(item.chunk(), rows.size(), item.sha256(), rows.get(0).timestamp(),
          rows.get(rows.size() - 1).timestamp()));
    }

    private void written() {
      chunksWritten++;
      if (pause != null) {
        pause.afterChunk(chunksWritten);
      }
    }
  }

  /** Whether two bars with the same key hold the same values (decimals compared by value). */
  static boolean sameRow(Bar a, Bar b) {
    return a.symbol().equals(b.symbol()) && a.timestamp().equals(b.timestamp()) && same(a.price(), b.price())
        && same(a.open(), b.open()) && same(a.high(), b.high()) && same(a.low(), b.low())
        && same(a.close(), b.close()) && a.volume() == b.volume() && a.tradeCount() == b.tradeCount()
        && same(a.vwap(), b.vwap()) && a.origin().equals(b.origin());
  }

  private static boolean same(BigDecimal x, BigDecimal y) {
    return x == null ? y == null : y != null && x.compareTo(y) == 0;
  }
}
