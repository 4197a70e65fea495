package io.tickvault.mirror;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import io.tickvault.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day of scheduled syncs, compressed by an injected clock: a real SQLite production file and a
 * real mirror; production written between ticks and unreadable for one tick (an outage: the
 * file is moved aside and a file that is not a database stands in its place, so opening it fails
 * for real, also for root, who reads any file whatever its permissions). Every attempt lands in the
 * mirror's sync log, the failed one with its error, and the loop goes on until told to stop.
 */
class SyncScheduleTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

  @TempDir
  Path dir;

  private static List<Bar> rows(BarStore s) {
    List<Bar> out = new ArrayList<>();
    s.read(SYN, BarFilter.ALL, out::add);
    return out;
  }

  @Test
  void six_hourly_syncs_survive_an_outage_and_log_every_attempt() throws Exception {
    Path prodFile = dir.resolve("production.db");
    try (BarStore p = Stores.open(prodFile.toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
      p.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 60, SYN).iterator());
    }
    Path aside = dir.resolve("production.db.aside");
    TestClock clock = TestClock.at("2026-12-01T00:00:00Z");
    MirrorService mirror = new MirrorService(dir.resolve("mirror.db"), clock);
    List<SyncSchedule.Tick<SyncReport>> ticks = new ArrayList<>();
    SyncSchedule schedule = new SyncSchedule(Duration.ofHours(6), clock, d -> {
      // between ticks: production moves on, and is unreadable during the third tick
      int done = ticks.size();
      try {
        if (Files.exists(aside)) { // the outage ends
          Files.move(aside, prodFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (BarStore p = Stores.open(prodFile.toString())) {
          p.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-" + (15 + done) + "T18:00:00Z", 10, SYN).iterator());
        }
        if (done == 2) { // the outage begins
          Files.move(prodFile, aside);
          Files.writeString(prodFile, "this is not a database, and it is long enough to say so to SQLite\n".repeat(20));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      clock.sleep(d);
    }, new Random(7));
    long n = schedule.run(() -> mirror.sync(() -> SqliteBarStore.open(prodFile, SqliteBarStore.Mode.PRODUCTION),
        "sqlite:" + prodFile, SyncOptions.INCREMENTAL), ticks::add, () -> ticks.size() == 5);
    assertEquals(5, n);

    for (int i = 0; i < ticks.size(); i++) {
      SyncSchedule.Tick<SyncReport> t = ticks.get(i);
      assertEquals(i != 2, t.ok(), () -> "tick " + t.number() + ": " + t.error());
      Duration wait = Duration.between(t.started(), t.next());
      assertTrue(wait.compareTo(Duration.ofHours(6)) >= 0 && wait.compareTo(Duration.ofHours(6).plusMinutes(5)) <= 0,
          "a period plus at most 5 minutes of jitter: " + wait);
      if (i > 0) {
        assertFalse(t.started().isBefore(ticks.get(i - 1).finished()), "never two at once");
        assertEquals(ticks.get(i - 1).next(), t.started(), "each tick starts when the previous one said");
      }
    }
    Duration day = Duration.between(ticks.get(0).started(), ticks.get(4).started());
    assertTrue(day.compareTo(Duration.ofHours(24)) >= 0 && day.compareTo(Duration.ofHours(24).plusMinutes(20)) <= 0,
        "four periods, plus jitter, from the first tick to the fifth: " + day);

    // the mirror caught up after the outage
    try (BarStore p = Stores.open(prodFile.toString()); SqliteBarStore m = SqliteBarStore.open(mirror.file(), SqliteBarStore.Mode.READ_ONLY)) {
      assertEquals(60 + 4 * 10, rows(m).size());
      assertEquals(rows(p), rows(m));
    }
    List<SyncLogEntry> log = mirror.syncLog(100);
    assertEquals(5, log.size());
    SyncLogEntry failed = log.get(2); // newest first: tick 3
    assertFalse(failed.ok());
    assertTrue(failed.error().contains(prodFile.toString()), failed.error());
    assertEquals("sqlite:" + prodFile, failed.production());
    assertEquals(0, failed.rowsAdded());
    assertEquals(10 + 10, log.get(1).rowsAdded(), "tick 4 copies what tick 3 missed");
    SyncLogEntry first = log.get(4);
    assertTrue(first.ok());
    assertNull(first.error());
    assertEquals("first", first.mode());
    assertEquals(60, first.rowsAdded());
    assertEquals(List.of(new SyncReport.SourceSync(SYN, SyncReport.Action.COPIED, 1, 1, 60, 0, 0)), first.perSource());
    assertTrue(first.productionStoreId() != null && !first.productionStoreId().isBlank());
    assertEquals("incremental", log.get(0).mode());
  }

  @Test
  void a_period_under_a_minute_is_refused() {
    TestClock clock = TestClock.at("2026-12-01T00:00:00Z");
    assertThrows(InvalidInputException.class, () -> new SyncSchedule(Duration.ofSeconds(30), clock, clock::sleep,
        new Random(1)));
    assertEquals(Duration.ofMinutes(5), new SyncSchedule(Duration.ofHours(24), clock, clock::sleep, new Random(1))
        .maxJitter());
    assertEquals(Duration.ofSeconds(90), new SyncSchedule(Duration.ofMinutes(30), clock, clock::sleep, new Random(1))
        .maxJitter());
  }
}
