package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one producer/consumer hand-off: order, failures on the right side, cancellation, bounds. */
class HandoffTest {
  @Test
  void itemsArriveInOrderThenNull() {
    List<Integer> got = new ArrayList<>();
    try (Handoff<Integer> h = Handoff.start("handoff-order", 3, sink -> {
      for (int i = 0; i < 100; i++) {
        sink.put(i);
      }
    })) {
      for (Integer i = h.take(); i != null; i = h.take()) {
        got.add(i);
      }
      assertNull(h.take(), "the end stays the end");
    }
    assertEquals(100, got.size());
    assertEquals(99, got.get(99));
  }

  @Test
  void aProducerFailureIsRethrownInTheConsumerAfterTheItemsBeforeIt() {
    IllegalArgumentException boom = new IllegalArgumentException("line 3: not a price");
    try (Handoff<String> h = Handoff.start("handoff-failure", 10, sink -> {
      sink.put("a");
      sink.put("b");
      throw boom;
    })) {
      assertEquals("a", h.take());
      assertEquals("b", h.take());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::take);
      assertSame(boom, e, "rethrown unchanged, on the consumer's thread");
      assertNull(h.take());
    }
  }

  @Test
  void aCheckedFailureOfTheProducerIsWrapped() {
    try (Handoff<String> h = Handoff.start("handoff-checked", 10, sink -> {
      throw new IOException("disk gone");
    })) {
      IllegalStateException e = assertThrows(IllegalStateException.class, h::take);
      assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }
  }

  @Test
  void aConsumerFailureCancelsTheProducerAndLeavesNoThreadBlocked() throws Exception {
    AtomicInteger produced = new AtomicInteger();
    AtomicBoolean sawCancel = new AtomicBoolean();
    Handoff<Integer> handoff;
    RuntimeException consumerFailure = new IllegalStateException("mirror write failed");
    try (Handoff<Integer> h = Handoff.start("handoff-cancel", 4, sink -> {
      try {
        while (true) { // endless: only cancellation ends it
          sink.put(produced.incrementAndGet());
        }
      } catch (Handoff.Cancelled e) {
        sawCancel.set(true);
        throw e;
      }
    })) {
      handoff = h;
      h.take();
      h.take();
      RuntimeException e = assertThrows(RuntimeException.class, () -> {
        try (h) {
          h.take();
          throw consumerFailure;
        }
      });
      assertSame(consumerFailure, e);
    }
    assertTrue(handoff.awaitProducer(5_000), "the producer's thread ended");
    assertTrue(sawCancel.get(), "the producer was told to stop");
    assertTrue(produced.get() <= 3 + 4 + 1, "the producer never ran more than the capacity ahead: " + produced.get());
  }

  @Test
  void aProducerWorkingBetweenItemsSeesTheCancellation() throws Exception {
    AtomicBoolean stopped = new AtomicBoolean();
    Handoff<String> h = Handoff.start("handoff-busy", 1, sink -> {
      sink.put("first");
      try {
        while (true) {
          sink.checkCancelled(); // a long read between items
          Thread.onSpinWait();
        }
      } finally {
        stopped.set(true);
      }
    });
    assertEquals("first", h.take());
    h.close();
    assertTrue(h.awaitProducer(5_000));
    assertTrue(stopped.get());
  }

  @Test
  void theQueueIsBoundedByWeight() throws Exception {
    AtomicInteger handed = new AtomicInteger();
    try (Handoff<String> h = Handoff.start("handoff-bounded", 25, sink -> {
      for (int i = 0; i < 6; i++) {
        sink.put("ten rows " + i, 10);
        handed.incrementAndGet();
      }
      sink.put("a hundred rows", 100); // heavier than the capacity: passes alone
      handed.incrementAndGet();
    })) {
      waitFor(() -> handed.get() == 2);
      Thread.sleep(200); // were it unbounded, the producer would be done by now
      assertEquals(2, handed.get(), "a third item of 10 would make 30 > 25");
      assertEquals("ten rows 0", h.take());
      waitFor(() -> handed.get() == 3);
      List<String> rest = new ArrayList<>();
      for (String s = h.take(); s != null; s = h.take()) {
        rest.add(s);
      }
      assertEquals(6, rest.size());
      assertEquals("a hundred rows", rest.get(5));
    }
  }

  @Test
  void closingWhileTheProducerWaitsForRoomEndsIt() throws Exception {
    AtomicInteger handed = new AtomicInteger();
    Handoff<Integer> h = Handoff.start("handoff-full", 2, sink -> {
      for (int i = 0; ; i++) {
        sink.put(i);
        handed.incrementAndGet();
      }
    });
    waitFor(() -> handed.get() == 2); // full: the producer now waits in put
    h.close();
    assertTrue(h.awaitProducer(5_000), "woken and ended, not left waiting for room");
    assertNull(h.take(), "nothing comes out of a closed hand-off");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "condition not reached");
  }
}
