package io.tickvault.ingest.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.testing.Bars;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parse-ahead hand-off: order, failures in place, and a clean stop. */
class ReadAheadTest {
  static final List<Bar> BARS = Bars.minutes("AAPL", "2024-01-02T14:30:00Z", 2 * ReadAhead.BATCH + 7,
      SourceName.TEST);

  @Test
  void hands_over_every_bar_in_order_across_batches() {
    List<Bar> out = new ArrayList<>();
    try (ReadAhead r = new ReadAhead(BARS.iterator(), "ra-order")) {
      r.forEachRemaining(out::add);
      assertFalse(r.hasNext());
    }
    assertEquals(BARS, out);
  }

  @Test
  void a_failure_of_the_source_is_rethrown_after_the_bars_before_it() {
    InvalidInputException bad = new InvalidInputException("f.csv line 1500: bad");
    Iterator<Bar> source = new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        if (i == 1498) {
          throw bad;
        }
        return i < BARS.size();
      }

      @Override
      public Bar next() {
        return BARS.get(i++);
      }
    };
    List<Bar> out = new ArrayList<>();
    try (ReadAhead r = new ReadAhead(source, "ra-failure")) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> r.forEachRemaining(out::add));
      assertSame(bad, e);
    }
    assertEquals(BARS.subList(0, 1498), out);
  }

  @Test
  void close_stops_a_reader_that_is_still_running() {
    Iterator<Bar> endless = new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Bar next() {
        return BARS.get(i++ % BARS.size());
      }
    };
    ReadAhead r = new ReadAhead(endless, "ra-endless");
    for (int i = 0; i < 10; i++) {
      assertTrue(r.hasNext());
      r.next();
    }
    r.close();
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ra-endless")),
        "the background thread ended");
  }
}
