package io.tickvault.mirror;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the mirror holds of one source: rows, symbols, and the timestamp range of its bars ({@code
 * first}/{@code last} null when empty); {@code since} is the first UTC day mirrored (null: all of
 * production's history) and {@code syncedAt} when this source was last brought up to date;
 * {@code timeframe} (its bar width, {@code mixed}, or null) and {@code timezone} as copied from
 * production's registry (null in a mirror made before sources had them). Immutable.
 */
public record SourceLineage(SourceName source, SourceKind kind, long rows, long symbols, Instant first,
    Instant last, LocalDate since, Instant syncedAt, String timeframe, String timezone) {}
