package io.tickvault.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's lock and published status on both engines: a second holder of one lock is refused
 * (PostgreSQL advisory lock from another connection pool; SQLite OS file lock from another handle),
 * the lock is free again once released, and the status round-trips through {@code tickvault_meta}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CollectorLockTest {
  @TempDir
  Path dir;

  @Test
  void sqlite() throws Exception {
    String url = dir.resolve("p.db").toString();
    check(url);
  }

  @Test
  void postgres() throws Exception {
    check(TestPostgres.newDatabase());
  }

  private static void check(String url) throws Exception {
    try (BarStore one = Stores.open(url); BarStore two = Stores.open(url)) {
      Optional<AutoCloseable> first = one.tryLock("collect-alpaca");
      assertTrue(first.isPresent());
      assertTrue(two.tryLock("collect-alpaca").isEmpty(), "another handle (another process) is refused");
      assertTrue(one.tryLock("collect-alpaca").isEmpty(), "the same handle is refused a second time too");
      Optional<AutoCloseable> other = two.tryLock("collect-polygon");
      assertTrue(other.isPresent(), "another source's lock is independent");
      other.get().close();
      first.get().close();
      Optional<AutoCloseable> again = two.tryLock("collect-alpaca");
      assertTrue(again.isPresent(), "free once released");
      again.get().close();

      Instant now = Instant.parse("2026-11-20T14:40:00Z");
      CollectorStatus st = new CollectorStatus(SourceName.ALPACA, "Alpaca", "iex", List.of("AAPL", "MSFT"),
          "streaming", null, 42, "box", 7, now.minusSeconds(600), now.minusSeconds(5), now.minusSeconds(30),
          Map.of("AAPL", Instant.parse("2026-11-20T14:38:00Z")), 1, 10, 3, Duration.ZERO);
      st.publish(one);
      CollectorStatus back = CollectorStatus.read(two, SourceName.ALPACA).orElseThrow();
      assertEquals(st, back);
      assertEquals("ok", back.health(now).level());
      assertEquals(60L, back.health(now).lagSeconds());
      CollectorStatus old = new CollectorStatus(SourceName.ALPACA, "Alpaca", "iex", List.of("AAPL"), "streaming", null,
          42, "box", 7, now.minusSeconds(600), now, now.minusSeconds(30),
          Map.of("AAPL", Instant.parse("2026-11-20T14:30:00Z")), 0, 1, 0, Duration.ZERO);
      assertEquals("lagging", old.health(now).level(), "a 9-minute-old newest bar during the session");
      Instant evening = Instant.parse("2026-11-20T22:00:00Z");
      CollectorStatus quiet = new CollectorStatus(SourceName.ALPACA, "Alpaca", "iex", List.of("AAPL"), "streaming",
          null, 42, "box", 7, now, evening, now, Map.of("AAPL", Instant.parse("2026-11-20T20:59:00Z")), 0, 1, 0,
          Duration.ZERO);
      assertEquals("ok", quiet.health(evening).level(), "after the close an old bar is no lag");
      assertEquals("down", back.health(now.plus(Duration.ofMinutes(2))).level(), "no heartbeat for 2 minutes");
      assertFalse(CollectorStatus.read(two, SourceName.POLYGON).isPresent());
    }
  }
}
