package io.tickvault.mirror;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the mirror holds of one source: rows, symbols, and the timestamp range of its bars ({@code
 * first}/{@code last} null when empty); {@code since} is the first UTC day mirrored (null: all of
 * production's history) and {@code syncedAt} when this source was last brought up to date.
 * Immutable.
 */
public record SourceLineage(SourceName source, SourceKind kind, long rows, long symbols, Instant first,
    Instant last, LocalDate since, Instant syncedAt) {}
