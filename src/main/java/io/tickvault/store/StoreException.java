package io.tickvault.store;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * A store could not be reached or failed to carry out an operation
 * ({@link ErrorKind#STORE_UNAVAILABLE}). Messages name the store by its redacted location, never credentials.
 */
public class StoreException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    this(ErrorKind.STORE_UNAVAILABLE, message, cause);
  }

  public StoreException(String message) {
    super(ErrorKind.STORE_UNAVAILABLE, message);
  }

  /** For subclasses of another kind. */
  protected StoreException(ErrorKind kind, String message, Throwable cause) {
    super(kind, message, cause);
  }

  public static StoreException unreachable(String location, Throwable cause) {
    return new StoreException("cannot open store " + location + ": " + rootMessage(cause)
        + "; check TICKVAULT_DATABASE_URL (or --db) and that the server is running", cause);
  }

  public static StoreException failed(String what, String location, Throwable cause) {
    return new StoreException(what + " failed [store=" + location + "]: " + rootMessage(cause), cause);
  }

  static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    String m = r.getMessage();
    return m == null ? r.getClass().getSimpleName() : m.strip();
  }
}
