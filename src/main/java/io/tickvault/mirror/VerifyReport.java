package io.tickvault.mirror;

import io.tickvault.domain.Chunk;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The result of {@code verify}: is the mirror a faithful copy of production as of its last sync?
 * {@code comparedWith} says what the mirror was checked against ({@code "recorded checksums"}, plus
 * production's location when it was reachable); {@code note} says why production was left out, or
 * is null. {@code chunksChecked} counts every chunk seen on any side (the mirror, its records,
 * production), so the differing and pending chunks are parts of it.
 *
 * <p>{@code differences} are faults of the mirror, sorted by chunk, then problem: rows that no longer
 * match their recorded checksum (changed outside sync; a plain {@code sync} repairs them), or rows
 * that differ from production although production's change tracking records no change since the
 * sync (a writer tickvault cannot track; {@code sync --full} repairs them). {@code pending} are
 * chunks production changed after the last sync, by its own change tracking: not faults, the next
 * {@code sync} copies them. {@code unreadable} names mirror sources whose rows tickvault cannot even
 * read (changed by hand into values no bar can hold), with the reason. The mirror is intact
 * ({@link #ok}) when there are no differences and nothing unreadable, pending chunks or not.
 * Immutable.
 */
public record VerifyReport(String mirror, String comparedWith, String note, Instant lastSyncAt, long chunksChecked,
    long rowsChecked, List<Difference> differences, List<String> unreadable, List<Difference> pending) {

  public VerifyReport {
    differences = List.copyOf(differences);
    unreadable = List.copyOf(unreadable);
    pending = List.copyOf(pending);
  }

  /** Why a chunk is reported. */
  public enum Problem {
    /** The mirror's rows no longer match the checksum recorded when they were synced (changed outside sync). */
    MIRROR_CHANGED("mirror changed since sync"),
    /**
     * The mirror's rows differ from production's although production's change tracking records no
     * change to the chunk since the last sync: a writer the change log does not see.
     */
    DIFFERS_FROM_PRODUCTION("differs from production, no change recorded"),
    /** Production changed the chunk after the last sync (its change tracking says so): the next sync copies it. */
    PENDING("changed in production since the last sync"),
    /** The mirror has never completed a sync. */
    NEVER_SYNCED("never synced");

    private final String text;

    Problem(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * One chunk: rows in the mirror, and rows on the other side (the recorded count, or production's),
   * and why it is listed. {@code chunk} is null only for {@link Problem#NEVER_SYNCED}.
   */
  public record Difference(Chunk chunk, long mirrorRows, long otherRows, Problem problem) {}

  public boolean ok() {
    return differences.isEmpty() && unreadable.isEmpty();
  }

  /** Distinct chunks with a difference (a chunk is counted once, whatever its problems). */
  public long chunksDiffering() {
    Set<Chunk> out = new TreeSet<>();
    for (Difference d : differences) {
      if (d.chunk() != null) {
        out.add(d.chunk());
      }
    }
    return out.size();
  }

  /** Whether some difference has the given problem. */
  public boolean has(Problem p) {
    return differences.stream().anyMatch(d -> d.problem() == p);
  }
}
