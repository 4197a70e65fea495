package io.tickvault.domain;

/** A source, table or symbol that does not exist ({@link ErrorKind#NOT_FOUND}). */
public class NotFoundException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(ErrorKind.NOT_FOUND, message);
  }
}
