package io.tickvault.quality;

import static io.tickvault.testing.Bars.bar;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.quality.SourceHealth.State;
import io.tickvault.store.BarStore;
import io.tickvault.store.RunOwner;
import io.tickvault.store.ValidationRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health states on a real store of each engine, at fixed instants against the NYSE calendar:
 * fresh, late, failed run, abandoned run (a dead process's {@code running} row, found without a
 * new ingest), empty, a 24x7 source, rows per day, and the open findings of the last validate run
 * (a later clean run clears them).
 */
public abstract class HealthContract {
  /** Mon 2026-11-30 22:30 New York: Monday's session is complete (16:00 close + 6h grace). */
  static final Instant MONDAY_NIGHT = Instant.parse("2026-12-01T03:30:00Z");
  /** Mon 2026-11-30 15:00 New York: the session is open, Friday is the last completed one. */
  static final Instant MONDAY_AFTERNOON = Instant.parse("2026-11-30T20:00:00Z");

  static final SourceName FRESH = SourceName.of("fresh");
  static final SourceName LATE = SourceName.of("late");
  static final SourceName FAILED = SourceName.of("failed");
  static final SourceName GONE = SourceName.of("gone");
  static final SourceName EMPTY = SourceName.of("empty");
  static final SourceName CRYPTO = SourceName.of("crypto");

  protected abstract BarStore newStore();

  /** A plain connection to the same database (to play a killed process's row). */
  protected abstract Connection plainSql() throws SQLException;

  protected BarStore store;

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void minuteSource(SourceName name, String start) {
    store.createSource(name, SourceKind.VENDOR, null, Timeframe.MIN_1, null);
    store.write(name, Timeframe.MIN_1, minutes("AAPL", start, 30, name).iterator());
  }

  private SourceHealth health(SourceName name, Instant now) {
    return HealthService.check(store, name, HealthService.Options.DEFAULTS, now, "live").sources().get(0);
  }

  @Test
  void fresh_and_late_follow_the_last_completed_session() {
    minuteSource(FRESH, "2026-11-30T14:30:00Z"); // Monday's session
    minuteSource(LATE, "2026-11-27T14:30:00Z"); // Friday's (early close) session only

    SourceHealth fresh = health(FRESH, MONDAY_NIGHT);
    assertEquals(State.FRESH, fresh.state());
    assertFalse(fresh.alert());
    assertTrue(fresh.problems().isEmpty());
    assertEquals(LocalDate.parse("2026-11-30"), fresh.session());

    SourceHealth late = health(LATE, MONDAY_NIGHT);
    assertEquals(State.LATE, late.state());
    assertTrue(late.alert());
    assertTrue(late.reason().startsWith("late: newest bar 2026-11-27 14:59Z, expected a bar of the last completed "
        + "session, mon 2026-11-30"), late.reason());
    // the same bars are not late while Monday's session is still open
    assertEquals(State.FRESH, health(LATE, MONDAY_AFTERNOON).state());
    // nor over the weekend
    assertEquals(State.FRESH, health(LATE, Instant.parse("2026-11-29T12:00:00Z")).state());

    HealthReport all = HealthService.check(store, null, HealthService.Options.DEFAULTS, MONDAY_NIGHT, "live");
    assertEquals(List.of(FRESH, LATE), all.sources().stream().map(SourceHealth::source).toList());
    assertTrue(all.alert());
  }

  @Test
  void a_failed_last_run_is_failed_even_with_fresh_bars() {
    minuteSource(FAILED, "2026-11-30T14:30:00Z");
    long ok = store.startIngest(FAILED, "failed", null, "AAPL", TimeRange.ALL);
    store.finishIngest(ok, 30, io.tickvault.store.IngestStatus.OK, null);
    long bad = store.startIngest(FAILED, "failed", null, "AAPL", TimeRange.ALL);
    store.finishIngest(bad, 0, io.tickvault.store.IngestStatus.FAILED, "HTTP 500 from the vendor");
    SourceHealth h = health(FAILED, MONDAY_NIGHT);
    assertEquals(State.FAILED, h.state());
    assertTrue(h.alert());
    assertEquals("failed", h.lastRunStatus());
    assertTrue(h.reason().contains("last ingest run #" + bad + " failed") && h.reason().contains("HTTP 500"),
        h.reason());
    // a later successful run clears it
    long again = store.startIngest(FAILED, "failed", null, "AAPL", TimeRange.ALL);
    store.finishIngest(again, 30, io.tickvault.store.IngestStatus.OK, null);
    assertEquals(State.FRESH, health(FAILED, MONDAY_NIGHT).state());
  }

  @Test
  void a_running_row_of_a_dead_process_is_abandoned_without_a_new_run_one_of_a_live_process_is_running()
      throws Exception {
    minuteSource(GONE, "2026-11-30T14:30:00Z");
    long run = store.startIngest(GONE, "gone", null, "AAPL", TimeRange.ALL);
    SourceHealth alive = health(GONE, MONDAY_NIGHT);
    assertEquals("running", alive.lastRunStatus(), "this process still runs");
    assertEquals(State.FRESH, alive.state());

    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    String start = p.info().startInstant().map(Instant::toString).orElse("2000-01-01T00:00:00Z");
    try (Connection c = plainSql(); Statement s = c.createStatement()) {
      s.execute("UPDATE tickvault_ingest_log SET owner = 'pid=" + p.pid() + ";host=" + RunOwner.host() + ";start="
          + start + "' WHERE id = " + run);
    }
    SourceHealth gone = health(GONE, MONDAY_NIGHT);
    assertEquals(State.ABANDONED, gone.state());
    assertTrue(gone.alert());
    assertEquals("abandoned", gone.lastRunStatus());
    assertEquals(io.tickvault.store.IngestStatus.RUNNING, gone.lastRun().status(), "health only reads: the log is marked by the next run");
    assertTrue(gone.reason().contains("process " + p.pid()) && gone.reason().contains("killed or crashed"),
        gone.reason());

    // once the next run has marked it, the abandoned row is what the log says (and that run is the last one)
    long next = store.startIngest(GONE, "gone", null, "AAPL", TimeRange.ALL);
    store.finishIngest(next, 30, io.tickvault.store.IngestStatus.OK, null);
    assertEquals(State.FRESH, health(GONE, MONDAY_NIGHT).state());
    assertEquals(io.tickvault.store.IngestStatus.ABANDONED, store.ingestLog(GONE, 10).get(1).status());
  }

  @Test
  void an_empty_source_is_empty_not_an_alert() {
    store.createSource(EMPTY, SourceKind.VENDOR, null);
    SourceHealth h = health(EMPTY, MONDAY_NIGHT);
    assertEquals(State.EMPTY, h.state());
    assertFalse(h.alert());
    assertNull(h.newest());
  }

  @Test
  void a_24x7_source_kept_in_utc_is_late_after_one_width_plus_the_grace() {
    store.createSource(CRYPTO, SourceKind.VENDOR, null, Timeframe.HOUR_1, ZoneId.of("UTC"));
    List<Bar> bars = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      bars.add(bar("BTC/USD", String.format("2026-11-30T%02d:00:00Z", h), "90000", CRYPTO));
    }
    bars.add(bar("BTC/USD", "2026-12-01T00:00:00Z", "90000", CRYPTO));
    store.write(CRYPTO, Timeframe.HOUR_1, bars.iterator());
    SourceHealth ok = health(CRYPTO, Instant.parse("2026-12-01T03:00:00Z")); // the 00:00 bar ended 2h ago
    assertEquals("24x7", ok.calendar());
    assertEquals(State.FRESH, ok.state(), ok.reason());
    SourceHealth late = health(CRYPTO, Instant.parse("2026-12-01T03:01:00Z"));
    assertEquals(State.LATE, late.state());
    assertTrue(late.reason().contains("ended at most 2h ago"), late.reason());
  }

  @Test
  void rows_per_day_cover_the_window_with_zeros() {
    minuteSource(FRESH, "2026-11-30T14:30:00Z");
    store.write(FRESH, Timeframe.MIN_1, minutes("MSFT", "2026-11-27T14:30:00Z", 10, FRESH).iterator());
    SourceHealth h = health(FRESH, MONDAY_NIGHT);
    assertEquals(7, h.rowsPerDay().size());
    assertEquals(LocalDate.parse("2026-11-25"), h.rowsPerDay().firstKey());
    assertEquals(30L, h.rowsPerDay().get(LocalDate.parse("2026-11-30")));
    assertEquals(10L, h.rowsPerDay().get(LocalDate.parse("2026-11-27")));
    assertEquals(0L, h.rowsPerDay().get(LocalDate.parse("2026-11-28")));
    assertEquals(40, h.rows());
    assertEquals(2, h.symbols());
  }

  @Test
  void the_last_validate_run_holds_the_open_findings_until_a_clean_run() {
    minuteSource(FRESH, "2026-11-30T14:30:00Z");
    assertNull(health(FRESH, MONDAY_NIGHT).validation());
    store.recordValidation(new ValidationRecord(FRESH, Instant.parse("2026-12-01T01:00:00Z"), "us-equities",
        LocalDate.parse("2026-11-01"), null, 30, 2, 1, Map.of("off-grid", 2L, "jump", 1L)));
    SourceHealth h = health(FRESH, MONDAY_NIGHT);
    assertEquals(2, h.openErrors());
    assertEquals(1, h.openWarnings());
    assertEquals(Map.of("jump", 1L, "off-grid", 2L), h.validation().counts());
    assertEquals(LocalDate.parse("2026-11-01"), h.validation().from());
    assertNull(h.validation().to());
    assertEquals(State.FRESH, h.state(), "open findings are reported, they do not make a source late");
    assertTrue(h.reason().contains("2 errors, 1 warnings open"), h.reason());

    store.recordValidation(new ValidationRecord(FRESH, Instant.parse("2026-12-01T02:00:00Z"), "us-equities",
        null, null, 30, 0, 0, Map.of()));
    h = health(FRESH, MONDAY_NIGHT);
    assertEquals(0, h.openErrors());
    assertEquals(Map.of(), h.validation().counts());
    assertEquals(Instant.parse("2026-12-01T02:00:00Z"), h.validation().validatedAt());
  }
}
