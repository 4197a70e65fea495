package io.tickvault.store;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import java.util.List;
import java.util.Set;

/**
 * Chunks that may have changed since a previous token, and the token to pass next time. The token
 * is engine-specific but always a long: on PostgreSQL the {@code xmin} of the snapshot in which the
 * change log was read (every transaction with a lower id had finished by then), on SQLite a write
 * sequence number. The set may contain chunks that did not change (over-approximation), never too
 * few. {@code wholeSources} lists sources changed in a way that cannot be narrowed to chunks
 * ({@code TRUNCATE}, a source dropped through tickvault, a change-log entry whose symbol is not a
 * valid symbol, a table without tickvault's change tracking); they must be compared in full.
 * {@code untracked} is the subset of {@code wholeSources} whose tables lack tickvault's change
 * tracking (created outside tickvault, or triggers dropped or disabled): every sync compares them
 * in full until {@code tickvault create --source NAME} installs the tracking. Immutable.
 */
public record ChangeSet(long token, List<Chunk> chunks, Set<SourceName> wholeSources, Set<SourceName> untracked) {

  public ChangeSet {
    chunks = List.copyOf(chunks);
    wholeSources = Set.copyOf(wholeSources);
    untracked = Set.copyOf(untracked);
  }

  /** A change set in which every source is tracked. */
  public ChangeSet(long token, List<Chunk> chunks, Set<SourceName> wholeSources) {
    this(token, chunks, wholeSources, Set.of());
  }
}
