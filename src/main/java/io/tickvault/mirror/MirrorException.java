package io.tickvault.mirror;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.TickvaultException;

/**
 * A sync was refused or could not be carried out for a reason that lies in the data or the set-up,
 * not in an unreachable store: the mirror was made from another production store, the target file
 * is not a mirror, production holds a row that fails the validation gate. Nothing was written.
 * {@link ErrorKind#SYNC_REFUSED}.
 * Built only through the static factories.
 */
public final class MirrorException extends TickvaultException {
  private static final long serialVersionUID = 1L;

  private MirrorException(String message) {
    super(ErrorKind.SYNC_REFUSED, message);
  }

  static MirrorException differentProduction(String mirror, String mirrorProduction, String production) {
    return new MirrorException("sync refused: the mirror was made from another production store [mirror=" + mirror
        + ", made-from=" + mirrorProduction + ", production=" + production + "]; nothing was changed. "
        + "Check TICKVAULT_DATABASE_URL, or run `tickvault sync --full` to replace the mirror with a copy of this "
        + "production store");
  }

  static MirrorException emptyProduction(String production, String existingMirror) {
    return new MirrorException("sync refused: production " + production + " has no sources yet, so there is nothing "
        + "to copy; nothing was changed" + (existingMirror == null ? "" : " (the mirror " + existingMirror
        + " keeps its copy of the store it was made from)") + ". Put data into production first (tickvault ingest "
        + "..., tickvault import csv ...), or check TICKVAULT_DATABASE_URL");
  }

  /** The same refusal with a hint appended (e.g. where the setting it names comes from). */
  public MirrorException withHint(String hint) {
    MirrorException e = new MirrorException(getMessage() + "; " + hint);
    e.setStackTrace(getStackTrace());
    return e;
  }

  static MirrorException notAMirror(String file, String why) {
    return new MirrorException("sync refused: " + file + " is not a tickvault mirror (" + why + "); nothing was "
        + "changed. Point TICKVAULT_MIRROR (or --mirror) at a mirror file or a new path");
  }

  static MirrorException unreadableMirror(String mirror, String source, String detail) {
    return new MirrorException("sync stopped: the mirror holds rows of source " + source + " that tickvault cannot read "
        + "[mirror=" + mirror + "]: " + detail + ". They were changed outside `tickvault sync`; delete the mirror file "
        + "and run `tickvault sync` to copy production again. The mirror was not changed");
  }

  static MirrorException rejectedRow(String source, String detail) {
    return new MirrorException("sync stopped: production holds a bar that fails the validation gate [source=" + source
        + "]: " + detail + ". Fix or delete the row in production, then sync again; the mirror was not changed");
  }
}
