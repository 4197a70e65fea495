package io.tickvault.source;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * A migration refused because it would mix real and generated data, or put rows of another origin
 * into a vendor's table. Nothing was changed. {@link ErrorKind#REFUSED}.
 */
public final class MixingRefusedException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  public MixingRefusedException(String message) {
    super(ErrorKind.REFUSED, message);
  }
}
