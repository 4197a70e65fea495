package io.tickvault.server;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * The HTTP server could not start, typically because the port is in use. The message names the
 * address and says what to do. {@link ErrorKind#REFUSED}.
 */
public final class ServerStartException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  ServerStartException(String message, Throwable cause) {
    super(ErrorKind.REFUSED, message, cause);
  }

  /** The exception for a failed start: a port in use, an address not on this machine, an unknown host. */
  static ServerStartException of(String host, int port, Throwable failure) {
    String where = "cannot start the server on " + host + ":" + port + ": ";
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.BindException && String.valueOf(t.getMessage()).contains("in use")) {
        return new ServerStartException(where + "the port is already in use; stop the other process using it, or "
            + "pick another port with --port N (or TICKVAULT_PORT)", failure);
      }
      if (t instanceof java.net.BindException) {
        return new ServerStartException(where + t.getMessage() + "; --host must be an address of this machine "
            + "(default 127.0.0.1; 0.0.0.0 for every interface)", failure);
      }
      if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return new ServerStartException(where + "the host name does not resolve; use an address of this machine "
            + "with --host (default 127.0.0.1)", failure);
      }
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new ServerStartException(where + (root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getMessage()) + "; check --host (default 127.0.0.1) and --port (default 8001)", failure);
  }
}
