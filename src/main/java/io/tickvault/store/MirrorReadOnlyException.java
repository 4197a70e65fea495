package io.tickvault.store;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * A write was attempted on the read-only mirror. The mirror changes only through
 * {@code tickvault sync}; the refusal happens before anything is written (the file is opened with
 * SQLite's read-only flag). {@link ErrorKind#READ_ONLY}.
 */
public final class MirrorReadOnlyException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  private MirrorReadOnlyException(String message) {
    super(ErrorKind.READ_ONLY, message);
  }

  /** The single factory for the refusal; {@code operation} is e.g. "clean" or "ingest". */
  public static MirrorReadOnlyException refused(String operation, String location) {
    return new MirrorReadOnlyException("the mirror is read-only: " + operation + " refused [mirror=" + location
        + "]; the mirror changes only through `tickvault sync`. Write to production instead "
        + "(DATA_MODE=live), or use DATA_MODE=test for scratch data");
  }
}
