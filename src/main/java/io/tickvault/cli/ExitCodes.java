package io.tickvault.cli;

/** Exit codes of every tickvault command (DESIGN.md §4). */
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

  private ExitCodes() {}
}
