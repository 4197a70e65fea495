package io.tickvault.store;

import io.tickvault.domain.TickvaultException;

/**
 * A store could not be reached or failed to carry out an operation. Exit code 4 on the command
 * line, HTTP 503 in the API. Messages name the store by its redacted location, never credentials.
 */
public class StoreException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
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
