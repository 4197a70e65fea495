package io.tickvault.mirror;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a sync should do. {@code sources}: the sources to mirror from now on (null: keep the
 * mirror's current selection, every source on a new mirror; empty: every production source).
 * {@code since}: the first UTC day to mirror from now on (null: keep the current one);
 * {@code allHistory}: mirror all of history again. {@code full}: compare every chunk with
 * production instead of following the change log, and accept a production store other than the
 * one the mirror was made from. The mirror remembers the selection and the since day. Immutable.
 */
public record SyncOptions(Set<SourceName> sources, LocalDate since, boolean allHistory, boolean full) {
  /** Keep the selection and range; follow the change log. */
  public static final SyncOptions INCREMENTAL = new SyncOptions(null, null, false, false);

  public SyncOptions {
    sources = sources == null ? null : Set.copyOf(new TreeSet<>(sources));
    if (since != null && allHistory) {
      throw new InvalidInputException("give either a --since day or all history, not both");
    }
  }

  public SyncOptions withFull(boolean f) {
    return new SyncOptions(sources, since, allHistory, f);
  }
}
