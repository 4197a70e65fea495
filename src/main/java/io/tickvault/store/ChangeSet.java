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
 * (e.g. {@code TRUNCATE}); they must be compared in full.
 */
public record ChangeSet(long token, List<Chunk> chunks, Set<SourceName> wholeSources) {}
