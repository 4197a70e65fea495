package io.tickvault.mirror;

import io.tickvault.domain.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Syncs on a period ({@code tickvault sync --every 6h}, {@code serve --sync-every}): one attempt,
 * then a wait of the period plus a random jitter (up to a twentieth of the period, at most five
 * minutes, so that many mirrors of one production do not all read it at the same second), measured
 * from the attempt's start; an attempt that overruns its period is followed by the next at once.
 * Attempts run one after the other on the calling thread, never two at once. A failed attempt (a
 * production outage, a refused sync) is handed to the listener and retried at the next tick; only
 * {@code stopped} (or an interrupt) ends the loop. Time and waiting are injected, so tests run a day
 * of ticks at once. Not thread-safe; one loop per instance.
 */
public final class SyncSchedule {
  /** The shortest period accepted. */
  public static final Duration MIN_PERIOD = Duration.ofMinutes(1);
  private static final Duration MAX_JITTER = Duration.ofMinutes(5);

  /** Waits for a duration; may return early when the loop is being stopped. */
  @FunctionalInterface
  public interface Waiter {
    void sleep(Duration d) throws InterruptedException;
  }

  /** One attempt: its number (from 1), start, the report of a successful one or the error, and the next tick. */
  public record Tick<T>(long number, Instant started, Instant finished, T report, RuntimeException error,
      Instant next) {
    public boolean ok() {
      return error == null;
    }
  }

  private final Duration period;
  private final Clock clock;
  private final Waiter waiter;
  private final Random random;

  public SyncSchedule(Duration period, Clock clock, Waiter waiter, Random random) {
    if (period == null || period.compareTo(MIN_PERIOD) < 0) {
      throw new InvalidInputException("a sync period must be at least 1 minute (e.g. 30m, 6h, 24h), not " + period);
    }
    this.period = period;
    this.clock = clock;
    this.waiter = waiter;
    this.random = random;
  }

  public Duration period() {
    return period;
  }

  /** The largest jitter added to a period. */
  public Duration maxJitter() {
    Duration j = period.dividedBy(20);
    return j.compareTo(MAX_JITTER) > 0 ? MAX_JITTER : j;
  }

  /**
   * Runs attempts until {@code stopped} says so (checked before each attempt and after each wait)
   * or the thread is interrupted; returns the number of attempts made.
   */
  public <T> long run(Supplier<T> attempt, Consumer<Tick<T>> listener, BooleanSupplier stopped) {
    long n = 0;
    while (!stopped.getAsBoolean()) {
      Instant started = clock.instant();
      T report = null;
      RuntimeException error = null;
      try {
        report = attempt.get();
      } catch (RuntimeException e) {
        error = e;
      }
      n++;
      Instant finished = clock.instant();
      long jitterMillis = maxJitter().toMillis() <= 0 ? 0 : (long) (random.nextDouble() * maxJitter().toMillis());
      Instant next = started.plus(period).plusMillis(jitterMillis);
      if (next.isBefore(finished)) {
        next = finished;
      }
      listener.accept(new Tick<>(n, started, finished, report, error, next));
      if (stopped.getAsBoolean()) {
        break;
      }
      try {
        Duration wait = Duration.between(clock.instant(), next);
        if (!wait.isNegative() && !wait.isZero()) {
          waiter.sleep(wait);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return n;
  }
}
