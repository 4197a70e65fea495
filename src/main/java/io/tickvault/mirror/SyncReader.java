package io.tickvault.mirror;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.mirror.SyncPlanner.Kind;
import io.tickvault.mirror.SyncPlanner.Step;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Handoff;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads production for the steps of a plan and hands out complete chunks, each with its checksum,
 * then the end of each source: whole sources (from the since day) for a copy or a full comparison,
 * runs of consecutive changed days of one symbol for a step that lists its chunks (a listed chunk
 * with no rows in production is handed out empty). Runs on the reader's thread; not thread-safe.
 */
final class SyncReader {
  /** Consecutive changed days of one symbol read with one query. */
  static final int RUN_DAYS = 16;

  /** What the reader hands out. */
  sealed interface Item permits ChunkItem, SourceEnd {}

  /** One complete chunk read from production, in timestamp order, with its checksum. */
  record ChunkItem(Step step, Chunk chunk, List<Bar> rows, String sha256, boolean forced) implements Item {}

  /** Every chunk of the step was handed out. */
  record SourceEnd(Step step) implements Item {}

  private final BarStore production;
  private final LocalDate since;
  private Handoff.Sink<Item> out;
  private volatile long rowsRead;

  SyncReader(BarStore production, LocalDate since) {
    this.production = production;
    this.since = since;
  }

  /** Rows read so far (read from any thread). */
  long rowsRead() {
    return rowsRead;
  }

  /** Reads every step in order, handing out chunks weighted by their rows. */
  void read(List<Step> steps, Handoff.Sink<Item> sink) {
    out = sink;
    for (Step t : steps) {
      if (t.kind() == Kind.CHUNKS) {
        readChunks(t);
      } else {
        Instant from = since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant();
        Grouper g = new Grouper(t, null);
        production.read(t.source(), new BarFilter(null, new TimeRange(from, null)), g);
        g.flush();
      }
      out.put(new SourceEnd(t), 1);
    }
  }

  private void readChunks(Step t) {
    List<Chunk> chunks = new ArrayList<>();
    for (Chunk ch : t.chunks()) {
      if (since != null && ch.day().isBefore(since)) {
        // only a chunk changed outside sync can be here: the mirror holds nothing before since
        out.put(new ChunkItem(t, ch, List.of(), new ChunkDigest().finish(), true), 1);
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

  /** Cuts a sorted stream of bars into chunks; for chunk runs, also emits the empty ones. */
  private final class Grouper implements Consumer<Bar> {
    private final Step step;
    private final List<Chunk> expected;
    private final Set<Chunk> emitted = new HashSet<>();
    private Chunk chunk;
    private List<Bar> rows = new ArrayList<>();
    private ChunkDigest digest = new ChunkDigest();

    Grouper(Step step, List<Chunk> expected) {
      this.step = step;
      this.expected = expected;
    }

    @Override
    public void accept(Bar b) {
      out.checkCancelled();
      LocalDate day = Chunk.dayOf(b.timestamp());
      if (chunk == null || !chunk.symbol().equals(b.symbol()) || !chunk.day().equals(day)) {
        flush();
        chunk = new Chunk(step.source(), b.symbol(), day);
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
      out.put(new ChunkItem(step, ch, bars, sha, step.forces(ch)), Math.max(1, bars.size()));
    }
  }
}
