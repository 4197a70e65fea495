package io.tickvault.mirror;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.mirror.MirrorCatalog.ChunkRecord;
import io.tickvault.mirror.MirrorCatalog.State;
import io.tickvault.mirror.VerifyReport.Difference;
import io.tickvault.mirror.VerifyReport.Problem;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Recomputes chunk checksums of the mirror (read-only) and, when given, of production, in parallel,
 * and lists the chunks that differ. Not thread-safe; one per verification.
 */
final class Verifier {
  private final MirrorService service;
  private final BarStore production;
  private final String note;

  Verifier(MirrorService service, BarStore production, String note) {
    this.service = service;
    this.production = production;
    this.note = note;
  }

  /** Rows and checksum of one chunk. */
  record Sum(long rows, String sha256) {}

  VerifyReport run() {
    String mirrorLoc = "sqlite:" + service.file();
    SqliteBarStore m = service.openReadOnly();
    try {
      State st = m.withReadConnection(MirrorCatalog::readState);
      if (!st.synced()) {
        return new VerifyReport(mirrorLoc, "nothing", note, null, 0, 0,
            List.of(new Difference(null, 0, 0, Problem.NEVER_SYNCED)), List.of());
      }
      List<SourceLineage> lineage = m.withReadConnection(MirrorCatalog::sourceLineage);
      Set<SourceName> mirrored = new TreeSet<>();
      for (SourceLineage s : lineage) {
        mirrored.add(s.source());
      }
      for (SourceRecord r : m.sources()) {
        if (r.tableExists()) {
          mirrored.add(r.name());
        }
      }
      Map<Chunk, Sum> recorded = new HashMap<>();
      m.withReadConnection(c -> {
        for (SourceName s : mirrored) {
          for (ChunkRecord r : MirrorCatalog.chunks(c, s)) {
            recorded.put(r.chunk(), new Sum(r.rows(), r.sha256()));
          }
        }
        return null;
      });

      String useNote = note;
      BarStore prod = production;
      if (prod != null && st.storeId() != null && !st.storeId().equals(prod.info().storeId())) {
        useNote = "production " + prod.info().location() + " is not the store this mirror was made from; "
            + "checked against the recorded checksums only";
        prod = null;
      }
      CompletableFuture<Map<Chunk, Sum>> prodSums = null;
      if (prod != null) {
        BarStore p = prod;
        Set<SourceName> wanted = productionSources(p, st, mirrored);
        LocalDate since = st.since();
        prodSums = CompletableFuture.supplyAsync(() -> sums(wanted, since, p, null));
      }
      List<String> unreadable = new ArrayList<>();
      Map<Chunk, Sum> actual = sums(mirrored, null, m, unreadable);
      Map<Chunk, Sum> fromProd;
      try {
        fromProd = prodSums == null ? null : prodSums.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : e;
      }

      List<Difference> diffs = new ArrayList<>();
      compare(actual, recorded, Problem.MIRROR_CHANGED, diffs);
      if (fromProd != null) {
        compare(actual, fromProd, Problem.DIFFERS_FROM_PRODUCTION, diffs);
      }
      diffs.sort(Comparator.comparing(Difference::chunk).thenComparing(Difference::problem));
      long rows = 0;
      for (Sum s : actual.values()) {
        rows += s.rows();
      }
      String with = "recorded checksums" + (fromProd == null ? "" : " and production " + prod.info().location());
      return new VerifyReport(mirrorLoc, with, useNote, st.lastSyncAt(), actual.size(), rows, diffs,
          List.copyOf(unreadable));
    } finally {
      m.close();
    }
  }

  /** The production sources the mirror's selection covers (those it holds, and new ones for "*"). */
  private static Set<SourceName> productionSources(BarStore p, State st, Set<SourceName> mirrored) {
    Set<SourceName> out = new TreeSet<>();
    Set<String> selection = "*".equals(st.selection()) || st.selection() == null ? null
        : new TreeSet<>(List.of(st.selection().split(",")));
    for (SourceRecord r : p.sources()) {
      if (r.tableExists() && (selection == null || selection.contains(r.name().value()))) {
        out.add(r.name());
      }
    }
    return out;
  }

  private static void compare(Map<Chunk, Sum> mine, Map<Chunk, Sum> other, Problem problem, List<Difference> out) {
    Set<Chunk> all = new TreeSet<>(mine.keySet());
    all.addAll(other.keySet());
    for (Chunk ch : all) {
      Sum a = mine.get(ch);
      Sum b = other.get(ch);
      if (a == null || b == null || !a.equals(b)) {
        out.add(new Difference(ch, a == null ? 0 : a.rows(), b == null ? 0 : b.rows(), problem));
      }
    }
  }

  /**
   * Streams every row of the sources (from {@code since}) and sums them up per chunk. With
   * {@code unreadable} given (the mirror side), a source whose rows cannot be read is listed there
   * with the reason instead of failing the whole verification.
   */
  private static Map<Chunk, Sum> sums(Set<SourceName> sources, LocalDate since, BarStore store,
      List<String> unreadable) {
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
      Summer summer = new Summer(s, out);
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
  private static final class Summer implements Consumer<Bar> {
    private final SourceName source;
    private final Map<Chunk, Sum> out;
    private Chunk chunk;
    private ChunkDigest digest;

    Summer(SourceName source, Map<Chunk, Sum> out) {
      this.source = source;
      this.out = out;
    }

    @Override
    public void accept(Bar b) {
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
