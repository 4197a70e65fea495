package io.tickvault.store;

import static io.tickvault.testing.Bars.bar;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every storage engine must have. Subclasses supply a fresh, empty store of their engine
 * (a real database: SQLite file, real PostgreSQL).
 */
public abstract class BarStoreContract {
  protected static final SourceName SYN = SourceName.SYNTHETIC;
  protected static final SourceName ALPACA = SourceName.ALPACA;

  protected BarStore store;

  /** A fresh, empty store. */
  protected abstract BarStore newStore();

  /** A plain JDBC connection to the store, standing in for a writer that bypasses tickvault. */
  protected abstract Connection plainSql() throws SQLException;

  /**
   * DDL of a source table as tickvault's earlier versions (or a person) made it: the same columns,
   * no CHECK on the symbol, no change tracking.
   */
  protected abstract String legacyTableDdl(String table);

  /** A plain-SQL INSERT of one bar with the given symbol text on 2025-01-15 at 15:0{@code minute}. */
  protected abstract String plainInsert(String table, String symbol, int minute);

  private void sql(String... statements) throws SQLException {
    try (Connection c = plainSql(); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private List<Bar> readAll(SourceName s, BarFilter f) {
    List<Bar> out = new ArrayList<>();
    store.read(s, f, out::add);
    return out;
  }

  @Test
  void round_trips_every_column_exactly_including_extremes_and_nulls() {
    store.createSource(SYN, SourceKind.GENERATED, "test");
    Bar tiny = new Bar(Symbol.of("BRK.B"), Instant.parse("2025-01-15T14:30:00Z"), new BigDecimal("0.0001"),
        new BigDecimal("0.0001"), new BigDecimal("0.0001"), new BigDecimal("0.0001"), new BigDecimal("0.0001"),
        0, 0, new BigDecimal("0.0001"), SYN);
    Bar huge = new Bar(Symbol.of("BTC/USD"), Instant.parse("2025-01-15T14:31:00Z"), new BigDecimal("999999.9999"),
        new BigDecimal("999999.9999"), new BigDecimal("999999.9999"), new BigDecimal("0.0001"),
        new BigDecimal("999999.9999"), io.tickvault.domain.BarRules.MAX_VOLUME, Integer.MAX_VALUE,
        new BigDecimal("500000.5"), SYN);
    Bar nulls = new Bar(Symbol.of("X-1"), Instant.parse("1970-01-01T00:00:00Z"), new BigDecimal("12.34"),
        null, null, null, null, 5, 1, null, SourceName.ALPACA);
    store.write(SYN, Timeframe.MIN_1, List.of(tiny, huge, nulls).iterator());

    List<Bar> back = readAll(SYN, BarFilter.ALL);
    assertEquals(List.of(tiny.normalized(), huge.normalized(), nulls.normalized()), back); // BRK.B < BTC/USD
    assertEquals("0.0001", back.get(0).price().toPlainString());
    assertEquals("999999.9999", back.get(1).high().toPlainString());
    assertEquals("500000.5000", back.get(1).vwap().toPlainString());
    assertNull(back.get(2).open());
    assertEquals(SourceName.ALPACA, back.get(2).origin());
  }

  @Test
  void writes_are_idempotent_for_same_bar_key() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    List<Bar> bars = minutes("AAPL", "2025-01-15T14:30:00Z", 50, SYN);
    store.write(SYN, Timeframe.MIN_1, bars.iterator());
    store.write(SYN, Timeframe.MIN_1, bars.iterator());
    assertEquals(50, store.stats(SYN, BarFilter.ALL).rows());
    assertEquals(bars, readAll(SYN, BarFilter.ALL));
  }

  @Test
  void rewriting_a_key_replaces_the_row_and_the_last_duplicate_in_a_batch_wins() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:30:00Z", "10", SYN)).iterator());
    store.write(SYN, Timeframe.MIN_1, List.of(bar("AAPL", "2025-01-15T14:31:00Z", "12", SYN), bar("AAPL", "2025-01-15T14:30:00Z", "11",
        SYN), bar("AAPL", "2025-01-15T14:30:00Z", "11.5", SYN)).iterator());
    List<Bar> back = readAll(SYN, BarFilter.ALL);
    assertEquals(2, back.size());
    assertEquals(new BigDecimal("11.5000"), back.get(0).price());
    assertEquals(new BigDecimal("12.0000"), back.get(1).price());
  }

  @Test
  void range_read_includes_start_and_excludes_end_instant() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 10, SYN).iterator());
    store.write(SYN, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T14:30:00Z", 10, SYN).iterator());
    BarFilter f = new BarFilter(Symbol.of("AAPL"), new TimeRange(Instant.parse("2025-01-15T14:32:00Z"),
        Instant.parse("2025-01-15T14:35:00Z")));
    List<Bar> back = readAll(SYN, f);
    assertEquals(3, back.size());
    assertEquals(Instant.parse("2025-01-15T14:32:00Z"), back.get(0).timestamp());
    assertEquals(Instant.parse("2025-01-15T14:34:00Z"), back.get(2).timestamp());
    assertEquals(3, store.stats(SYN, f).rows());
  }

  @Test
  void reads_stream_without_materialising_the_table() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    int n = 30_000;
    store.write(SYN, Timeframe.MIN_1, new Iterator<Bar>() {
      int i;
      final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Bar next() {
        if (!hasNext()) throw new NoSuchElementException();
        return bar("AAPL", t0.plusSeconds(60L * i++).toString(), "10", SYN);
      }
    });
    long[] seen = {0};
    Instant[] prev = {Instant.MIN};
    long count = store.read(SYN, BarFilter.ALL, b -> {
      assertTrue(b.timestamp().isAfter(prev[0]), "ordered by timestamp");
      prev[0] = b.timestamp();
      seen[0]++;
    });
    assertEquals(n, count);
    assertEquals(n, seen[0]);
  }

  @Test
  void sources_are_isolated_from_each_other() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 5, SYN).iterator());
    assertEquals(5, store.stats(SYN, BarFilter.ALL).rows());
    assertEquals(0, store.stats(ALPACA, BarFilter.ALL).rows());
    store.delete(SYN, BarFilter.ALL);
    assertEquals(0, store.stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void a_refused_batch_leaves_the_table_unchanged_and_names_the_row() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, SYN).iterator());
    List<Bar> before = readAll(SYN, BarFilter.ALL);
    // the bad row comes after 110,000 good ones: both engines have sent several batches to the
    // database by then, so a write that committed per batch would leave rows behind
    int bad = 110_000;
    List<Bar> batch = new ArrayList<>(minutes("MSFT", "2025-01-15T14:30:00Z", bad + 20, SYN));
    batch.set(bad, bar("MSFT", batch.get(bad).timestamp().toString(), "10", "9", "8", "10", 5, SYN)); // high < open
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.write(SYN, Timeframe.MIN_1, batch.iterator()));
    assertTrue(e.getMessage().contains("row " + (bad + 1)), e.getMessage());
    assertEquals(before, readAll(SYN, BarFilter.ALL));
    assertEquals(0, store.stats(SYN, BarFilter.of(Symbol.of("MSFT"))).rows());
  }

  @Test
  void values_that_do_not_fit_decimal_10_4_are_rejected_not_rounded() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    Bar tooPrecise = bar("AAPL", "2025-01-15T14:30:00Z", "1.00001", SYN);
    Bar tooLarge = bar("AAPL", "2025-01-15T14:30:00Z", "1000000", SYN);
    Bar negativeVolume = bar("AAPL", "2025-01-15T14:30:00Z", "10", "10", "10", "10", -1, SYN);
    for (Bar b : List.of(tooPrecise, tooLarge, negativeVolume)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.write(SYN, Timeframe.MIN_1, List.of(b).iterator()));
      assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
    assertEquals(0, store.stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void create_is_idempotent_and_registers_kind_and_description() {
    store.createSource(SourceName.of("my_csv"), SourceKind.VENDOR, "imported from broker");
    store.createSource(SourceName.of("my_csv"), SourceKind.VENDOR, "imported from broker");
    SourceRecord r = store.requireSource(SourceName.of("my_csv"));
    assertEquals(SourceKind.VENDOR, r.kind());
    assertEquals("imported from broker", r.description());
    assertTrue(r.registered());
    assertEquals(1, store.sources().size());
  }

  @Test
  void unknown_source_is_not_found() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> store.stats(SourceName.of("nope"),
        BarFilter.ALL));
    assertTrue(e.getMessage().contains("tickvault create --source nope"), e.getMessage());
  }

  @Test
  void delete_by_symbol_and_before_date() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T23:58:00Z", 4, SYN).iterator()); // 2 on the 15th, 2 on the 16th
    store.write(SYN, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T23:58:00Z", 4, SYN).iterator());
    long n = store.delete(SYN, new BarFilter(Symbol.of("AAPL"), new TimeRange(null, Instant.parse(
        "2025-01-16T00:00:00Z"))));
    assertEquals(2, n);
    assertEquals(6, store.stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void aggregates_candles_in_the_database() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, List.of(
        bar("AAPL", "2025-01-15T14:30:00Z", "10", "12", "9", "11", 100, SYN),
        bar("AAPL", "2025-01-15T14:31:00Z", "11", "15", "10", "14", 200, SYN),
        bar("AAPL", "2025-01-15T14:35:00Z", "14", "14", "13", "13.5", 50, SYN)).iterator());
    List<Candle> out = new ArrayList<>();
    store.aggregate(SYN, Symbol.of("AAPL"), TimeRange.ALL, Timeframe.MIN_5, out::add);
    assertEquals(2, out.size());
    Candle first = out.get(0);
    assertEquals(Instant.parse("2025-01-15T14:30:00Z"), first.time());
    assertEquals(0, new BigDecimal("10").compareTo(first.open()));
    assertEquals(0, new BigDecimal("15").compareTo(first.high()));
    assertEquals(0, new BigDecimal("9").compareTo(first.low()));
    assertEquals(0, new BigDecimal("14").compareTo(first.close()));
    assertEquals(300, first.volume());
    assertEquals(Instant.parse("2025-01-15T14:35:00Z"), out.get(1).time());
  }

  @Test
  void candle_vwap_weights_only_bars_that_have_a_vwap_and_divides_exactly() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    Bar a = Bar.ohlcv(Symbol.of("AAPL"), Instant.parse("2025-01-15T14:30:00Z"), new BigDecimal("100"),
        new BigDecimal("101"), new BigDecimal("99"), new BigDecimal("100"), 2, 1, new BigDecimal("100.0000"), SYN);
    Bar b = Bar.ohlcv(Symbol.of("AAPL"), Instant.parse("2025-01-15T14:31:00Z"), new BigDecimal("100"),
        new BigDecimal("101"), new BigDecimal("99"), new BigDecimal("100"), 1, 1, new BigDecimal("100.0005"), SYN);
    Bar noVwap = Bar.ohlcv(Symbol.of("AAPL"), Instant.parse("2025-01-15T14:32:00Z"), new BigDecimal("100"),
        new BigDecimal("101"), new BigDecimal("99"), new BigDecimal("100"), 1000, 1, null, SYN);
    store.write(SYN, Timeframe.MIN_1, List.of(a, b, noVwap).iterator());
    List<Candle> out = new ArrayList<>();
    store.aggregate(SYN, Symbol.of("AAPL"), TimeRange.ALL, Timeframe.DAY_1, out::add);
    // (2 x 100.0000 + 1 x 100.0005) / 3 = 100.000166.. -> 100.0002; the bar without vwap does not dilute it
    assertEquals(new BigDecimal("100.0002"), out.get(0).vwap());
    assertEquals(1003, out.get(0).volume());
  }

  @Test
  void lists_chunks_per_symbol_and_utc_day() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T23:58:00Z", 4, SYN).iterator());
    List<Chunk> chunks = new ArrayList<>();
    store.chunks(SYN, chunks::add);
    assertEquals(List.of(new Chunk(SYN, Symbol.of("AAPL"), LocalDate.parse("2025-01-15")),
        new Chunk(SYN, Symbol.of("AAPL"), LocalDate.parse("2025-01-16"))), chunks);
  }

  @Test
  void change_log_records_chunks_written_by_tickvault() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    long t0 = store.changesSince(-1).token();
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 4, SYN).iterator());
    ChangeSet cs = store.changesSince(t0);
    assertEquals(List.of(new Chunk(SYN, Symbol.of("AAPL"), LocalDate.parse("2025-01-15"))), cs.chunks());
    store.delete(SYN, BarFilter.of(Symbol.of("AAPL")));
    assertEquals(1, store.changesSince(cs.token()).chunks().size());
  }

  @Test
  void ingest_log_records_runs() {
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    long id = store.startIngest(ALPACA, "alpaca", "iex", "AAPL,MSFT", TimeRange.ALL);
    store.finishIngest(id, 42, io.tickvault.store.IngestStatus.OK, null);
    IngestRecord r = store.ingestLog(ALPACA, 10).get(0);
    assertEquals(42, r.rows());
    assertEquals("iex", r.feed());
    assertEquals(io.tickvault.store.IngestStatus.OK, r.status());
  }

  @Test
  void a_run_whose_process_is_gone_is_marked_abandoned_by_the_next_run() throws Exception {
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    long killed = store.startIngest(ALPACA, "alpaca", "iex", "AAPL", TimeRange.ALL);
    long alive = store.startIngest(ALPACA, "alpaca", "iex", "MSFT", TimeRange.ALL);
    long elsewhere = store.startIngest(ALPACA, "alpaca", "iex", "IBM", TimeRange.ALL);
    long older = store.startIngest(ALPACA, "alpaca", "iex", "SPY", TimeRange.ALL);
    // a process that has ended: its pid names no running process (or one started at another time)
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    String start = p.info().startInstant().map(Instant::toString).orElse("2000-01-01T00:00:00Z");
    sql("UPDATE tickvault_ingest_log SET owner = 'pid=" + p.pid() + ";host=" + RunOwner.host() + ";start=" + start
            + "' WHERE id = " + killed,
        "UPDATE tickvault_ingest_log SET owner = 'pid=1;host=another-machine;start=2000-01-01T00:00:00Z' WHERE id = "
            + elsewhere,
        "UPDATE tickvault_ingest_log SET owner = NULL WHERE id = " + older);

    long next = store.startIngest(ALPACA, "alpaca", "iex", "AAPL", TimeRange.ALL);

    java.util.Map<Long, IngestRecord> log = new java.util.HashMap<>();
    store.ingestLog(ALPACA, 10).forEach(r -> log.put(r.id(), r));
    assertEquals(io.tickvault.store.IngestStatus.ABANDONED, log.get(killed).status());
    assertTrue(log.get(killed).detail().startsWith("abandoned: process " + p.pid() + " on " + RunOwner.host()
        + " ended without finishing this run"), log.get(killed).detail());
    assertTrue(log.get(killed).detail().endsWith("found by run " + next), log.get(killed).detail());
    assertTrue(log.get(killed).finished() != null);
    assertEquals(io.tickvault.store.IngestStatus.RUNNING, log.get(alive).status(), "this process still runs");
    assertEquals(io.tickvault.store.IngestStatus.RUNNING, log.get(elsewhere).status(), "another machine's process cannot be checked from here");
    assertEquals(io.tickvault.store.IngestStatus.RUNNING, log.get(older).status(), "a row without an owner (an earlier version) is left alone");
    assertEquals(io.tickvault.store.IngestStatus.RUNNING, log.get(next).status());
  }

  @Test
  void last_bar_of_a_symbol() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 4, SYN).iterator());
    assertEquals(Instant.parse("2025-01-15T14:33:00Z"), store.last(SYN, Symbol.of("AAPL")).orElseThrow().timestamp());
    assertTrue(store.last(SYN, Symbol.of("MSFT")).isEmpty());
  }

  @Test
  void the_nth_bar_of_a_symbol_in_a_range_counts_from_the_oldest_and_only_that_symbol() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 10, SYN).iterator());
    store.write(SYN, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T14:00:00Z", 60, SYN).iterator());
    Symbol aapl = Symbol.of("AAPL");
    assertEquals(Instant.parse("2025-01-15T14:30:00Z"), store.nthTimestamp(SYN, aapl, TimeRange.ALL, 0).orElseThrow());
    assertEquals(Instant.parse("2025-01-15T14:39:00Z"), store.nthTimestamp(SYN, aapl, TimeRange.ALL, 9).orElseThrow());
    assertTrue(store.nthTimestamp(SYN, aapl, TimeRange.ALL, 10).isEmpty(), "10 bars: there is no bar number 10");
    TimeRange from = new TimeRange(Instant.parse("2025-01-15T14:33:00Z"), Instant.parse("2025-01-15T14:37:00Z"));
    assertEquals(Instant.parse("2025-01-15T14:35:00Z"), store.nthTimestamp(SYN, aapl, from, 2).orElseThrow(),
        "counted from the range's start");
    assertEquals(Instant.parse("2025-01-15T14:36:00Z"), store.nthTimestamp(SYN, aapl, from, 3).orElseThrow());
    assertTrue(store.nthTimestamp(SYN, aapl, from, 4).isEmpty(), "the range's end is exclusive");
    assertTrue(store.nthTimestamp(SYN, Symbol.of("IBM"), TimeRange.ALL, 0).isEmpty());
    assertThrows(NotFoundException.class, () -> store.nthTimestamp(SourceName.of("nope"), aapl, TimeRange.ALL, 0));
  }

  // ---- stored values and tables tickvault did not make ----------------------------------------

  @Test
  void the_table_itself_refuses_a_symbol_that_is_not_a_valid_symbol() throws Exception {
    store.createSource(SYN, SourceKind.GENERATED, null);
    for (String bad : List.of("btc/usd", " AAPL", "AAPL ", "A B", "-X", "TOOLONGSYMBOL")) {
      assertThrows(SQLException.class, () -> sql(plainInsert(SYN.tableName(), bad, 0)), bad);
    }
    sql(plainInsert(SYN.tableName(), "BTC/USD", 0));
    assertEquals(1, store.stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void a_stored_row_with_an_invalid_symbol_is_rejected_by_name_not_normalised() throws Exception {
    SourceName legacy = SourceName.of("legacy");
    sql(legacyTableDdl(legacy.tableName()));
    store.createSource(legacy, SourceKind.VENDOR, "made by hand");
    sql(plainInsert(legacy.tableName(), "btc/usd", 0));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll(legacy, BarFilter.ALL));
    assertTrue(e.getMessage().contains("rejected row"), e.getMessage());
    assertTrue(e.getMessage().contains("'btc/usd'"), e.getMessage());
    assertTrue(e.getMessage().contains(legacy.tableName()), e.getMessage());
    // nothing reads it as BTC/USD either
    assertEquals(0, readAll(legacy, BarFilter.of(Symbol.of("BTC/USD"))).size());
    assertThrows(InvalidInputException.class, () -> store.symbolStats(legacy));
  }

  @Test
  void a_table_made_outside_tickvault_is_untracked_until_create_installs_the_tracking() throws Exception {
    SourceName legacy = SourceName.of("legacy");
    sql(legacyTableDdl(legacy.tableName()));
    long t0 = store.changesSince(-1).token();
    ChangeSet cs = store.changesSince(t0);
    assertTrue(cs.untracked().contains(legacy), cs.toString());
    assertTrue(cs.wholeSources().contains(legacy), cs.toString());

    store.createSource(legacy, SourceKind.VENDOR, "made by hand");
    ChangeSet after = store.changesSince(store.changesSince(-1).token());
    assertTrue(after.untracked().isEmpty(), after.toString());
    assertTrue(after.wholeSources().isEmpty(), after.toString());
    assertNotNull(store.generation(legacy), "create gives the table a generation");
  }

  @Test
  void the_generation_changes_when_a_table_is_dropped_and_created_again_by_anyone() throws Exception {
    store.createSource(SYN, SourceKind.GENERATED, null);
    String g1 = store.generation(SYN);
    assertNotNull(g1);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, SYN).iterator());
    assertEquals(g1, store.generation(SYN), "writes keep the generation");

    sql("DROP TABLE " + SYN.tableName());
    assertNull(store.generation(SYN));
    store.createSource(SYN, SourceKind.GENERATED, null);
    String g2 = store.generation(SYN);
    assertNotNull(g2);
    assertNotEquals(g1, g2);

    store.dropSource(SYN);
    store.createSource(SYN, SourceKind.GENERATED, null);
    assertNotEquals(g2, store.generation(SYN));
  }

  @Test
  void dropping_a_source_is_recorded_as_a_whole_source_change() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 3, SYN).iterator());
    long t0 = store.changesSince(-1).token();
    store.dropSource(SYN);
    ChangeSet cs = store.changesSince(t0);
    assertTrue(cs.wholeSources().contains(SYN), cs.toString());
    assertTrue(cs.token() >= t0);
  }

  // ---- write accounting (issue 8 §4) and flaws kept (§5) ----------------------------------------

  @Test
  void every_write_counts_added_replaced_unchanged_and_repeats_matching_what_is_stored() {
    SourceName csv = SourceName.of("acct");
    store.createSource(csv, SourceKind.VENDOR, null);
    WriteResult first = store.write(csv, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 5, csv).iterator());
    assertEquals(5, first.added());
    assertEquals(0, first.replaced() + first.unchanged() + first.repeated());

    // again: 3 identical, 1 changed, 2 new, and the new 14:36 twice in a row (the later one kept)
    List<Bar> again = new ArrayList<>(minutes("AAPL", "2025-01-15T14:30:00Z", 7, csv).subList(2, 7));
    again.set(1, bar("AAPL", "2025-01-15T14:33:00Z", "55.5", csv));
    again.add(bar("AAPL", "2025-01-15T14:36:00Z", "77.7", csv));
    WriteResult w = store.write(csv, Timeframe.MIN_1, again.iterator());
    assertEquals(2, w.added(), w.toString());
    assertEquals(1, w.replaced(), w.toString());
    assertEquals(2, w.unchanged(), w.toString());
    assertEquals(1, w.repeated(), w.toString());
    assertEquals(List.of(new WriteResult.Repeat(6, 5)), w.repeats());
    assertEquals(7, store.stats(csv, BarFilter.ALL).rows());
    assertEquals(first.rows() + w.added(), store.stats(csv, BarFilter.ALL).rows());
    assertEquals(new BigDecimal("77.7000"), store.last(csv, Symbol.of("AAPL")).orElseThrow().price());
  }

  /**
   * A write long enough for SQLite's multi-row INSERTs of new keys (groups of 50), with a stored
   * changed key, stored equal keys before and inside the new run, and a repeat two rows apart in
   * the middle of the new keys: every row is counted as what it did, whichever statement wrote it.
   */
  @Test
  void long_writes_count_new_stored_and_repeated_keys_exactly_wherever_they_fall() {
    SourceName csv = SourceName.of("acct");
    store.createSource(csv, SourceKind.VENDOR, null);
    List<Bar> all = minutes("AAPL", "2025-01-15T00:00:00Z", 1000, csv);
    List<Bar> stored = new ArrayList<>(all.subList(0, 200));
    stored.add(all.get(750));
    assertEquals(201, store.write(csv, Timeframe.MIN_1, stored.iterator()).added());

    List<Bar> in = new ArrayList<>(all);
    in.set(120, bar("AAPL", all.get(120).timestamp().toString(), "55.5", csv));
    Bar msft = bar("MSFT", "2025-01-15T00:00:00Z", "10", csv);
    Bar again = bar("AAPL", all.get(600).timestamp().toString(), "66.6", csv);
    in.add(601, msft);
    in.add(602, again);
    WriteResult w = store.write(csv, Timeframe.MIN_1, in.iterator());
    assertEquals(800, w.added(), w.toString());
    assertEquals(1, w.replaced(), w.toString());
    assertEquals(200, w.unchanged(), w.toString());
    assertEquals(1, w.repeated(), w.toString());
    assertEquals(List.of(new WriteResult.Repeat(603, 601)), w.repeats());
    assertEquals(1001, store.stats(csv, BarFilter.ALL).rows());
    List<Bar> aapl = readAll(csv, new BarFilter(Symbol.of("AAPL"), TimeRange.ALL));
    assertEquals(new BigDecimal("55.5000"), aapl.get(120).price());
    assertEquals(new BigDecimal("66.6000"), aapl.get(600).price());
    assertEquals(all.get(999).price(), aapl.get(999).price());

    WriteResult same = store.write(csv, Timeframe.MIN_1, readAll(csv, BarFilter.ALL).iterator());
    assertEquals(0, same.added() + same.replaced() + same.repeated(), same.toString());
    assertEquals(1001, same.unchanged(), same.toString());
  }

  @Test
  void repeats_inside_one_new_input_are_counted_once_on_both_engines() {
    SourceName csv = SourceName.of("acct");
    store.createSource(csv, SourceKind.VENDOR, null);
    // like a CSV with line 3 repeating line 2's timestamp, and a file sorted newest first
    List<Bar> in = List.of(bar("MSFT", "2025-01-15T14:32:00Z", "10", csv), bar("MSFT", "2025-01-15T14:31:00Z", "11", csv),
        bar("MSFT", "2025-01-15T14:31:00Z", "12", csv), bar("MSFT", "2025-01-15T14:30:00Z", "13", csv));
    WriteResult w = store.write(csv, Timeframe.MIN_1, in.iterator());
    assertEquals(3, w.added(), w.toString());
    assertEquals(0, w.replaced() + w.unchanged(), w.toString());
    assertEquals(1, w.repeated(), w.toString());
    assertEquals(3, w.rows());
    assertEquals(w.rows(), store.stats(csv, BarFilter.ALL).rows());
    assertEquals(new BigDecimal("12.0000"), readAll(csv, BarFilter.ALL).get(1).price());
  }

  @Test
  void a_repeat_of_a_stored_key_is_a_repeat_not_a_second_replacement() {
    SourceName csv = SourceName.of("acct");
    store.createSource(csv, SourceKind.VENDOR, null);
    store.write(csv, Timeframe.MIN_1, List.of(bar("IBM", "2025-01-15T14:30:00Z", "10", csv)).iterator());
    WriteResult w = store.write(csv, Timeframe.MIN_1, List.of(bar("IBM", "2025-01-15T14:30:00Z", "11", csv),
        bar("IBM", "2025-01-15T14:30:00Z", "12", csv)).iterator());
    assertEquals(0, w.added(), w.toString());
    assertEquals(1, w.replaced(), w.toString());
    assertEquals(1, w.repeated(), w.toString());
    assertEquals(new BigDecimal("12.0000"), store.last(csv, Symbol.of("IBM")).orElseThrow().price());
  }

  @Test
  void replace_reports_the_rows_it_removed_first() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    store.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 4, SYN).iterator());
    WriteResult w = store.replace(SYN, Timeframe.MIN_1, BarFilter.of(Symbol.of("AAPL")),
        minutes("AAPL", "2025-01-15T14:30:00Z", 2, SYN).iterator());
    assertEquals(4, w.removed());
    assertEquals(2, w.added());
    assertEquals(2, store.stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void open_close_or_vwap_outside_low_high_are_stored_as_delivered_and_counted() {
    SourceName yahoo = SourceName.of("yahoo");
    store.createSource(yahoo, SourceKind.VENDOR, null);
    Bar openAbove = bar("VOD.L", "2025-01-15T00:00:00Z", "10.5", "10.4", "10.0", "10.2", 5, yahoo);
    Bar closeBelow = bar("VOD.L", "2025-01-16T00:00:00Z", "10.2", "10.4", "10.0", "9.9", 5, yahoo);
    Bar vwapOut = Bar.ohlcv(Symbol.of("VOD.L"), Instant.parse("2025-01-17T00:00:00Z"), new BigDecimal("10.1"),
        new BigDecimal("10.4"), new BigDecimal("10.0"), new BigDecimal("10.2"), 5, 1, new BigDecimal("11"), yahoo);
    Bar fine = bar("VOD.L", "2025-01-20T00:00:00Z", "10.1", "10.4", "10.0", "10.2", 5, yahoo);
    WriteResult w = store.write(yahoo, Timeframe.MIN_1, List.of(openAbove, closeBelow, vwapOut, fine).iterator());
    assertEquals(4, w.added());
    assertEquals(3, w.flawed());
    assertTrue(w.firstFlaw().contains("row 1") && w.firstFlaw().contains("open 10.5"), w.firstFlaw());
    assertTrue(w.flawNote().startsWith("3 bars have open/close/vwap outside [low, high]: kept"), w.flawNote());
    List<Bar> stored = readAll(yahoo, BarFilter.ALL);
    assertEquals(new BigDecimal("10.5000"), stored.get(0).open());
    assertEquals(new BigDecimal("9.9000"), stored.get(1).close());
    assertEquals(new BigDecimal("11.0000"), stored.get(2).vwap());
  }

  @Test
  void generated_sources_stay_strict_and_what_cannot_be_a_bar_is_still_refused() {
    store.createSource(SYN, SourceKind.GENERATED, null);
    Bar flawed = bar("AAPL", "2025-01-15T14:30:00Z", "10.5", "10.4", "10.0", "10.2", 5, SYN);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> store.write(SYN, Timeframe.MIN_1, List.of(flawed).iterator()));
    assertTrue(e.getMessage().contains("open 10.5 is above high 10.4"), e.getMessage());
    SourceName v = SourceName.of("vend");
    store.createSource(v, SourceKind.VENDOR, null);
    Bar highBelowLow = bar("AAPL", "2025-01-15T14:30:00Z", "10", "9", "9.5", "9.2", 5, v);
    e = assertThrows(InvalidInputException.class, () -> store.write(v, Timeframe.MIN_1, List.of(highBelowLow).iterator()));
    assertTrue(e.getMessage().contains("low 9.5 is above high 9"), e.getMessage());
    assertEquals(0, store.stats(SYN, BarFilter.ALL).rows() + store.stats(v, BarFilter.ALL).rows());
  }
}
