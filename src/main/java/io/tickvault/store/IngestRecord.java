package io.tickvault.store;

import io.tickvault.domain.SourceName;
import java.time.Instant;

/**
 * One row of the ingest log: a run of ingest, import or migrate that wrote into {@code source}.
 * {@code feed} is vendor-specific (e.g. Alpaca's iex/sip) and may be null; {@code rangeFrom} and
 * {@code rangeTo} may be null when unbounded; {@code finished} is null while running. {@code owner}
 * is the process that wrote the row ({@link RunOwner}; null for rows of earlier versions).
 */
public record IngestRecord(long id, SourceName source, String origin, String feed, String symbols,
    Instant rangeFrom, Instant rangeTo, long rows, Instant started, Instant finished, IngestStatus status,
    String detail, String owner) {

  public IngestRecord(long id, SourceName source, String origin, String feed, String symbols, Instant rangeFrom,
      Instant rangeTo, long rows, Instant started, Instant finished, IngestStatus status, String detail) {
    this(id, source, origin, feed, symbols, rangeFrom, rangeTo, rows, started, finished, status, detail, null);
  }

  /**
   * A {@code running} row whose process is gone (killed, crashed), which the next run will mark
   * {@code abandoned}: told without writing, so read-only commands ({@code health}) report it at once.
   */
  public boolean runningButGone() {
    return status == IngestStatus.RUNNING && RunOwner.isGone(owner);
  }
}
