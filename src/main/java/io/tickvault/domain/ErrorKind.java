package io.tickvault.domain;

/**
 * What kind of failure a {@link TickvaultException} is. Every exception carries one; the command
 * line turns it into an exit code ({@code cli.ExitCodes#of}) and the API into an HTTP status and
 * error type ({@code server.ApiErrors}), each through one table. Both tables, and the exception
 * classes of each kind, are shown in docs/architecture.md ("Exceptions"); a test compares them.
 */
public enum ErrorKind {
  /** A malformed name, date, option, bar or file: nothing was changed. */
  INVALID_INPUT,
  /** A source, table or symbol that does not exist. */
  NOT_FOUND,
  /** An operation refused by one of tickvault's rules (e.g. the mixing rules): nothing was changed. */
  REFUSED,
  /** A write attempted on the read-only mirror. */
  READ_ONLY,
  /** A sync refused for a reason in the data or the set-up (another production store, not a mirror). */
  SYNC_REFUSED,
  /** A sync that cannot run in this server (wrong mode, no production store, one already running). */
  SYNC_UNAVAILABLE,
  /** Stored rows that cannot be read or aggregated (written past the write gate). */
  STORED_DATA,
  /** A store that cannot be reached or failed to carry out an operation. */
  STORE_UNAVAILABLE,
  /** A market-data vendor that failed, refused the credentials or kept rate limiting. */
  VENDOR_UNAVAILABLE
}
