package io.tickvault.domain;

/**
 * Input that tickvault refuses: a malformed name, date, option or bar ({@link ErrorKind#INVALID_INPUT}).
 * Nothing has been changed when it is thrown.
 */
public class InvalidInputException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(ErrorKind.INVALID_INPUT, message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(ErrorKind.INVALID_INPUT, message, cause);
  }
}
