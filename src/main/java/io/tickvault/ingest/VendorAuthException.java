package io.tickvault.ingest;

/**
 * The vendor refused the credentials (HTTP 401: missing, unknown or wrong key) or the plan (HTTP
 * 403: the subscription does not cover the data, range or feed). Never retried: the message says
 * which key or plan to check. Of kind VENDOR_UNAVAILABLE, like every {@link VendorException}.
 *
 * <p>Immutable once thrown.
 */
public final class VendorAuthException extends VendorException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public VendorAuthException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the vendor answered (401 or 403). */
  public int status() {
    return status;
  }
}
