package io.tickvault.domain;

/**
 * Input that tickvault refuses: a malformed name, date, option or bar. Maps to exit code 2 on the
 * command line and HTTP 400 in the API. Nothing has been changed when it is thrown.
 */
public class InvalidInputException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
