package io.tickvault.domain;

/** A source, table or symbol that does not exist. HTTP 404; exit code 2 on the command line. */
public class NotFoundException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
