package io.tickvault.mirror;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import java.time.Instant;

/** What the mirror holds of one source: rows, symbols, and the timestamp range (null when empty). */
public record SourceLineage(SourceName source, SourceKind kind, long rows, long symbols, Instant first,
    Instant last) {}
