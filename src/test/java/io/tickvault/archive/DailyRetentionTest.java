package io.tickvault.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.Bars;
import io.tickvault.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention applied by {@code serve} and {@code sync --every} ({@link DailyRetention}), on an
 * injected clock: at most once per UTC day (remembered in the store, so a second process or a
 * restart does not apply it again), a policy on real data skipped until a confirmed run, a failed
 * run tried again at the next check, and a loop of 48 hourly checks over three UTC days that runs exactly three times.
 */
class DailyRetentionTest {
  private static final SourceName GEN = SourceName.of("gen");
  private static final SourceName VEND = SourceName.of("vend");

  @TempDir
  Path dir;
  BarStore store;
  TestClock clock;

  @BeforeEach
  void fill() {
    store = Stores.open(dir.resolve("prod.db").toString());
    clock = TestClock.at("2026-12-01T10:00:00Z");
    for (SourceName n : List.of(GEN, VEND)) {
      store.createSource(n, n == GEN ? SourceKind.GENERATED : SourceKind.VENDOR, null, Timeframe.MIN_1, null);
      store.write(n, Timeframe.MIN_1, Bars.minutes("AAPL", "2026-09-01T14:30:00Z", 10, n).iterator());
      store.write(n, Timeframe.MIN_1, Bars.minutes("AAPL", "2026-11-30T14:30:00Z", 10, n).iterator());
    }
    RetentionService policies = new RetentionService(store, clock);
    policies.set(GEN, RetentionPolicy.of("30d", false));
    policies.set(VEND, RetentionPolicy.of("30d", false));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private long rows(SourceName n) {
    return store.stats(n, BarFilter.ALL).rows();
  }

  @Test
  void once_a_utc_day_and_real_data_only_after_its_confirmation() {
    DailyRetention daily = new DailyRetention(clock, dir.resolve("archive"));
    DailyRetention.Outcome first = daily.runIfDue(store).orElseThrow();
    assertTrue(first.ok(), String.valueOf(first.error()));
    assertEquals(LocalDate.parse("2026-12-01"), first.day());
    assertEquals(10, first.deleted());
    assertEquals(10, rows(GEN), "the generated source lost its old rows");
    assertEquals(20, rows(VEND), "real data is never deleted without the policy's confirmation");
    assertEquals(1, first.skipped().size());
    assertTrue(first.skipped().get(0).startsWith("'vend' is a vendor source (real market data): 10 rows before"),
        first.skipped().get(0));
    assertTrue(DailyRetention.describe(first).contains("gen 10 rows deleted; skipped 'vend'"),
        DailyRetention.describe(first));

    clock.advance(Duration.ofHours(13)); // 23:00 the same UTC day
    assertEquals(Optional.empty(), daily.runIfDue(store));
    assertEquals(Optional.empty(), new DailyRetention(clock, dir.resolve("archive")).runIfDue(store),
        "another process (or a restart) finds today's run in the store");

    // someone confirms the real-data policy once, by hand (it deletes now and records the confirmation)
    RetentionService byHand = new RetentionService(store, clock);
    byHand.apply(byHand.plan(VEND), true, dir.resolve("archive"));
    store.write(VEND, Timeframe.MIN_1, Bars.minutes("MSFT", "2026-09-02T14:30:00Z", 5, VEND).iterator());

    clock.advance(Duration.ofHours(2)); // 01:00 the next UTC day
    DailyRetention.Outcome next = daily.runIfDue(store).orElseThrow();
    assertEquals(LocalDate.parse("2026-12-02"), next.day());
    assertTrue(next.skipped().isEmpty(), next.skipped().toString());
    assertEquals(5, next.deleted(), "the confirmed policy now runs unattended");
    assertEquals(10, rows(VEND));
    assertEquals("2026-12-02", store.meta(DailyRetention.LAST_DAY_KEY).orElseThrow());
  }

  @Test
  void a_failed_run_is_not_recorded_and_is_tried_again() throws Exception {
    DailyRetention daily = new DailyRetention(clock, dir.resolve("archive"));
    DailyRetention.Outcome failed;
    try (AutoCloseable held = store.tryLock("retention").orElseThrow()) { // another retention run
      failed = daily.runIfDue(store).orElseThrow();
    }
    assertFalse(failed.ok());
    assertTrue(DailyRetention.describe(failed).contains("another retention run holds the retention lock"),
        DailyRetention.describe(failed));
    assertEquals(20, rows(GEN));
    assertTrue(store.meta(DailyRetention.LAST_DAY_KEY).isEmpty());
    clock.advance(Duration.ofHours(1));
    assertTrue(daily.runIfDue(store).orElseThrow().ok());
    assertEquals(10, rows(GEN));
  }

  @Test
  void hourly_checks_over_three_utc_days_run_three_times() {
    DailyRetention daily = new DailyRetention(clock, dir.resolve("archive"));
    List<DailyRetention.Outcome> runs = new ArrayList<>();
    int[] checks = {0};
    long n = daily.loop(() -> {
      checks[0]++;
      return daily.runIfDue(store);
    }, Duration.ofHours(1), clock::sleep, () -> checks[0] >= 48, runs::add); // 12-01 10:00 .. 12-03 09:00
    assertEquals(48, checks[0]);
    assertEquals(3, n);
    assertEquals(List.of(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02"), LocalDate.parse("2026-12-03")),
        runs.stream().map(DailyRetention.Outcome::day).toList());
    assertEquals(47, clock.sleeps().size());
  }

  @Test
  void a_check_that_throws_is_a_failed_run_and_the_loop_goes_on() {
    DailyRetention daily = new DailyRetention(clock, dir.resolve("archive"));
    List<DailyRetention.Outcome> runs = new ArrayList<>();
    int[] checks = {0};
    daily.loop(() -> {
      if (checks[0]++ == 0) {
        throw new IllegalStateException("production is unreachable");
      }
      return daily.runIfDue(store);
    }, Duration.ofHours(1), clock::sleep, () -> checks[0] >= 3, runs::add);
    assertEquals(2, runs.size());
    assertFalse(runs.get(0).ok());
    assertTrue(runs.get(1).ok());
  }
}
