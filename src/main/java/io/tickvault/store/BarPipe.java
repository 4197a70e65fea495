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

  /**
   * Runs {@code producer} (which pushes bars into the consumer it is given) on a reader thread and
   * {@code consumer} (which pulls them from an iterator) on the calling thread.
   */
  public static <T> T transfer(Consumer<Consumer<Bar>> producer, Function<Iterator<Bar>, T> consumer) {
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
        queue.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tickvault-reader");
    reader.setDaemon(true);
    reader.start();
    Iterator<Bar> it = new Iterator<>() {
      private Bar next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
          }
        }
        if (next == END) {
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
    };
    try {
      return consumer.apply(it);
    } finally {
      cancelled.set(true);
      try {
        reader.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
