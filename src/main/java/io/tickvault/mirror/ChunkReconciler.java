package io.tickvault.mirror;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.SyncPlanner.Kind;
import io.tickvault.mirror.SyncPlanner.Step;
import io.tickvault.store.BarFilter;
import io.tickvault.store.MirrorStore.ChunkRecord;
import io.tickvault.store.MirrorStore.SyncTx;
import io.tickvault.store.StoreException;
import io.tickvault.store.StoredDataException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Brings the mirror's copy of one chunk in line with production's: compares the chunk read from
 * production with its recorded checksum and, when they differ (or the chunk is forced), with the
 * mirror's rows, and writes the difference; after a full comparison of a source, removes the
 * mirror's chunks production no longer has. Counts what it did per source. Runs on the sync
 * transaction's thread; not thread-safe.
 */
final class ChunkReconciler {
  /** What was done to one source. */
  static final class Counts {
    long checked;
    long changed;
    long added;
    long changedRows;
    long deleted;
  }

  private final SyncTx tx;
  private final String mirrorLocation;
  private final Syncer.PauseHook pause;
  private final Map<SourceName, Counts> counts = new TreeMap<>();
  private final Map<SourceName, Set<Chunk>> seen = new TreeMap<>();
  private SourceName current;
  private long chunksWritten;

  ChunkReconciler(SyncTx tx, String mirrorLocation, Syncer.PauseHook pause) {
    this.tx = tx;
    this.mirrorLocation = mirrorLocation;
    this.pause = pause;
  }

  /** The counts of a source (zero when nothing was done to it). */
  Counts counts(SourceName s) {
    return counts.computeIfAbsent(s, x -> new Counts());
  }

  /** The source of the chunk being applied (for an error about a refused row), or null. */
  SourceName current() {
    return current;
  }

  /** One complete chunk read from production, in timestamp order, with its checksum. */
  void apply(SyncReader.ChunkItem item) {
    Step t = item.step();
    current = t.source();
    Counts k = counts(t.source());
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
      throw unreadable(t, e);
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
  void endOfSource(Step t) {
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
        throw unreadable(t, e);
      }
    }
    Counts k = counts(t.source());
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

  /** Rows of the mirror no bar can hold: the source is unreadable; a failure of the engine stays what it is. */
  private RuntimeException unreadable(Step t, RuntimeException e) {
    return engineFailure(e) ? e : MirrorException.unreadableMirror(mirrorLocation, t.source().value(), e.getMessage());
  }

  /** Whether the engine itself failed (I/O, SQL), as opposed to stored values no bar can hold. */
  static boolean engineFailure(RuntimeException e) {
    return e instanceof StoreException && !(e instanceof StoredDataException);
  }

  private void record(SyncReader.ChunkItem item) {
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
