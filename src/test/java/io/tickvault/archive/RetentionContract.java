package io.tickvault.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.testing.Bars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and archival against a real store of each engine: dry-run counts, archives written
 * before deletion and verified, a crash between archive and delete losing nothing, restores
 * identical, and --confirm for real data. The clock is fixed at 2024-04-15.
 */
abstract class RetentionContract {
  static final SourceName TEST = SourceName.TEST;
  static final SourceName VEND = SourceName.of("vend");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-04-15T12:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  BarStore store;
  RetentionService retention;
  List<Bar> janFeb;

  abstract BarStore open();

  @BeforeEach
  void seed() {
    store = open();
    retention = new RetentionService(store, CLOCK);
    store.createSource(TEST, SourceKind.GENERATED, "test", Timeframe.MIN_1, null);
    List<Bar> bars = new ArrayList<>();
    for (String day : List.of("2024-01-02", "2024-01-31", "2024-02-15", "2024-03-01", "2024-04-10")) {
      bars.addAll(Bars.minutes("AAPL", day + "T14:30:00Z", 30, TEST));
      bars.addAll(Bars.minutes("MSFT", day + "T14:30:00Z", 20, TEST));
    }
    bars.addAll(Bars.minutes("AAPL", "2024-02-29T23:50:00Z", 20, TEST)); // crosses into March at midnight UTC
    store.write(TEST, Timeframe.MIN_1, bars.iterator());
    janFeb = read(TEST, new TimeRange(null, Instant.parse("2024-03-01T00:00:00Z")));
    assertEquals(3 * 50 + 10, janFeb.size());
  }

  @AfterEach
  void close() {
    store.close();
  }

  List<Bar> read(SourceName s, TimeRange r) {
    List<Bar> out = new ArrayList<>();
    store.read(s, new BarFilter(null, r), out::add);
    return out;
  }

  long rows(SourceName s) {
    return store.stats(s, BarFilter.ALL).rows();
  }

  @Test
  void dry_run_counts_per_symbol_and_changes_nothing() {
    retention.set(TEST, RetentionPolicy.of("30d", true));
    List<RetentionService.SourcePlan> plans = retention.plan(null);
    assertEquals(1, plans.size());
    RetentionService.SourcePlan p = plans.get(0);
    assertEquals(Instant.parse("2024-03-01T00:00:00Z"), p.cutoff(), "30 days before 2024-04-15 is in March: whole months");
    assertEquals(160, p.rows());
    assertEquals("AAPL=100 MSFT=60", p.symbols().stream().map(s -> s.symbol() + "=" + s.rows())
        .reduce((a, b) -> a + " " + b).orElse(""));
    assertFalse(p.needsConfirm());
    assertEquals(5 * 50 + 20, rows(TEST));
    retention.set(TEST, RetentionPolicy.of("30d", false));
    assertEquals(Instant.parse("2024-03-16T00:00:00Z"), retention.plan(TEST).get(0).cutoff(), "without archive: a day");
  }

  @Test
  void archive_is_written_verified_and_recorded_before_the_rows_go_and_restores_identically() throws Exception {
    retention.set(TEST, RetentionPolicy.of("30d", true));
    Path archive = dir.resolve("archive");
    List<RetentionService.Applied> done = retention.apply(retention.plan(null), false, archive);
    assertEquals(160, done.get(0).deleted());
    assertEquals(List.of("2024-01", "2024-02"), done.get(0).archives().stream().map(RetentionService.Archived::month)
        .toList());
    assertEquals(List.of(), read(TEST, new TimeRange(null, Instant.parse("2024-03-01T00:00:00Z"))));
    assertEquals(5 * 50 + 20 - 160, rows(TEST));
    JsonNode manifest = new ObjectMapper().readTree(archive.resolve("test/MANIFEST.json").toFile());
    assertEquals("test", manifest.get("source").asText());
    JsonNode jan = manifest.get("files").get(0);
    assertEquals("2024-01.parquet", jan.get("file").asText());
    assertEquals(ArchiveManifest.sha256(archive.resolve("test/2024-01.parquet")), jan.get("sha256").asText());
    assertEquals(100, jan.get("rows").asLong());
    assertEquals(Map.of("test", 100L), new ObjectMapper().convertValue(jan.get("origins"),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() { }));
    assertEquals("2024-01-02T14:30:00Z", jan.get("first").asText());
    assertEquals("2024-02-01T00:00:00Z", jan.get("to").asText());
    JsonNode feb = manifest.get("files").get(1);
    assertEquals(60, feb.get("rows").asLong());
    assertEquals("2024-02-29T23:59:00Z", feb.get("last").asText());
    // restore both months into a fresh source: identical rows, origin included
    SourceName back = SourceName.of("restored");
    ParquetRestore restore = new ParquetRestore(store);
    restore.restore(archive.resolve("test/2024-01.parquet"), back, true, null);
    restore.restore(archive.resolve("test/2024-02.parquet"), back, false, null);
    assertEquals(janFeb, read(back, TimeRange.ALL));
    // applying again finds nothing more to do
    assertEquals(0, retention.apply(retention.plan(null), false, archive).get(0).deleted());
  }

  @Test
  void a_crash_between_archive_and_delete_loses_nothing_and_the_rerun_only_deletes() {
    retention.set(TEST, RetentionPolicy.of("30d", true));
    Path archive = dir.resolve("archive");
    RetentionService crashing = new RetentionService(store, CLOCK).beforeDelete(() -> {
      throw new IllegalStateException("simulated crash");
    });
    assertThrows(IllegalStateException.class, () -> crashing.apply(crashing.plan(null), false, archive));
    assertEquals(5 * 50 + 20, rows(TEST), "nothing was deleted");
    assertTrue(Files.isRegularFile(archive.resolve("test/2024-01.parquet")));
    List<RetentionService.Applied> done = retention.apply(retention.plan(null), false, archive);
    RetentionService.Archived jan = done.get(0).archives().get(0);
    assertTrue(jan.reused(), "the January archive of the crashed run is used, not written again");
    assertFalse(Files.exists(archive.resolve("test/2024-01+2.parquet")));
    assertEquals(160, done.get(0).deleted());
    SourceName back = SourceName.of("restored");
    new ParquetRestore(store).restore(archive.resolve("test/2024-01.parquet"), back, true, null);
    new ParquetRestore(store).restore(archive.resolve("test/2024-02.parquet"), back, false, null);
    assertEquals(janFeb, read(back, TimeRange.ALL));
  }

  @Test
  void a_row_changed_between_archive_and_delete_keeps_its_new_value_and_is_archived_next_time() {
    retention.set(TEST, RetentionPolicy.of("30d", true));
    Path archive = dir.resolve("archive");
    Bar old = janFeb.get(0);
    Bar changed = new Bar(old.symbol(), old.timestamp(), old.price().add(java.math.BigDecimal.ONE),
        old.open(), old.high().add(java.math.BigDecimal.ONE), old.low(), old.close().add(java.math.BigDecimal.ONE),
        old.volume() + 7, old.tradeCount(), old.vwap(), old.origin());
    RetentionService racing = new RetentionService(store, CLOCK).beforeDelete(() ->
        store.write(TEST, Timeframe.MIN_1, List.of(changed).iterator())); // a writer corrects one archived bar
    List<RetentionService.Applied> done = racing.apply(racing.plan(null), false, archive);
    assertEquals(janFeb.size() - 1, done.get(0).deleted(), "every archived row but the changed one");
    assertEquals(1, done.get(0).kept());
    assertEquals(List.of(changed), read(TEST, new TimeRange(null, Instant.parse("2024-03-01T00:00:00Z"))),
        "the corrected value was not deleted with its archived predecessor");
    // the next run archives the corrected bar in a second January file, then deletes it
    List<RetentionService.Applied> again = retention.apply(retention.plan(null), false, archive);
    assertEquals(1, again.get(0).deleted());
    assertEquals(0, again.get(0).kept());
    assertEquals("2024-01+2.parquet", again.get(0).archives().get(0).file().getFileName().toString());
    SourceName back = SourceName.of("restored");
    new ParquetRestore(store).restore(archive.resolve("test/2024-01+2.parquet"), back, true, null);
    assertEquals(List.of(changed), read(back, TimeRange.ALL));
  }

  @Test
  void rows_added_to_an_archived_month_later_go_to_a_second_file() {
    retention.set(TEST, RetentionPolicy.of("30d", true));
    Path archive = dir.resolve("archive");
    retention.apply(retention.plan(null), false, archive);
    store.write(TEST, Timeframe.MIN_1, Bars.minutes("IBM", "2024-01-10T15:00:00Z", 5, TEST).iterator());
    List<RetentionService.Applied> done = retention.apply(retention.plan(null), false, archive);
    assertEquals(5, done.get(0).deleted());
    assertEquals("2024-01+2.parquet", done.get(0).archives().get(0).file().getFileName().toString());
  }

  @Test
  void a_second_run_while_one_holds_the_lock_is_refused_and_changes_nothing() throws Exception {
    retention.set(TEST, RetentionPolicy.of("30d", true));
    try (AutoCloseable held = store.tryLock("retention").orElseThrow()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> retention.apply(retention.plan(null), false, dir.resolve("archive")));
      assertTrue(e.getMessage().contains("another retention run holds the retention lock"), e.getMessage());
    }
    assertEquals(5 * 50 + 20, rows(TEST));
    assertFalse(Files.exists(dir.resolve("archive")));
    assertEquals(160, retention.apply(retention.plan(null), false, dir.resolve("archive")).get(0).deleted(),
        "the lock is free again");
  }

  @Test
  void real_data_needs_confirm_the_first_time_and_the_policy_remembers_it() {
    store.createSource(VEND, SourceKind.VENDOR, "real", Timeframe.MIN_1, null);
    store.write(VEND, Timeframe.MIN_1, Bars.minutes("AAPL", "2024-01-02T14:30:00Z", 10, VEND).iterator());
    retention.set(VEND, RetentionPolicy.of("30d", false));
    List<RetentionService.SourcePlan> plans = retention.plan(VEND);
    assertTrue(plans.get(0).needsConfirm());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> retention.apply(plans, false, dir.resolve("archive")));
    assertTrue(e.getMessage().contains("'vend' is a vendor source (real market data): 10 rows")
        && e.getMessage().contains("Nothing was changed"), e.getMessage());
    assertEquals(10, rows(VEND));
    assertEquals(10, retention.apply(retention.plan(VEND), true, dir.resolve("archive")).get(0).deleted());
    assertTrue(retention.policy(VEND).orElseThrow().confirmed());
    store.write(VEND, Timeframe.MIN_1, Bars.minutes("AAPL", "2024-01-03T14:30:00Z", 4, VEND).iterator());
    assertEquals(4, retention.apply(retention.plan(VEND), false, dir.resolve("archive")).get(0).deleted(),
        "a confirmed policy runs unattended");
    retention.set(VEND, RetentionPolicy.of("2y", false));
    assertFalse(retention.policy(VEND).orElseThrow().confirmed(), "a new policy starts unconfirmed");
  }
}
