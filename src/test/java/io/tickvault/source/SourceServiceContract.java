package io.tickvault.source;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.bar;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** list/create/clean/migrate/compare semantics and the mixing rules, on a real store of each engine. */
public abstract class SourceServiceContract {
  static final SourceName SYN = SourceName.SYNTHETIC;
  static final SourceName ALPACA = SourceName.ALPACA;
  static final SourceName POLYGON = SourceName.POLYGON;
  static final SourceName TEST = SourceName.TEST;
  static final SourceName MOCK = SourceName.MOCK;

  protected BarStore store;
  protected SourceService service;

  protected abstract BarStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    service = new SourceService(store);
    service.create(null, null, null);
  }

  @AfterEach
  void close() {
    store.close();
  }

  List<Bar> all(SourceName s) {
    List<Bar> out = new ArrayList<>();
    store.read(s, BarFilter.ALL, out::add);
    return out;
  }

  @Test
  void list_shows_every_built_in_with_status_and_stats() {
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 5, SYN).iterator());
    store.dropSource(POLYGON);
    List<SourceSummary> l = service.list();
    assertEquals(List.of("alpaca", "mock", "polygon", "synthetic", "test"), l.stream().map(s -> s.name().value()).toList());
    SourceSummary syn = l.get(3);
    assertEquals(SourceSummary.HAS_DATA, syn.status());
    assertEquals(5, syn.rows());
    assertEquals(1, syn.symbols());
    assertEquals(Instant.parse("2025-01-15T14:30:00Z"), syn.first());
    assertEquals(SourceSummary.EMPTY, l.get(0).status());
    assertEquals(SourceSummary.NOT_CREATED, l.get(2).status());
    assertEquals(SourceKind.VENDOR, l.get(0).kind());
    assertEquals(SourceKind.GENERATED, l.get(1).kind());
  }

  @Test
  void create_refuses_to_change_a_kind_or_make_a_vendor_table_generated() {
    assertThrows(InvalidInputException.class, () -> service.create(ALPACA, SourceKind.GENERATED, null));
    assertThrows(InvalidInputException.class, () -> service.create(SYN, SourceKind.VENDOR, null));
    assertEquals(SourceKind.GENERATED, store.requireSource(SYN).kind());
  }

  @Test
  void clean_of_a_vendor_source_needs_confirm_and_otherwise_changes_nothing() {
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 10, ALPACA).iterator());
    CleanResult dry = service.clean(ALPACA, null, null, false);
    assertTrue(dry.needsConfirm());
    assertEquals(10, dry.wouldDelete());
    assertEquals(0, dry.deleted());
    assertEquals(10, all(ALPACA).size());
    CleanResult real = service.clean(ALPACA, null, Instant.parse("2025-01-15T14:35:00Z"), true);
    assertEquals(5, real.deleted());
    assertEquals(5, all(ALPACA).size());
  }

  @Test
  void clean_of_generated_source_deletes_but_real_origin_rows_in_it_need_confirm() {
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 4, SYN).iterator());
    assertEquals(4, service.clean(SYN, Symbol.of("AAPL"), null, false).deleted());
    store.write(TEST, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 4, ALPACA).iterator()); // a backup of real data
    CleanResult r = service.clean(TEST, null, null, false);
    assertTrue(r.needsConfirm());
    assertEquals(4, all(TEST).size());
  }

  @Test
  void migrate_copies_keeping_origin_and_rerunning_duplicates_nothing() {
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 10, ALPACA).iterator());
    MigrateResult r = service.migrate(ALPACA, TEST, null, TimeRange.ALL, false);
    assertEquals(10, r.rows());
    service.migrate(ALPACA, TEST, null, TimeRange.ALL, false);
    List<Bar> copied = all(TEST);
    assertEquals(all(ALPACA), copied);
    assertTrue(copied.stream().allMatch(b -> b.origin().equals(ALPACA)));
  }

  @Test
  void a_backup_in_test_can_be_restored_into_its_vendor_table() {
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 10, ALPACA).iterator());
    service.migrate(ALPACA, TEST, null, TimeRange.ALL, false);
    service.clean(ALPACA, null, null, true);
    assertEquals(10, service.migrate(TEST, ALPACA, Symbol.of("AAPL"), TimeRange.ALL, false).rows());
    assertEquals(10, all(ALPACA).size());
  }

  @Test
  void synthetic_rows_never_go_into_a_vendor_table_and_nothing_changes() {
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 10, SYN).iterator());
    store.write(ALPACA, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T14:30:00Z", 3, ALPACA).iterator());
    List<Bar> before = all(ALPACA);
    MixingRefusedException e = assertThrows(MixingRefusedException.class,
        () -> service.migrate(SYN, ALPACA, null, TimeRange.ALL, false));
    assertTrue(e.getMessage().contains("Nothing was changed"), e.getMessage());
    assertEquals(before, all(ALPACA));
    // and the empty vendor table refuses them too
    service.clean(ALPACA, null, null, true);
    assertThrows(MixingRefusedException.class, () -> service.migrate(SYN, ALPACA, null, TimeRange.ALL, false));
    assertEquals(0, all(ALPACA).size());
  }

  @Test
  void rows_of_another_vendor_cannot_enter_a_vendor_table() {
    store.write(POLYGON, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, POLYGON).iterator());
    assertThrows(MixingRefusedException.class, () -> service.migrate(POLYGON, ALPACA, null, TimeRange.ALL, false));
    assertEquals(0, all(ALPACA).size());
  }

  @Test
  void generated_rows_never_join_real_rows_in_a_generated_table() {
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, ALPACA).iterator());
    service.migrate(ALPACA, TEST, null, TimeRange.ALL, false); // test now holds real rows
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-16T14:30:00Z", 3, SYN).iterator());
    List<Bar> before = all(TEST);
    assertThrows(MixingRefusedException.class, () -> service.migrate(SYN, TEST, null, TimeRange.ALL, false));
    assertEquals(before, all(TEST));
  }

  @Test
  void a_selection_mixing_origins_is_refused() {
    store.write(TEST, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, ALPACA).iterator());
    // a plain writer put synthetic rows next to them (the store itself does not forbid it)
    store.write(TEST, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T14:30:00Z", 3, SYN).iterator());
    assertThrows(MixingRefusedException.class, () -> service.migrate(TEST, MOCK, null, TimeRange.ALL, false));
    assertEquals(0, all(MOCK).size());
    assertEquals(3, service.migrate(TEST, MOCK, Symbol.of("MSFT"), TimeRange.ALL, false).rows());
  }

  @Test
  void downloads_generated_rows_and_file_imports_ask_the_same_rules_as_migrate() {
    MixingRules rules = new MixingRules(store);
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, ALPACA).iterator());
    // synthetic rows: never into a vendor source, never next to real rows (test holds alpaca's after a backup)
    assertThrows(MixingRefusedException.class, () -> rules.checkGenerated(ALPACA, SourceKind.VENDOR));
    rules.checkGenerated(TEST, SourceKind.GENERATED);
    service.migrate(ALPACA, TEST, null, TimeRange.ALL, false);
    MixingRefusedException realRows = assertThrows(MixingRefusedException.class,
        () -> rules.checkGenerated(TEST, SourceKind.GENERATED));
    assertTrue(realRows.getMessage().contains("3 rows of real origin 'alpaca'"), realRows.getMessage());
    // downloads: only into a vendor source, a built-in vendor's table only its own, one vendor per source
    rules.checkDownload(ALPACA, SourceKind.VENDOR, ALPACA, "Alpaca");
    assertThrows(MixingRefusedException.class, () -> rules.checkDownload(ALPACA, SourceKind.VENDOR, POLYGON, "Polygon"));
    assertThrows(MixingRefusedException.class, () -> rules.checkDownload(SYN, SourceKind.GENERATED, POLYGON, "Polygon"));
    SourceName mine = SourceName.of("mine");
    service.create(mine, SourceKind.VENDOR, null);
    rules.checkDownload(mine, SourceKind.VENDOR, POLYGON, "Polygon"); // empty: fine
    service.migrate(ALPACA, mine, null, TimeRange.ALL, false);
    MixingRefusedException other = assertThrows(MixingRefusedException.class,
        () -> rules.checkDownload(mine, SourceKind.VENDOR, POLYGON, "Polygon"));
    assertTrue(other.getMessage().contains("already holds rows of origin alpaca (3 rows)"), other.getMessage());
    // a file's rows never go into a built-in vendor's table
    for (SourceName vendorTable : MixingRules.VENDOR_TABLES) {
      assertThrows(MixingRefusedException.class, () -> MixingRules.checkImport(vendorTable));
    }
    MixingRules.checkImport(mine);
    assertEquals(io.tickvault.domain.ErrorKind.REFUSED, other.kind());
  }

  @Test
  void replace_swaps_the_selection_atomically_and_allows_switching_kinds_when_nothing_else_remains() {
    store.write(MOCK, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 5, SYN).iterator());
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:32:00Z", 2, ALPACA).iterator());
    assertThrows(MixingRefusedException.class, () -> service.migrate(ALPACA, MOCK, null, TimeRange.ALL, false));
    MigrateResult r = service.migrate(ALPACA, MOCK, Symbol.of("AAPL"), TimeRange.ALL, true);
    assertTrue(r.replaced());
    assertEquals(all(ALPACA), all(MOCK));
  }

  @Test
  void migrate_with_a_date_range_copies_only_that_range() {
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T23:58:00Z", 4, SYN).iterator());
    MigrateResult r = service.migrate(SYN, MOCK, null, TimeRange.ofDays(java.time.LocalDate.parse("2025-01-16"),
        java.time.LocalDate.parse("2025-01-16")), false);
    assertEquals(2, r.rows());
  }

  @Test
  void migrate_to_itself_or_to_a_missing_source_is_refused() {
    assertThrows(InvalidInputException.class, () -> service.migrate(SYN, SYN, null, TimeRange.ALL, false));
    assertThrows(io.tickvault.domain.NotFoundException.class,
        () -> service.migrate(SYN, SourceName.of("nope"), null, TimeRange.ALL, false));
  }

  @Test
  void compare_of_a_copy_is_identical_and_of_a_changed_copy_is_not() {
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 20, SYN).iterator());
    service.migrate(SYN, MOCK, null, TimeRange.ALL, false);
    assertTrue(service.compare(SYN, MOCK, null).stream().allMatch(c -> c.identical()));
    store.write(MOCK, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:31:00Z", "100.0001", "101.0001", "99.0001", "100.0002", 1001,
        SYN)).iterator()); // close changed by 0.0001
    var c = service.compare(SYN, MOCK, null).get(0);
    assertFalse(c.identical());
    assertEquals(1, c.differingBars());
    assertEquals(20, c.common());
  }

  @Test
  void compare_reports_common_only_and_price_differences() {
    SourceName a = SourceName.of("a_src");
    SourceName b = SourceName.of("b_src");
    store.createSource(a, SourceKind.GENERATED, null);
    store.createSource(b, SourceKind.GENERATED, null);
    store.write(a, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:30:00Z", "10", SYN), bar("AAPL", "2025-01-15T14:31:00Z", "11", SYN),
        bar("AAPL", "2025-01-15T14:32:00Z", "12", SYN)).iterator());
    store.write(b, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:31:00Z", "11.5", SYN), bar("AAPL", "2025-01-15T14:32:00Z", "12",
        SYN), bar("AAPL", "2025-01-15T14:33:00Z", "13", SYN), bar("MSFT", "2025-01-15T14:33:00Z", "13", SYN)).iterator());
    List<SymbolComparison> cmp = service.compare(a, b, null);
    assertEquals(2, cmp.size());
    SymbolComparison aapl = cmp.get(0);
    assertEquals(3, aapl.rowsA());
    assertEquals(3, aapl.rowsB());
    assertEquals(2, aapl.common());
    assertEquals(1, aapl.onlyA());
    assertEquals(1, aapl.onlyB());
    assertEquals(1, aapl.differingBars());
    assertEquals(0, new BigDecimal("0.5").compareTo(aapl.maxAbsPriceDiff()));
    assertEquals(0, new BigDecimal("0.25").compareTo(aapl.meanAbsPriceDiff()));
    assertFalse(aapl.identical());
    SymbolComparison msft = cmp.get(1);
    assertEquals(0, msft.rowsA());
    assertEquals(1, msft.onlyB());
    assertEquals(1, service.compare(a, b, Symbol.of("MSFT")).size());
  }
}
