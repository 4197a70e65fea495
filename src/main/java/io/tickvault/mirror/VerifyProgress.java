package io.tickvault.mirror;

/**
 * Receives progress of a running {@code verify}: rows read so far (mirror and production together)
 * and the rows expected in all (the mirror's recorded rows, once per side compared). Called on the
 * verifying thread; implementations should return quickly.
 */
@FunctionalInterface
public interface VerifyProgress {
  void update(long rowsRead, long rowsExpected);
}
