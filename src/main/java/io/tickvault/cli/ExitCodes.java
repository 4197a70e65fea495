package io.tickvault.cli;

import io.tickvault.domain.ErrorKind;

/**
 * Exit codes of every tickvault command (the table in README.md), and the one table from an
 * exception's {@link ErrorKind} to its exit code ({@link #of}).
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** An internal error (a bug): run with -v for the stack trace. */
  public static final int INTERNAL = 1;
  /** A usage error: bad option, name, date or input; or an operation refused by a data rule. */
  public static final int USAGE = 2;
  /** A check found a problem: stale mirror, checksum mismatch, sources differ, validation failures. */
  public static final int CHECK_FAILED = 3;
  /** A store or vendor is unreachable (or refused the credentials). */
  public static final int UNAVAILABLE = 4;
  /**
   * {@code tickvault collect} only: another process holds the vendor key (the vendor refused the
   * connection with 406 / max_connections several times in a row) or another collector holds the
   * source's lock. Restarting at once would fight the other process; find and stop it first.
   */
  public static final int KEY_IN_USE = 5;

  private ExitCodes() {}

  /** The exit code of a failure of this kind (docs/architecture.md, "Exceptions", shows this table). */
  public static int of(ErrorKind kind) {
    return switch (kind) {
      case INVALID_INPUT, NOT_FOUND, REFUSED, READ_ONLY, SYNC_REFUSED, SYNC_UNAVAILABLE -> USAGE;
      case STORED_DATA, STORE_UNAVAILABLE, VENDOR_UNAVAILABLE -> UNAVAILABLE;
    };
  }
}
