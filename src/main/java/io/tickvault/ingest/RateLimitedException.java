package io.tickvault.ingest;

/**
 * The vendor kept answering HTTP 429 (too many requests) after every retry the client was allowed.
 * The message says how long the client waited and how to lower the request rate.
 *
 * <p>Immutable once thrown.
 */
public final class RateLimitedException extends VendorException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException(String message) {
    super(message);
  }
}
