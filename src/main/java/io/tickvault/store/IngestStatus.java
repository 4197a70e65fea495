package io.tickvault.store;

import java.util.Locale;

/**
 * The status of one run in the ingest log ({@link IngestRecord}); stored as its {@link #label()}.
 * A run is {@code running} from {@link BarStore#startIngest} until {@link BarStore#finishIngest}
 * makes it {@code ok} or {@code failed}; a running row whose process is gone is marked
 * {@code abandoned} by the next run.
 */
public enum IngestStatus {
  RUNNING,
  OK,
  FAILED,
  ABANDONED;

  /** The stored and printed form: {@code running}, {@code ok}, {@code failed}, {@code abandoned}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a stored label; anything else was not written by tickvault. */
  public static IngestStatus of(String label, long run) {
    for (IngestStatus s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new StoredDataException("ingest log row " + run + " has status " + (label == null ? "NULL" : "'" + label
        + "'") + ", which tickvault never writes (running, ok, failed, abandoned); it was changed by plain SQL: set "
        + "it to one of those (UPDATE tickvault_ingest_log SET status = 'failed' WHERE id = " + run + ")", null);
  }

  @Override
  public String toString() {
    return label();
  }
}
