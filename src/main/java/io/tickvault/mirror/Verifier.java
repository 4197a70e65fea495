package io.tickvault.mirror;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.mirror.VerifyReport.Difference;
import io.tickvault.mirror.VerifyReport.Problem;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.MirrorStore;
import io.tickvault.store.MirrorStore.ChunkRecord;
import io.tickvault.store.MirrorStore.State;
import io.tickvault.store.SourceRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Recomputes chunk checksums of the mirror (read-only) and, when given, of production, in parallel,
 * and sorts what it finds: chunks whose mirror rows no longer match their recorded checksum
 * (changed outside sync), chunks production changed after the last sync by its own change tracking
 * (pending: the next sync copies them), and chunks that differ from production with no change
 * recorded (a writer the change log does not see). Production's change log is read after its rows,
 * so a write that lands while verify runs is recorded there and counts as pending. When a sync
 * commits while verify runs, verify starts again (at most three times). Not thread-safe; one per
 * verification.
 */
final class Verifier {
  private static final int ATTEMPTS = 3;

  private final MirrorService service;
  private final BarStore production;
  private final String note;
  private final VerifyProgress progress;
  private final AtomicLong rowsRead = new AtomicLong();
  private long rowsExpected;
  private long lastShown;

  Verifier(MirrorService service, BarStore production, String note, VerifyProgress progress) {
    this.service = service;
    this.production = production;
    this.note = note;
    this.progress = progress;
  }

  /** Rows and checksum of one chunk. */
  record Sum(long rows, String sha256) {}

  VerifyReport run() {
    service.checkSound();
    for (int attempt = 1; ; attempt++) {
      rowsRead.set(0);
      MirrorStore m = service.openReadOnly();
      try {
        State before = m.state();
        VerifyReport r = once(m, before);
        State after = m.state();
        if (attempt == ATTEMPTS || (Objects.equals(before.lastSyncAt(), after.lastSyncAt())
            && before.syncCount() == after.syncCount())) {
          return r;
        }
      } finally {
        m.close();
      }
    }
  }

  private VerifyReport once(MirrorStore m, State st) {
    String mirrorLoc = "sqlite:" + service.file();
    if (!st.synced()) {
      return new VerifyReport(mirrorLoc, "nothing", note, null, 0, 0,
          List.of(new Difference(null, 0, 0, Problem.NEVER_SYNCED)), List.of(), List.of());
    }
    List<MirrorStore.SourceRow> lineage = m.sourceLineage();
    Set<SourceName> mirrored = new TreeSet<>();
    for (MirrorStore.SourceRow s : lineage) {
      mirrored.add(s.source());
    }
    for (SourceRecord r : m.sources()) {
      if (r.tableExists()) {
        mirrored.add(r.name());
      }
    }
    Map<Chunk, Sum> recorded = new HashMap<>();
    Map<SourceName, String> generations = new HashMap<>();
    for (SourceName s : mirrored) {
      for (ChunkRecord r : m.recordedChunks(s)) {
        recorded.put(r.chunk(), new Sum(r.rows(), r.sha256()));
      }
      generations.put(s, m.recordedGeneration(s));
    }
    long recordedRows = 0;
    for (Sum s : recorded.values()) {
      recordedRows += s.rows();
    }

    String useNote = note;
    BarStore prod = production;
    if (prod != null && st.storeId() != null && !st.storeId().equals(prod.info().storeId())) {
      useNote = "production " + prod.info().location() + " is not the store this mirror was made from; "
          + "checked against the recorded checksums only";
      prod = null;
    }
    rowsExpected = recordedRows * (prod == null ? 1 : 2);
    CompletableFuture<Map<Chunk, Sum>> prodSums = null;
    Set<SourceName> wanted = Set.of();
    if (prod != null) {
      BarStore p = prod;
      wanted = productionSources(p, st);
      Set<SourceName> w = wanted;
      LocalDate since = st.since();
      prodSums = CompletableFuture.supplyAsync(() -> sums(w, since, p, null, false));
    }
    List<String> unreadable = new ArrayList<>();
    Map<Chunk, Sum> actual = sums(mirrored, null, m, unreadable, true);
    Map<Chunk, Sum> fromProd = prodSums == null ? null : await(prodSums);

    List<Difference> diffs = new ArrayList<>();
    List<Difference> pending = new ArrayList<>();
    Set<Chunk> all = new TreeSet<>(actual.keySet());
    all.addAll(recorded.keySet());
    Set<Chunk> tampered = new TreeSet<>();
    for (Chunk ch : all) {
      Sum a = actual.get(ch);
      Sum b = recorded.get(ch);
      if (!Objects.equals(a, b) && !unreadableSource(ch.source(), unreadable)) {
        tampered.add(ch);
        diffs.add(new Difference(ch, a == null ? 0 : a.rows(), b == null ? 0 : b.rows(), Problem.MIRROR_CHANGED));
      }
    }
    if (fromProd != null) {
      all.addAll(fromProd.keySet());
      // read after production's rows: every write those rows show is in the log by now
      String mark = m.changeMark();
      Tracking tracking = tracking(prod, st, mark, mirrored, wanted, generations);
      if (tracking.note() != null) {
        useNote = useNote == null ? tracking.note() : useNote + "; " + tracking.note();
      }
      for (Chunk ch : all) {
        if (tampered.contains(ch) || unreadableSource(ch.source(), unreadable)) {
          continue; // one line per chunk: a plain sync rewrites a chunk changed outside sync
        }
        Sum a = actual.get(ch);
        Sum p = fromProd.get(ch);
        if (!Objects.equals(a, p)) {
          Difference d = new Difference(ch, a == null ? 0 : a.rows(), p == null ? 0 : p.rows(),
              tracking.pending(ch) ? Problem.PENDING : Problem.DIFFERS_FROM_PRODUCTION);
          (d.problem() == Problem.PENDING ? pending : diffs).add(d);
        }
      }
    }
    diffs.sort(Comparator.comparing(Difference::chunk).thenComparing(Difference::problem));
    long rows = 0;
    for (Sum s : actual.values()) {
      rows += s.rows();
    }
    String with = "recorded checksums" + (fromProd == null ? "" : " and production " + prod.info().location());
    return new VerifyReport(mirrorLoc, with, useNote, st.lastSyncAt(), all.size(), rows, diffs,
        List.copyOf(unreadable), pending);
  }

  private static boolean unreadableSource(SourceName s, List<String> unreadable) {
    for (String u : unreadable) {
      if (u.startsWith(s.value() + ": ")) {
        return true;
      }
    }
    return false;
  }

  /** Waits for production's side, showing progress meanwhile. */
  private Map<Chunk, Sum> await(CompletableFuture<Map<Chunk, Sum>> f) {
    try {
      while (true) {
        try {
          return f.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          show(true);
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("verify interrupted", e);
    }
  }

  private void show(boolean force) {
    if (progress == null) {
      return;
    }
    long n = rowsRead.get();
    if (force || n - lastShown >= 50_000) {
      lastShown = n;
      progress.update(n, Math.max(rowsExpected, n));
    }
  }

  /**
   * What production's change tracking says happened since the last sync: the chunks its change log
   * names, and the sources the next sync compares in full anyway (changed in a way the log cannot
   * narrow to chunks, without tracking, replaced, new, or gone). When production's log does not
   * provably continue the one the last sync followed (restored from a backup), every source is
   * whole: the next sync compares it in full.
   */
  private record Tracking(Set<Chunk> chunks, Set<SourceName> wholeSources, String note) {
    boolean pending(Chunk ch) {
      return chunks != null && (chunks.contains(ch) || wholeSources.contains(ch.source()));
    }
  }

  private static Tracking tracking(BarStore prod, State st, String mark, Set<SourceName> mirrored,
      Set<SourceName> wanted, Map<SourceName, String> generations) {
    ChangeSet cs = prod.changesSince(st.token() == null ? -1 : st.token());
    String broken = prod.changeLogBreak(mark);
    if (broken == null && (st.token() == null || cs.token() < st.token())) {
      broken = "production's change log is behind this mirror's last sync (production was restored from a backup)";
    }
    if (broken != null) {
      // the next sync compares every chunk in full, so every difference with production is pending
      Set<SourceName> all = new TreeSet<>(mirrored);
      all.addAll(wanted);
      return new Tracking(Set.of(), all, broken + "; the next `tickvault sync` compares every chunk in full");
    }
    Set<SourceName> whole = new TreeSet<>(cs.wholeSources());
    Set<SourceName> both = new TreeSet<>(mirrored);
    both.addAll(wanted);
    for (SourceName s : both) {
      if (!mirrored.contains(s) || !wanted.contains(s)) {
        whole.add(s); // new in production, or gone from it: the next sync copies or drops it
        continue;
      }
      String g = prod.generation(s);
      if (g == null || !g.equals(generations.get(s))) {
        whole.add(s); // a replaced table, or one tickvault cannot tell: the next sync compares it in full
      }
    }
    return new Tracking(new HashSet<>(cs.chunks()), whole, null);
  }

  /** The production sources the mirror's selection covers (those it holds, and new ones for "*"). */
  private static Set<SourceName> productionSources(BarStore p, State st) {
    Set<SourceName> out = new TreeSet<>();
    for (SourceRecord r : p.sources()) {
      if (r.tableExists() && st.selection().includes(r.name())) {
        out.add(r.name());
      }
    }
    return out;
  }

  /**
   * Streams every row of the sources (from {@code since}) and sums them up per chunk. With
   * {@code unreadable} given (the mirror side), a source whose rows cannot be read is listed there
   * with the reason instead of failing the whole verification.
   */
  private Map<Chunk, Sum> sums(Set<SourceName> sources, LocalDate since, BarStore store,
      List<String> unreadable, boolean showProgress) {
    Map<Chunk, Sum> out = new TreeMap<>();
    Set<SourceName> present = new TreeSet<>();
    for (SourceRecord r : store.sources()) {
      if (r.tableExists()) {
        present.add(r.name());
      }
    }
    Instant from = since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant();
    for (SourceName s : sources) {
      if (!present.contains(s)) {
        continue; // every recorded chunk of it will show up as missing
      }
      Summer summer = new Summer(s, out, showProgress);
      try {
        store.read(s, new BarFilter(null, new TimeRange(from, null)), summer);
      } catch (RuntimeException e) {
        if (unreadable == null || e instanceof io.tickvault.store.StoreException) {
          throw e;
        }
        unreadable.add(s.value() + ": " + e.getMessage());
        out.keySet().removeIf(ch -> ch.source().equals(s));
        continue;
      }
      summer.flush();
    }
    return out;
  }

  /** Cuts a sorted stream into chunks and digests each. */
  private final class Summer implements Consumer<Bar> {
    private final SourceName source;
    private final Map<Chunk, Sum> out;
    private final boolean showProgress;
    private Chunk chunk;
    private ChunkDigest digest;

    Summer(SourceName source, Map<Chunk, Sum> out, boolean showProgress) {
      this.source = source;
      this.out = out;
      this.showProgress = showProgress;
    }

    @Override
    public void accept(Bar b) {
      rowsRead.incrementAndGet();
      if (showProgress) {
        show(false);
      }
      LocalDate day = Chunk.dayOf(b.timestamp());
      if (chunk == null || !chunk.symbol().equals(b.symbol()) || !chunk.day().equals(day)) {
        flush();
        chunk = new Chunk(source, b.symbol(), day);
        digest = new ChunkDigest();
      }
      digest.add(b);
    }

    void flush() {
      if (chunk != null) {
        out.put(chunk, new Sum(digest.rows(), digest.finish()));
        chunk = null;
      }
    }
  }
}
