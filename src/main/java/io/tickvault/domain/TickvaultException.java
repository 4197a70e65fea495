package io.tickvault.domain;

/**
 * Root of tickvault's exception hierarchy. Messages follow one house format: what happened, the
 * numbers in {@code [key=value, ...]}, and what to do. Messages never contain credentials.
 */
public class TickvaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TickvaultException(String message) {
    super(message);
  }

  public TickvaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
