package io.tickvault.store.jdbc;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarGrid;
import io.tickvault.domain.BarRules;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.WriteResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Validates and normalises bars as the engine pulls them, counting rows so a failure names the
 * row, checking each bar sits on the source's grid (when {@code grid} is not null), collecting
 * the chunks touched, counting bars kept with flaws ({@link BarRules#flaw}; a strict gate, for
 * generated sources, refuses them) and finding repeated keys.
 *
 * <p>Repeats: for each symbol the gate remembers the last timestamp and its row, so a row with
 * the same (symbol, timestamp) as the previous row of that symbol is flagged
 * ({@link #lastWasRepeat()}), counted and listed. This finds every repeat of an input whose rows
 * of each symbol are in time order, ascending or descending (vendor pages, generated data, reads
 * of another source, CSV files in either order); memory is one entry per symbol.
 * {@link #sorted()} tells whether every key so far was strictly increasing in
 * (symbol, timestamp), i.e. the input cannot hold duplicate keys at all.
 */
public final class GateIterator implements Iterator<Bar> {
  private final Iterator<Bar> in;
  private final SourceName target;
  private final Set<Chunk> chunks;
  private final BarGrid grid;
  private final boolean strict;
  private final Map<Symbol, long[]> lastOf = new java.util.HashMap<>();
  private final List<WriteResult.Repeat> repeats = new ArrayList<>();
  private long row;
  private Bar prev;
  private boolean sorted = true;
  private boolean ordered = true;
  private boolean lastRepeat;
  private Bar ahead;
  private boolean aheadRepeat;
  private long collapsed;
  private long repeated;
  private long flawed;
  private String firstFlaw;
  private Symbol lastSymbol;
  private long[] last;
  private Symbol chunkSymbol;
  private long chunkEpochDay = Long.MIN_VALUE;

  /** A gate for writes into {@code target} (kept flaws counted, not refused), collecting touched chunks. */
  public static GateIterator of(Iterator<Bar> in, SourceName target, Set<Chunk> chunks, BarGrid grid) {
    return new GateIterator(in, target, chunks, grid, false);
  }

  GateIterator(Iterator<Bar> in, SourceName target, Set<Chunk> chunks, BarGrid grid, boolean strict) {
    this.in = in;
    this.target = target;
    this.chunks = chunks;
    this.grid = grid;
    this.strict = strict;
  }

  @Override
  public boolean hasNext() {
    return ahead != null || in.hasNext();
  }

  /**
   * The next bar for the engine. Consecutive rows with one key (a repeated line) are collapsed
   * here, the later kept, so the engine compares only the final values with what is stored.
   */
  @Override
  public Bar next() {
    Bar cur;
    boolean curRepeat;
    if (ahead != null) {
      cur = ahead;
      curRepeat = aheadRepeat;
      ahead = null;
    } else {
      if (!in.hasNext()) {
        throw new NoSuchElementException();
      }
      cur = pull();
      curRepeat = lastRepeat;
    }
    while (in.hasNext()) {
      Bar nx = pull();
      if (lastRepeat && nx.symbol().equals(cur.symbol()) && nx.timestamp().equals(cur.timestamp())) {
        collapsed++;
        cur = nx; // the later row of a repeated key wins; cur's own repeat flag stays
        continue;
      }
      ahead = nx;
      aheadRepeat = lastRepeat;
      break;
    }
    lastRepeat = curRepeat;
    return cur;
  }

  /** Pulls, validates and normalises one input row, tracking order, repeats, flaws and chunks. */
  private Bar pull() {
    Bar b = in.next();
    row++;
    if (b == null) {
      throw new InvalidInputException("rejected row " + row + ": empty bar; nothing was written");
    }
    BarRules.check(b, row, strict);
    if (grid != null) {
      String off = grid.offGrid(b.timestamp());
      if (off != null) {
        throw new InvalidInputException("rejected row " + row + " [symbol=" + b.symbol() + "]: " + off
            + "; nothing was written into " + target);
      }
    }
    if (!strict) {
      String f = BarRules.flaw(b);
      if (f != null) {
        if (flawed++ == 0) {
          firstFlaw = "row " + row + ", " + b.symbol() + " " + b.timestamp() + ": " + f;
        }
      }
    }
    Bar n = b.normalized();
    if (prev != null && sorted) {
      int c = prev.symbol().compareTo(n.symbol());
      sorted = c < 0 || (c == 0 && prev.timestamp().isBefore(n.timestamp()));
    }
    prev = n;
    trackRepeat(n);
    long epochDay = Math.floorDiv(n.timestamp().getEpochSecond(), 86_400L);
    if (!n.symbol().equals(chunkSymbol) || epochDay != chunkEpochDay) {
      chunkSymbol = n.symbol();
      chunkEpochDay = epochDay;
      chunks.add(new Chunk(target, chunkSymbol, LocalDate.ofEpochDay(epochDay)));
    }
    return n;
  }

  private void trackRepeat(Bar n) {
    if (!n.symbol().equals(lastSymbol)) {
      lastSymbol = n.symbol();
      last = lastOf.get(lastSymbol);
      if (last == null) {
        last = new long[] {Long.MIN_VALUE, 0, 0}; // {micros, row, direction}
        lastOf.put(lastSymbol, last);
      }
    }
    long micros = n.timestamp().getEpochSecond() * 1_000_000L + n.timestamp().getNano() / 1000;
    lastRepeat = last[1] != 0 && micros == last[0];
    if (lastRepeat) {
      repeated++;
      if (repeats.size() < WriteResult.MAX_LISTED) {
        repeats.add(new WriteResult.Repeat(row, last[1]));
      }
    } else if (last[1] != 0) {
      long dir = micros > last[0] ? 1 : -1;
      if (last[2] == 0) {
        last[2] = dir;
      } else if (last[2] != dir) {
        ordered = false;
      }
    }
    last[0] = micros;
    last[1] = row;
  }

  /** Rows pulled so far. */
  public long rows() {
    return row;
  }

  /** True while every key pulled so far was strictly greater than the one before. */
  public boolean sorted() {
    return sorted;
  }

  /** True while each symbol's timestamps so far only rose or only fell (so every repeat was found). */
  public boolean ordered() {
    return ordered;
  }

  /**
   * Whether the bar last returned by {@link #next()} repeats the key of a row already handed to the
   * engine (a repeat that was not on the next row, e.g. with another symbol's rows in between).
   */
  public boolean lastWasRepeat() {
    return lastRepeat;
  }

  /** Repeated rows found so far. */
  public long repeated() {
    return repeated;
  }

  /**
   * The write's result from the engine's counts. Repeats: those collapsed here plus, among the
   * rows handed to the engine, the engine's own count when it made one, else the gate's.
   */
  public WriteResult result(JdbcBarStore.Written w, long removed) {
    long total = w.repeated() >= 0 ? collapsed + w.repeated() : repeated;
    return new WriteResult(w.added(), w.replaced(), w.unchanged(), total, repeats, flawed, firstFlaw, removed,
        chunks);
  }
}
