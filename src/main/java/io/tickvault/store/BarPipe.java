package io.tickvault.store;

import io.tickvault.domain.Bar;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Connects a push-style reader ({@link BarStore#read}) to a pull-style writer ({@link
 * BarStore#write}) through a {@link Handoff}, with the reader on its own thread: reading and
 * writing overlap, and memory stays bounded whatever the number of bars. A failure of the reader
 * is rethrown to the caller; a failure of the writer (or closing early) stops the reader.
 */
public final class BarPipe {
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
    Handoff<Bar> handoff = Handoff.start("tickvault-reader", CAPACITY, sink -> producer.accept(sink::put));
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
            next = handoff.take();
          } catch (RuntimeException | Error e) {
            done = true;
            throw e;
          }
          if (next == null) {
            done = true;
            return false;
          }
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
        handoff.close();
      }
    };
  }
}
