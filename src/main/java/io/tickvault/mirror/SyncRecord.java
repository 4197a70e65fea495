package io.tickvault.mirror;

import io.tickvault.domain.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * One successful sync as the mirror's sync log keeps it: when it ran, how ({@link Mode}), from which
 * production store (display location, never credentials), which sources, and what it did: chunks
 * compared with production, chunks that changed, and rows added, changed and deleted in the
 * mirror. {@code token} is production's change-log position the next sync starts from. Immutable.
 */
public record SyncRecord(Instant started, Instant finished, Mode mode, String production, String sources,
    LocalDate since, long chunksChecked, long chunksChanged, long rowsAdded, long rowsChanged, long rowsDeleted,
    long token) {

  /** How a sync ran. */
  public enum Mode {
    /** The mirror was empty (or made from another production store): everything was copied. */
    FIRST,
    /** Every selected chunk was compared with production ({@code --full}). */
    FULL,
    /** Only the chunks production's change log named (plus sources new to the selection). */
    INCREMENTAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.label().equals(s)) {
          return m;
        }
      }
      throw new InvalidInputException("unknown sync mode " + s);
    }
  }

  public Duration duration() {
    return Duration.between(started, finished);
  }
}
