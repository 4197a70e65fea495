package io.tickvault.server;

import io.tickvault.domain.TickvaultException;

/**
 * The HTTP server could not start, typically because the port is in use. The message names the
 * address and says what to do. Exit code 2 on the command line.
 */
public final class ServerStartException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }

  static ServerStartException portInUse(String host, int port, Throwable cause) {
    return new ServerStartException("cannot start the server on " + host + ":" + port + ": the port is already "
        + "in use; stop the other process using it, or pick another port with --port N (or TICKVAULT_PORT)", cause);
  }

  static ServerStartException cannotBind(String host, int port, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new ServerStartException("cannot start the server on " + host + ":" + port + ": " + root.getMessage()
        + "; check --host (default 127.0.0.1) and --port (default 8001)", cause);
  }
}
