package io.tickvault.ingest;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * A market-data vendor failed: unreachable, timed out, refused the key or the plan, rate limited
 * beyond the retry budget, or answered with something unreadable ({@link ErrorKind#VENDOR_UNAVAILABLE}).
 * Messages never contain API keys or URLs carrying them.
 */
public class VendorException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public VendorException(String message) {
    super(ErrorKind.VENDOR_UNAVAILABLE, message);
  }

  public VendorException(String message, Throwable cause) {
    super(ErrorKind.VENDOR_UNAVAILABLE, message, cause);
  }
}
