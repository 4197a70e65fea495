package io.tickvault.store;

import io.tickvault.domain.Bar;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Connects a push-style reader ({@link BarStore#read}) to a pull-style writer ({@link
 * BarStore#write}) through a bounded queue, with the reader on its own thread: reading and writing
 * overlap, and memory stays bounded whatever the number of bars. A failure on either side stops
 * both and is rethrown to the caller.
 */
public final class BarPipe {
  private static final Bar END = new Bar(io.tickvault.domain.Symbol.of("END"), java.time.Instant.EPOCH,
      java.math.BigDecimal.ONE, null, null, null, null, 0, 0, null, io.tickvault.domain.SourceName.of("end"));
  private static final int CAPACITY = 8192;

  private BarPipe() {}

  /** A pull-style view of a push-style reader; closing it stops the reader. Not thread-safe. */
  public interface BarCursor extends Iterator<Bar>, AutoCloseable {
    @Override
    void close();
  }

  /**
   * Runs {@code producer} (which pushes bars into the consumer it is given) on a reader thread and
   * {@code consumer} (which pulls them from an iterator) on the calling thread.
   */
  public static <T> T transfer(Consumer<Consumer<Bar>> producer, Function<Iterator<Bar>, T> consumer) {
    try (BarCursor cursor = open(producer)) {
      return consumer.apply(cursor);
    }
  }

  /**
   * Starts {@code producer} on a reader thread and returns a cursor over what it pushes. A failure
   * of the reader is rethrown from {@code hasNext()}. Close the cursor when done (also early).
   */
  public static BarCursor open(Consumer<Consumer<Bar>> producer) {
    BlockingQueue<Bar> queue = new ArrayBlockingQueue<>(CAPACITY);
    AtomicReference<Throwable> readerFailure = new AtomicReference<>();
    AtomicBoolean cancelled = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      try {
        producer.accept(b -> {
          try {
            while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
              if (cancelled.get()) {
                throw new CancellationSignal();
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationSignal();
          }
        });
      } catch (CancellationSignal e) {
        return;
      } catch (Throwable t) {
        readerFailure.set(t);
      }
      try {
        while (!queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
          if (cancelled.get()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tickvault-reader");
    reader.setDaemon(true);
    reader.start();
    return new BarCursor() {
      private Bar next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (done) {
          return false;
        }
        if (next == null) {
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
          }
        }
        if (next == END) {
          done = true;
          if (readerFailure.get() != null) {
            rethrow(readerFailure.get());
          }
          return false;
        }
        return true;
      }

      @Override
      public Bar next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Bar b = next;
        next = null;
        return b;
      }

      @Override
      public void close() {
        cancelled.set(true);
        try {
          reader.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static void rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  private static final class CancellationSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CancellationSignal() {
      super(null, null, false, false);
    }
  }
}
