package io.tickvault.ingest;

import java.time.Duration;

/**
 * Waits for a duration. Vendor clients wait through a {@code Sleeper} (and read the time from a
 * {@link java.time.Clock}) so that tests can replace both and never really wait for a rate limit.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread with {@link Thread#sleep(long)}; zero or negative durations return at once. */
  Sleeper SYSTEM = d -> {
    if (d.compareTo(Duration.ZERO) > 0) {
      Thread.sleep(d.toMillis());
    }
  };

  /** Waits for {@code duration}; throws when the thread is interrupted meanwhile. */
  void sleep(Duration duration) throws InterruptedException;
}
