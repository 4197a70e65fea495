package io.tickvault.store;

import io.tickvault.domain.SourceName;
import java.time.Instant;

/**
 * One row of the ingest log: a run of ingest, import or migrate that wrote into {@code source}.
 * {@code feed} is vendor-specific (e.g. Alpaca's iex/sip) and may be null; {@code rangeFrom} and
 * {@code rangeTo} may be null when unbounded; {@code finished} is null while running.
 */
public record IngestRecord(long id, SourceName source, String origin, String feed, String symbols,
    Instant rangeFrom, Instant rangeTo, long rows, Instant started, Instant finished, String status,
    String detail) {}
