package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.testing.Bars;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History queries run a bounded number at a time (DataService.HISTORY_STREAMS): one more waits
 * for a turn, reads nothing meanwhile, and then gets every candle.
 */
class HistoryConcurrencyTest {
  @TempDir
  Path dir;

  @Test
  void a_history_query_beyond_the_bound_waits_for_a_turn_then_gets_every_candle() throws Exception {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString()), dir);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Workspace workspace = new Workspace(settings)) {
      BarStore prod = workspace.production();
      prod.createSource(SourceName.SYNTHETIC, SourceKind.GENERATED, "bars");
      prod.write(SourceName.SYNTHETIC, Timeframe.MIN_1,
          Bars.minutes("AAPL", "2025-01-16T14:30:00Z", 30, SourceName.SYNTHETIC).iterator());
      DataService data = new DataService(workspace, Clock.systemUTC(), 2);
      HistoryQuery q = HistoryQuery.parse(SourceName.SYNTHETIC, "AAPL", "2025-01-16", "2025-01-16", "1m");
      CountDownLatch holding = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      Future<?>[] held = new Future<?>[2];
      for (int i = 0; i < 2; i++) {
        held[i] = pool.submit(() -> data.history(q, c -> {
          holding.countDown();
          await(release); // a slow client: the query holds its turn
        }));
      }
      assertTrue(holding.await(30, TimeUnit.SECONDS), "both turns taken");
      AtomicLong third = new AtomicLong();
      Future<Long> waiting = pool.submit(() -> data.history(q, c -> third.incrementAndGet()));
      for (int i = 0; i < 3000 && data.historyQueue() == 0; i++) {
        Thread.sleep(10);
      }
      assertEquals(1, data.historyQueue(), "the third query waits for a turn");
      assertEquals(0, third.get(), "and reads nothing meanwhile");
      release.countDown();
      assertEquals(30, waiting.get(30, TimeUnit.SECONDS), "then it gets every candle");
      assertEquals(30, third.get());
      for (Future<?> f : held) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(0, data.historyQueue());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
