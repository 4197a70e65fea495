package io.tickvault.source;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.IngestRecord;
import java.time.Instant;

/**
 * One line of {@code tickvault list}: a source, its status ({@code has data}, {@code empty} or
 * {@code not created}), table, kind, rows, symbols, data range and last ingest (each may be null), and
 * its model: {@code timeframe} (the bar width, {@code mixed}, or null before the first write),
 * {@code timezone} (IANA name) and {@code mixed} (why its rows mix widths, or null); {@code partitioning}
 * is how its table is laid out ({@code none} or {@code monthly}; null when it has no table).
 */
public record SourceSummary(SourceName name, String status, String table, SourceKind kind, String description,
    long rows, long symbols, Instant first, Instant last, IngestRecord lastIngest, String timeframe, String timezone,
    String mixed, String partitioning) {

  public static final String HAS_DATA = "has data";
  public static final String EMPTY = "empty";
  public static final String NOT_CREATED = "not created";
}
