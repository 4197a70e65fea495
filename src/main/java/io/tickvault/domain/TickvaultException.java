package io.tickvault.domain;

/**
 * Root of tickvault's exception hierarchy. Messages follow one house format: what happened, the
 * numbers in {@code [key=value, ...]}, and what to do. Messages never contain credentials. Each
 * exception carries its {@link ErrorKind}, which alone decides its exit code and HTTP status.
 */
public class TickvaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  public TickvaultException(ErrorKind kind, String message) {
    super(message);
    this.kind = java.util.Objects.requireNonNull(kind, "kind");
  }

  public TickvaultException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = java.util.Objects.requireNonNull(kind, "kind");
  }

  /** What kind of failure this is: it decides the exit code and the HTTP status. */
  public final ErrorKind kind() {
    return kind;
  }
}
