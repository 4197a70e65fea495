package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.bar;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freshness with an injected clock: age of the last sync, stale threshold, data-through capped at now. */
class FreshnessTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;
  private static final Instant SYNCED = Instant.parse("2025-03-01T08:00:00Z");

  @TempDir
  Path dir;

  private MirrorService at(Instant now) {
    return new MirrorService(dir.resolve("mirror.db"), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void a_mirror_synced_6_days_ago_is_fresh_and_8_days_ago_is_stale() {
    try (BarStore production = Stores.open(dir.resolve("production.db").toString())) {
      production.createSource(SYN, SourceKind.GENERATED, "generated");
      production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-02-28T14:30:00Z", 10, SYN).iterator());
      at(SYNCED).sync(production, SyncOptions.INCREMENTAL);
    }
    Duration week = Duration.ofDays(7);
    Freshness six = at(SYNCED.plus(Duration.ofDays(6))).freshness(week);
    assertFalse(six.stale());
    assertEquals(6, six.ageDays());
    assertEquals(SYNCED, six.lastSync());
    Freshness eight = at(SYNCED.plus(Duration.ofDays(8))).freshness(week);
    assertTrue(eight.stale());
    assertEquals(8, eight.ageDays());
    assertTrue(at(SYNCED.plus(Duration.ofDays(8))).freshness(Duration.ofDays(9)).stale() == false);
  }

  @Test
  void data_through_ignores_bars_dated_after_now() {
    try (BarStore production = Stores.open(dir.resolve("production.db").toString())) {
      production.createSource(SYN, SourceKind.GENERATED, "generated");
      production.write(SYN, Timeframe.MIN_1, List.of(
          bar("AAPL", "2025-02-27T20:59:00Z", "10", SYN),
          bar("AAPL", "2025-03-01T07:00:00Z", "11", SYN),
          bar("AAPL", "2025-03-01T09:00:00Z", "12", SYN),     // later today than "now"
          bar("MSFT", "2099-01-01T00:00:00Z", "13", SYN)).iterator()); // far future
      at(SYNCED).sync(production, SyncOptions.INCREMENTAL);
    }
    Freshness f = at(SYNCED).freshness(Duration.ofDays(7));
    assertEquals(Instant.parse("2025-03-01T07:00:00Z"), f.dataThrough().get(SYN));
    Freshness later = at(Instant.parse("2025-03-02T00:00:00Z")).freshness(Duration.ofDays(7));
    assertEquals(Instant.parse("2025-03-01T09:00:00Z"), later.dataThrough().get(SYN));
  }
}
