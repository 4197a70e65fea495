package io.tickvault.server;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * {@code POST /api/sync} cannot run here: the server is not in mirror mode, no production store
 * is available to sync from, or a sync is already running ({@link ErrorKind#SYNC_UNAVAILABLE}); nothing
 * was changed.
 */
final class SyncUnavailableException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  private SyncUnavailableException(String message) {
    super(ErrorKind.SYNC_UNAVAILABLE, message);
  }

  static SyncUnavailableException notMirrorMode(String mode) {
    return new SyncUnavailableException("sync refused: this server runs in " + mode + " mode and shows production "
        + "directly; sync updates the read-only mirror, so start the server with DATA_MODE=mirror (or "
        + "`tickvault serve --mode mirror`)");
  }

  static SyncUnavailableException noProduction(String defaultStore) {
    return new SyncUnavailableException("sync refused: no production store to sync from [TICKVAULT_DATABASE_URL="
        + "unset, embedded store " + defaultStore + " does not exist]; set TICKVAULT_DATABASE_URL (or --db) and "
        + "restart the server");
  }

  static SyncUnavailableException alreadyRunning() {
    return new SyncUnavailableException("sync refused: a sync started by this server is still running; "
        + "wait for it to finish and refresh");
  }
}
