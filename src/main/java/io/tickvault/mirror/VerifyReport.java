package io.tickvault.mirror;

import io.tickvault.domain.Chunk;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code verify}. {@code comparedWith} says what the mirror was checked against
 * ({@code "recorded checksums"}, plus production's location when it was reachable); {@code note}
 * says why production was left out, or is null. {@code differences} are sorted by chunk, then
 * problem; {@code unreadable} names mirror sources whose rows tickvault cannot even read (changed by
 * hand into values no bar can hold), with the reason. The mirror is intact when both are empty.
 * Immutable.
 */
public record VerifyReport(String mirror, String comparedWith, String note, Instant lastSyncAt, long chunksChecked,
    long rowsChecked, List<Difference> differences, List<String> unreadable) {

  /** Why a chunk is reported. */
  public enum Problem {
    /** The mirror's rows no longer match the checksum recorded when they were synced (changed outside sync). */
    MIRROR_CHANGED("mirror changed since sync"),
    /** The mirror's rows differ from production's (production changed since the last sync, or the mirror did). */
    DIFFERS_FROM_PRODUCTION("differs from production"),
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
   * One chunk that differs: rows in the mirror, and rows on the other side (the recorded count, or
   * production's). {@code chunk} is null only for {@link Problem#NEVER_SYNCED}.
   */
  public record Difference(Chunk chunk, long mirrorRows, long otherRows, Problem problem) {}

  public boolean ok() {
    return differences.isEmpty() && unreadable.isEmpty();
  }
}
