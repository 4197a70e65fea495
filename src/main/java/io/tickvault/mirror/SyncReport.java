package io.tickvault.mirror;

import io.tickvault.domain.SourceName;
import java.util.List;

/**
 * The result of one successful sync: the record kept in the mirror's sync log, what happened per
 * source, the rows read from production, warnings for the user (e.g. a production table without
 * change tracking, which every sync has to compare in full), and what production holds that the
 * mirror's selection leaves out ({@link LeftOut#notes()} says it). Immutable.
 */
public record SyncReport(SyncRecord record, List<SourceSync> sources, long rowsRead, String mirror,
    List<String> warnings, LeftOut leftOut) {

  public SyncReport {
    sources = List.copyOf(sources);
    warnings = List.copyOf(warnings);
    leftOut = leftOut == null ? LeftOut.NOTHING : leftOut;
  }

  /** A report that leaves nothing out. */
  public SyncReport(SyncRecord record, List<SourceSync> sources, long rowsRead, String mirror, List<String> warnings) {
    this(record, sources, rowsRead, mirror, warnings, LeftOut.NOTHING);
  }

  /** A report without warnings. */
  public SyncReport(SyncRecord record, List<SourceSync> sources, long rowsRead, String mirror) {
    this(record, sources, rowsRead, mirror, List.of());
  }

  /** What a sync did to one source. */
  public enum Action {
    /** New in the mirror: copied. */
    COPIED,
    /** Compared chunk by chunk with production (full or incremental). */
    UPDATED,
    /** No longer selected, or gone from production: removed from the mirror. */
    DROPPED
  }

  /** Per-source counts of one sync. */
  public record SourceSync(SourceName source, Action action, long chunksChecked, long chunksChanged, long rowsAdded,
      long rowsChanged, long rowsDeleted) {}

  /** Whether the sync changed any row of the mirror. */
  public boolean changedRows() {
    return record.rowsAdded() + record.rowsChanged() + record.rowsDeleted() > 0;
  }
}
