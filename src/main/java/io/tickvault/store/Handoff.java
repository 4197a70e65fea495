package io.tickvault.store;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, cancellable hand-off from a producer on its own thread to one consumer: the one
 * producer/consumer queue of tickvault (store reads piped into writes, CSV parsed ahead, production
 * read ahead of the mirror's writes).
 *
 * <ul>
 *   <li>Bounded: items carry a weight (rows, say); the producer waits while the items queued weigh
 *       {@code capacity} or more, so memory does not grow with the stream (an item heavier than the
 *       capacity passes alone).
 *   <li>Failures are rethrown where they belong: the producer's failure (an unreadable row) comes
 *       out of {@link #take()} on the consumer's thread, after the items it handed over before it,
 *       unchanged when unchecked ({@link IllegalStateException} around a checked one).
 *   <li>Cancellable: {@link #close()} (the consumer is done, or failed) discards what is queued,
 *       makes the producer's next {@link Sink#put} or {@link Sink#checkCancelled} end it, and waits
 *       for its thread; a producer waiting for room wakes at once, so no thread is left blocked.
 * </ul>
 *
 * Use it with try-with-resources on the consumer's thread. One producer, one consumer.
 *
 * @param <T> the items handed over
 */
public final class Handoff<T> implements AutoCloseable {
  /** How long {@link #close()} waits for a producer busy outside the hand-off (inside a query, say). */
  private static final long JOIN_MILLIS = 30_000;

  /** The producer's end. */
  public interface Sink<T> {
    /** Hands over an item of the given weight (at least 1), waiting for room; ends a cancelled producer. */
    void put(T item, int weight);

    /** Hands over an item of weight 1. */
    default void put(T item) {
      put(item, 1);
    }

    /** Ends a cancelled producer (for producers that work long between items). */
    void checkCancelled();
  }

  /** What runs on the producer's thread; returning ends the stream. */
  @FunctionalInterface
  public interface Producer<T> {
    void produce(Sink<T> sink) throws Exception;
  }

  /** Thrown inside the producer once the consumer has given up; the hand-off catches it. */
  public static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Cancelled() {
      super("the consumer stopped taking", null, false, false);
    }
  }

  private record Entry<T>(T item, int weight) {}

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
  private final Thread thread;
  private int queued;
  private boolean finished;
  private boolean cancelled;
  private Throwable failure;
  private boolean failureThrown;

  private Handoff(int capacity, String threadName, Producer<T> producer) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.capacity = capacity;
    Sink<T> sink = new Sink<>() {
      @Override
      public void put(T item, int weight) {
        offer(item, weight);
      }

      @Override
      public void checkCancelled() {
        lock.lock();
        try {
          if (cancelled) {
            throw new Cancelled();
          }
        } finally {
          lock.unlock();
        }
      }
    };
    thread = new Thread(() -> run(producer, sink), threadName);
    thread.setDaemon(true);
  }

  /**
   * Starts {@code producer} on a new daemon thread named {@code threadName}, handing its items over
   * through a queue bounded by {@code capacity} (in item weights).
   */
  public static <T> Handoff<T> start(String threadName, int capacity, Producer<T> producer) {
    Handoff<T> h = new Handoff<>(capacity, threadName, producer);
    h.thread.start();
    return h;
  }

  private void run(Producer<T> producer, Sink<T> sink) {
    Throwable failed = null;
    try {
      producer.produce(sink);
    } catch (Cancelled e) {
      return; // the consumer gave up; it reports its own error
    } catch (Throwable e) {
      failed = e;
    }
    lock.lock();
    try {
      if (failed != null) {
        failure = failed;
      }
      finished = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void offer(T item, int weight) {
    int w = Math.max(1, Math.min(weight, capacity));
    lock.lock();
    try {
      while (!cancelled && queued > 0 && queued + w > capacity) {
        notFull.awaitUninterruptibly();
      }
      if (cancelled) {
        throw new Cancelled();
      }
      queue.addLast(new Entry<>(item, w));
      queued += w;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next item, waiting for it; null once the producer has ended (and after a failure was
   * rethrown). Rethrows the producer's failure once the items before it were taken.
   */
  public T take() {
    lock.lock();
    try {
      while (queue.isEmpty() && !finished && !cancelled) {
        try {
          notEmpty.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          cancelLocked();
          throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
        }
      }
      Entry<T> e = queue.pollFirst();
      if (e != null) {
        queued -= e.weight();
        notFull.signal();
        return e.item();
      }
      if (failure != null && !failureThrown && !cancelled) {
        failureThrown = true;
        throw rethrow(failure);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code millis} for the producer's thread to end (for tests and diagnostics). */
  boolean awaitProducer(long millis) throws InterruptedException {
    thread.join(millis);
    return !thread.isAlive();
  }

  private void cancelLocked() {
    cancelled = true;
    queue.clear();
    queued = 0;
    notFull.signalAll();
    notEmpty.signalAll();
  }

  /**
   * Stops the producer (unless it already ended) and waits for its thread; what is still queued is
   * discarded. Safe to call more than once.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!finished) {
        cancelLocked();
      }
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
    while (thread.isAlive()) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        break; // a producer stuck outside the hand-off: a daemon thread, it ends with its query
      }
      try {
        thread.join(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
