package io.tickvault.store;

import io.tickvault.domain.Chunk;
import java.util.List;
import java.util.Set;

/**
 * What one atomic write did, counted by the engine in the same transaction, so the numbers are
 * what is stored:
 *
 * <ul>
 *   <li>{@code added}: keys (symbol, timestamp) that were not stored before;
 *   <li>{@code replaced}: keys that were stored with different values and now hold the new ones;
 *   <li>{@code unchanged}: keys written again with exactly the stored values;
 *   <li>{@code repeated}: input rows whose key an earlier row of the same input already had (the
 *       later row is kept; {@code repeats} lists the first few as input row numbers);
 *   <li>{@code flawed}: bars stored as delivered although open, close or vwap lie outside
 *       [low, high] ({@code firstFlaw} describes the first);
 *   <li>{@code removed}: rows deleted first by {@link BarStore#replace} (0 for a plain write).
 * </ul>
 *
 * {@link #rows()} = added + replaced + unchanged: the distinct keys the write holds.
 */
public record WriteResult(long added, long replaced, long unchanged, long repeated, List<Repeat> repeats,
    long flawed, String firstFlaw, long removed, Set<Chunk> chunks) {

  /** The first {@link #MAX_LISTED} repeats are listed. */
  public static final int MAX_LISTED = 10;

  /** Input row {@code row} (1-based) has the same (symbol, timestamp) as the earlier row {@code earlierRow}. */
  public record Repeat(long row, long earlierRow) {}

  public WriteResult {
    repeats = List.copyOf(repeats);
    // a hash set, not Set.copyOf: the immutable set probes linearly, and the hashes of one symbol's
    // consecutive days are consecutive, so copying a year of chunks of hundreds of symbols clustered
    chunks = chunks.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.HashSet<>(chunks));
  }

  /** The same counts with other chunks (an accumulator keeps the chunks of many results in one set). */
  public WriteResult withChunks(Set<Chunk> chunks) {
    return new WriteResult(added, replaced, unchanged, repeated, repeats, flawed, firstFlaw, removed, chunks);
  }

  /** A write that added {@code rows} new keys and nothing else (tests, baselines). */
  public static WriteResult added(long rows, Set<Chunk> chunks) {
    return new WriteResult(rows, 0, 0, 0, List.of(), 0, null, 0, chunks);
  }

  public static final WriteResult NONE = new WriteResult(0, 0, 0, 0, List.of(), 0, null, 0, Set.of());

  /** Distinct keys written: added + replaced + unchanged. */
  public long rows() {
    return added + replaced + unchanged;
  }

  /** Keys whose stored values changed: added + replaced. */
  public long changed() {
    return added + replaced;
  }

  /** Input rows: distinct keys plus repeats. */
  public long input() {
    return rows() + repeated;
  }

  /**
   * The sum of two results (e.g. the pages of one run); lists keep the first entries. The chunks are
   * copied into one new set: to sum many results, sum them {@link #withChunks without chunks} and
   * collect the chunks apart.
   */
  public WriteResult plus(WriteResult o) {
    List<Repeat> r = new java.util.ArrayList<>(repeats);
    for (Repeat x : o.repeats) {
      if (r.size() < MAX_LISTED) {
        r.add(x);
      }
    }
    Set<Chunk> c = new java.util.HashSet<>(chunks);
    c.addAll(o.chunks);
    return new WriteResult(added + o.added, replaced + o.replaced, unchanged + o.unchanged, repeated + o.repeated, r,
        flawed + o.flawed, firstFlaw != null ? firstFlaw : o.firstFlaw, removed + o.removed, c);
  }

  /**
   * The counts as one phrase for text output: {@code 120 added, 3 replaced with different values,
   * 0 unchanged}, plus repeats and kept flaws when there are any.
   */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%,d added, %,d replaced with different values, %,d unchanged", added, replaced, unchanged));
    if (removed > 0) {
      b.append(String.format(" (after removing %,d)", removed));
    }
    if (repeated > 0) {
      b.append(String.format("; %,d input rows repeated an earlier row's (symbol, timestamp): the later one is kept",
          repeated));
    }
    return b.toString();
  }

  /** The flaw sentence ({@code 17 bars have open/close outside [low, high]: kept, ...}), or null. */
  public String flawNote() {
    if (flawed == 0) {
      return null;
    }
    return String.format("%,d bar%s ha%s open/close/vwap outside [low, high]: kept as delivered, see tickvault validate",
        flawed, flawed == 1 ? "" : "s", flawed == 1 ? "s" : "ve") + (firstFlaw == null ? "" : " (first: " + firstFlaw
        + ")");
  }

  /** The counts as JSON-ready fields (insertion order kept). */
  public java.util.Map<String, Object> json() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("added", added);
    m.put("replaced", replaced);
    m.put("unchanged", unchanged);
    m.put("repeated", repeated);
    m.put("flawed_kept", flawed);
    if (removed > 0) {
      m.put("removed", removed);
    }
    return m;
  }
}
