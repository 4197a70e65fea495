package io.tickvault.ingest.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.source.MixingRefusedException;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV import into a real store of each engine (subclasses supply a fresh one). */
public abstract class CsvImportContract {
  static final SourceName MINE = SourceName.of("mine");
  static final Symbol AAPL = Symbol.of("AAPL");

  @TempDir
  protected Path dir;

  protected BarStore store;
  CsvImportService service;

  /** A fresh, empty store of the engine under test. */
  protected abstract BarStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    service = new CsvImportService(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Path fixture(String name) {
    try (InputStream in = getClass().getResourceAsStream("/vendors/csv/" + name)) {
      Path p = dir.resolve(name);
      Files.copy(in, p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path file(String name, String... lines) {
    try {
      Path p = dir.resolve(name);
      Files.write(p, List.of(lines), StandardCharsets.UTF_8);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CsvImportOptions opts(String symbol) {
    return new CsvImportOptions(MINE, symbol == null ? null : Symbol.of(symbol), null, false, null);
  }

  /** Options with the bar width given, for files whose width cannot be told from their timestamps. */
  static CsvImportOptions opts(String symbol, Timeframe width) {
    return new CsvImportOptions(MINE, symbol == null ? null : Symbol.of(symbol), null, false, null, width);
  }

  CsvImportReport run(Path file, CsvImportOptions o) {
    return service.importFile(file, o, null);
  }

  List<Bar> stored() {
    List<Bar> out = new ArrayList<>();
    store.read(MINE, BarFilter.ALL, out::add);
    return out;
  }

  static Bar bar(String symbol, String t, String o, String h, String l, String c, long v, int n, String vw) {
    return Bar.ohlcv(Symbol.of(symbol), Instant.parse(t), new BigDecimal(o), new BigDecimal(h), new BigDecimal(l),
        new BigDecimal(c), v, n, vw == null ? null : new BigDecimal(vw), MINE).normalized();
  }

  @Test
  void the_tickvault_layout_is_recognised_and_stored_exactly_with_origin_the_target() {
    CsvImportReport r = run(fixture("tickvault.csv"), opts(null, Timeframe.MIN_1));
    assertEquals(CsvLayout.TICKVAULT, r.layout());
    assertEquals(3, r.rows());
    assertEquals(List.of(Symbol.of("AAPL"), Symbol.of("MSFT")), r.symbols());
    assertTrue(r.createdSource());
    assertEquals(List.of(
        bar("AAPL", "2024-01-02T14:30:00Z", "187.15", "188.44", "183.885", "185.64", 82488674, 0, null),
        bar("AAPL", "2024-01-03T14:30:00Z", "184.22", "185.88", "183.43", "184.25", 58414460, 0, null),
        bar("MSFT", "2024-01-02T14:30:00Z", "373.86", "375.9", "366.77", "370.87", 25258637, 0, null)), stored());
    assertEquals(SourceKind.VENDOR, store.requireSource(MINE).kind());
    IngestRecord log = store.ingestLog(MINE, 1).get(0);
    assertEquals("mine", log.origin());
    assertEquals(io.tickvault.store.IngestStatus.OK, log.status());
    assertEquals(3, log.rows());
    assertTrue(log.detail().contains("tickvault.csv (tickvault layout): AAPL,MSFT"), log.detail());
  }

  @Test
  void mixed_case_headers_crlf_and_optional_trade_count_and_vwap_are_read() {
    CsvImportReport r = run(fixture("tickvault-full.csv"), opts(null, Timeframe.MIN_1));
    assertEquals(CsvLayout.TICKVAULT, r.layout());
    assertEquals(List.of(
        bar("AAPL", "2024-01-02T14:30:00Z", "187.15", "188.44", "183.885", "185.64", 82488674, 1008871, "185.9465"),
        bar("AAPL", "2024-01-03T14:30:00Z", "184.22", "185.88", "183.43", "184.25", 58414460, 656853, null)), stored());
  }

  @Test
  void the_yahoo_layout_needs_a_symbol_stamps_days_at_new_york_midnight_and_rounds_float_artifacts() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(fixture("yahoo.csv"), opts(null)));
    assertTrue(e.getMessage().contains("no symbol column (layout Yahoo") && e.getMessage().contains("--symbol"),
        e.getMessage());
    CsvImportReport r = run(dir.resolve("yahoo.csv"), opts("AAPL"));
    assertEquals(CsvLayout.YAHOO, r.layout());
    assertEquals(List.of("Adj Close"), r.ignoredColumns());
    assertEquals(ZoneId.of("America/New_York"), r.zone());
    assertEquals(11, r.roundedPrices()); // 12 prices, but 184.250000 only loses zeros
    List<Bar> s = stored();
    assertEquals(bar("AAPL", "2024-01-02T05:00:00Z", "187.15", "188.44", "183.89", "185.64", 82488700, 0, null),
        s.get(0));
    assertEquals(Instant.parse("2024-01-04T05:00:00Z"), s.get(2).timestamp());
  }

  @Test
  void polygon_and_alpaca_exports_are_recognised_with_their_time_forms_and_volume_spellings() {
    CsvImportReport p = run(fixture("polygon-export.csv"), opts("AAPL"));
    assertEquals(CsvLayout.VENDOR_EXPORT, p.layout());
    List<Bar> s = stored();
    assertEquals(bar("AAPL", "2024-01-02T05:00:00Z", "187.15", "188.44", "183.885", "185.64", 82488674, 1008871,
        "185.9465"), s.get(0));
    assertEquals(58414460, s.get(1).volume());

    store.delete(MINE, BarFilter.ALL);
    CsvImportReport a = run(fixture("alpaca-export.csv"), opts("AAPL"));
    assertEquals(CsvLayout.VENDOR_EXPORT, a.layout());
    s = stored();
    assertEquals(Instant.parse("2024-01-03T05:00:00Z"), s.get(1).timestamp());
    assertEquals(new BigDecimal("185.9465"), s.get(0).vwap()); // 185.946542, rounded half-even
  }

  @Test
  void eight_digit_dates_are_yyyymmdd_never_1970_epoch_seconds() {
    Path f = file("basic.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL,20250115,10,11,9,10.5,100");
    run(f, opts(null, Timeframe.DAY_1));
    assertEquals(Instant.parse("2025-01-15T05:00:00Z"), stored().get(0).timestamp());
    Path bad = file("bad-basic.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL,20251399,10,11,9,10.5,100");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(bad, opts(null)));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("YYYYMMDD"), e.getMessage());
  }

  @Test
  void every_date_form_is_read_in_the_given_zone() {
    Path f = file("forms.csv", "symbol,timestamp,open,high,low,close,volume",
        "A2,2024-01-02T14:30:00Z,10,11,9,10.5,100",
        "A3,2024-01-02T09:30:00-05:00,10,11,9,10.5,100",
        "A4,2024-01-02T09:31:00,10,11,9,10.5,100",
        "A5,2024-01-02 09:32:00,10,11,9,10.5,100",
        "A6,1704205980,10,11,9,10.5,100",
        "A7,1704206040000,10,11,9,10.5,100",
        "A8,2024-07-01T09:30:00.000,10,11,9,10.5,100");
    run(f, opts(null, Timeframe.MIN_1));
    List<Instant> t = stored().stream().map(Bar::timestamp).toList();
    assertEquals(List.of("2024-01-02T14:30:00Z", "2024-01-02T14:30:00Z",
        "2024-01-02T14:31:00Z", "2024-01-02T14:32:00Z", "2024-01-02T14:33:00Z", "2024-01-02T14:34:00Z",
        "2024-07-01T13:30:00Z").stream().map(Instant::parse).toList(), t);
    // a date alone is a daily bar: local midnight of that date
    Path d = file("day.csv", "symbol,timestamp,open,high,low,close,volume", "A1,2024-01-02,10,11,9,10.5,100");
    SourceName days = SourceName.of("mine_1day");
    service.importFile(d, new CsvImportOptions(days, null, null, false, null, Timeframe.DAY_1), null);
    assertEquals(Instant.parse("2024-01-02T05:00:00Z"), store.last(days, Symbol.of("A1")).orElseThrow().timestamp());

    // a sub-minute time is on no bar width's grid: refused with its line
    Path sub = file("sub.csv", "symbol,timestamp,open,high,low,close,volume",
        "A8,2024-07-01T09:30:00.250,10,11,9,10.5,100");
    InvalidInputException off = assertThrows(InvalidInputException.class,
        () -> run(sub, opts(null, Timeframe.MIN_1)));
    assertTrue(off.getMessage().contains("line 2") && off.getMessage().contains("not on the 1Min grid"),
        off.getMessage());

    store.delete(MINE, BarFilter.ALL);
    service.importFile(f, new CsvImportOptions(MINE, null, ZoneId.of("UTC"), false, null, Timeframe.MIN_1), null);
    List<Instant> utc = stored().stream().map(Bar::timestamp).toList();
    assertEquals(Instant.parse("2024-01-02T09:31:00Z"), utc.get(2));
    assertEquals(Instant.parse("2024-01-02T14:33:00Z"), utc.get(4), "epoch values have no zone");
  }

  @Test
  void a_bad_line_deep_in_the_file_refuses_the_whole_import_naming_its_line() throws IOException {
    Path f = dir.resolve("big.csv");
    try (BufferedWriter w = Files.newBufferedWriter(f)) {
      w.write("symbol,timestamp,open,high,low,close,volume\n");
      Instant t = Instant.parse("2024-01-02T14:30:00Z");
      for (int line = 2; line <= 2000; line++) {
        String high = line == 1234 ? "8.5" : "11"; // high below low on line 1234
        w.write("AAPL," + t.plusSeconds(60L * line) + ",10," + high + ",9,10.5," + line + "\n");
      }
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(f, opts(null)));
    assertTrue(e.getMessage().startsWith("big.csv line 1234: low 9 is above high 8.5"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was imported") && e.getMessage().contains("--skip-bad-rows"),
        e.getMessage());
    // the 1,232 good rows before it were rolled back, and the source the import created is not left behind
    assertTrue(store.source(MINE).filter(x -> x.tableExists()).isEmpty());
    assertEquals(io.tickvault.store.IngestStatus.FAILED, store.ingestLog(MINE, 1).get(0).status());
  }

  @Test
  void skip_bad_rows_imports_the_rest_and_lists_the_skipped_lines() {
    Path f = file("messy.csv", "Date,Open,High,Low,Close,Adj Close,Volume",
        "2024-01-02,187.15,188.44,183.89,185.64,185.15,82488700",
        "2024-01-03,null,null,null,null,null,null",
        "",
        "2024-01-04,182.15,183.09,180.88,181.91,181.43,-5",
        "2024-01-05,181.99,182.76,180.17,181.18,180.7",
        "01/08/2024,182.09,185.6,181.5,185.56,185.07,59144500",
        "2024-01-09,183.92,185.15,182.73,185.14,184.65,42841800");
    CsvImportReport r = service.importFile(f, new CsvImportOptions(MINE, AAPL, null, true, null, Timeframe.DAY_1),
        null);
    assertEquals(2, r.rows());
    assertEquals(4, r.skippedCount());
    List<CsvImportReport.BadLine> b = r.skipped();
    assertEquals(List.of(3L, 5L, 6L, 7L), b.stream().map(CsvImportReport.BadLine::line).toList());
    assertEquals("open 'null' is not a number", b.get(0).reason());
    assertEquals("volume -5 is negative", b.get(1).reason());
    assertEquals("expected 7 fields like the header, found 6", b.get(2).reason());
    assertTrue(b.get(3).reason().startsWith("timestamp '01/08/2024' is not a date or time"), b.get(3).reason());
  }

  @Test
  void an_empty_file_is_refused_and_a_header_only_file_imports_nothing() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(file("empty.csv"), opts(null)));
    assertTrue(e.getMessage().startsWith("empty.csv is empty: expected a header line"), e.getMessage());
    CsvImportReport r = run(file("header.csv", "symbol,timestamp,open,high,low,close,volume"), opts(null));
    assertEquals(0, r.rows());
    assertEquals(CsvLayout.TICKVAULT, r.layout());
    assertTrue(store.source(MINE).isEmpty(), "nothing imported, no source created");
  }

  @Test
  void an_unknown_header_names_the_layouts_it_knows() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> run(file("odd.csv", "when,price,size", "2024-01-02,10,5"), opts("AAPL")));
    assertTrue(e.getMessage().startsWith("odd.csv line 1: the header 'when,price,size' is not a layout tickvault knows "
        + "(no timestamp, open, high, low, close, volume column)"), e.getMessage());
    assertTrue(e.getMessage().contains("Yahoo") && e.getMessage().contains("t,o,h,l,c,v"), e.getMessage());
  }

  @Test
  void imports_into_alpaca_or_polygon_are_refused() {
    for (SourceName s : List.of(SourceName.ALPACA, SourceName.POLYGON)) {
      MixingRefusedException e = assertThrows(MixingRefusedException.class, () -> service.importFile(
          fixture("tickvault.csv"), new CsvImportOptions(s, null, null, false, null), null));
      assertTrue(e.getMessage().startsWith("refused: " + s + " holds only bars downloaded from"), e.getMessage());
      assertTrue(e.getMessage().contains("--source " + s + "_csv"), e.getMessage());
      assertTrue(store.source(s).isEmpty());
      try {
        Files.delete(dir.resolve("tickvault.csv"));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  @Test
  void kind_generated_creates_a_generated_source_and_a_kind_mismatch_is_refused() {
    CsvImportReport r = service.importFile(fixture("tickvault.csv"), new CsvImportOptions(MINE, null, null, false,
        SourceKind.GENERATED, Timeframe.MIN_1), null);
    assertEquals(3, r.rows());
    assertEquals(SourceKind.GENERATED, store.requireSource(MINE).kind());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.importFile(
        dir.resolve("tickvault.csv"), new CsvImportOptions(MINE, null, null, false, SourceKind.VENDOR), null));
    assertTrue(e.getMessage().contains("mine is a generated source, not vendor"), e.getMessage());
  }

  @Test
  void symbol_option_with_a_symbol_column_imports_only_that_symbol() {
    CsvImportReport r = run(fixture("tickvault.csv"), opts("msft", Timeframe.MIN_1));
    assertEquals(1, r.rows());
    assertEquals(2, r.otherSymbolRows());
    assertEquals(Symbol.of("MSFT"), stored().get(0).symbol());
  }

  @Test
  void quoted_fields_and_a_byte_order_mark_are_read() {
    Path f = file("quoted.csv", "\uFEFF\"symbol\",\"timestamp\",\"open\",\"high\",\"low\",\"close\",\"volume\"",
        "\"BRK.B\",\"2024-01-02T14:30:00Z\",\"360.5\",\"362\",\"359\",\"361.25\",\"1,200\"".replace("1,200", "1200"));
    run(f, opts(null, Timeframe.MIN_1));
    assertEquals(bar("BRK.B", "2024-01-02T14:30:00Z", "360.5", "362", "359", "361.25", 1200, 0, null), stored().get(0));
  }

  @Test
  void volumes_must_be_whole_in_any_spelling() {
    Path f = file("vol.csv", "symbol,timestamp,open,high,low,close,volume",
        "AAPL,2024-01-02T14:30:00Z,10,11,9,10.5,2.4970168e+07",
        "AAPL,2024-01-02T14:31:00Z,10,11,9,10.5,1748755.0",
        "AAPL,2024-01-02T14:32:00Z,10,11,9,10.5,25933.6");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(f, opts(null)));
    assertTrue(e.getMessage().startsWith("vol.csv line 4: volume 25933.6 is not a whole number"), e.getMessage());
    CsvImportReport r = service.importFile(f, new CsvImportOptions(MINE, null, null, true, null), null);
    assertEquals(2, r.rows());
    assertEquals(List.of(24970168L, 1748755L), stored().stream().map(Bar::volume).toList());
  }

  @Test
  void a_price_that_does_not_fit_is_a_bad_line_not_rounded() {
    Path f = file("p.csv", "symbol,timestamp,open,high,low,close,volume",
        "AAPL,2024-01-02T14:30:00Z,10.12345,11,9,10.5,100");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(f, opts(null)));
    assertTrue(e.getMessage().startsWith("p.csv line 2: open 10.12345 has more than 4 decimal places"),
        e.getMessage());
    assertFalse(store.source(MINE).map(s -> store.stats(MINE, BarFilter.ALL).rows() > 0).orElse(false));
  }

  @Test
  void a_repeated_key_keeps_the_last_row() {
    Path f = file("dup.csv", "symbol,timestamp,open,high,low,close,volume",
        "AAPL,2024-01-02T14:30:00Z,10,11,9,10.5,100",
        "AAPL,2024-01-02T14:30:00Z,10,11,9,10.75,200");
    run(f, opts(null, Timeframe.MIN_1));
    List<Bar> s = stored();
    assertEquals(1, s.size());
    assertEquals(200, s.get(0).volume());
    assertNull(s.get(0).vwap());
  }

  // ---- issue 9: DST gap, huge lines and headers, characters that are not ASCII digits --------------

  @Test
  void a_local_time_in_the_spring_gap_is_refused_naming_the_line_and_an_autumn_repeat_is_the_first() {
    Path gap = file("gap.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL,2025-03-09 01:30:00,10,11,9,10,1",
        "AAPL,2025-03-09 02:30:00,10,11,9,10,1");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(gap, opts(null, Timeframe.MIN_1)));
    assertTrue(e.getMessage().startsWith("gap.csv line 3: timestamp 2025-03-09T02:30 does not exist in "
        + "America/New_York (clocks jumped from 02:00 to 03:00 that day)"), e.getMessage());
    assertEquals(List.of(), store.sources().stream().filter(x -> x.name().equals(MINE)).toList());
    Path fall = file("fall.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL,2025-11-02 01:30:00,10,11,9,10,1");
    run(fall, opts(null, Timeframe.MIN_1));
    assertEquals(Instant.parse("2025-11-02T05:30:00Z"), stored().get(0).timestamp()); // 01:30 EDT, the first one
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void a_huge_line_or_a_huge_header_is_a_clean_error_with_memory_bounded() throws Exception {
    Path big = dir.resolve("big-line.csv");
    try (java.io.Writer w = Files.newBufferedWriter(big)) {
      w.write("symbol,timestamp,open,high,low,close,volume\nAAPL,2024-01-02T14:30:00Z,10,11,9,10,1\nAAPL,");
      char[] block = new char[1 << 20];
      java.util.Arrays.fill(block, '7');
      for (int i = 0; i < 200; i++) { // a 200 MB field: more than the test JVM could hold twice as a String
        w.write(block);
      }
      w.write(",1,2,3,4,5\n");
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(big, opts(null)));
    assertTrue(e.getMessage().startsWith("big-line.csv line 3: the line is 209715215 characters long, more than the "
        + "1048576 tickvault reads in one line"), e.getMessage());
    Files.delete(big);
    Path wide = dir.resolve("wide.csv");
    try (java.io.Writer w = Files.newBufferedWriter(wide)) {
      for (int i = 0; i < 2_000_000; i++) {
        w.write(i == 0 ? "c" : ",c");
      }
      w.write("\n");
    }
    e = assertThrows(InvalidInputException.class, () -> run(wide, opts(null)));
    assertTrue(e.getMessage().startsWith("wide.csv line 1 (the header) is 3999999 characters long"), e.getMessage());
    Path cols = file("cols.csv", "c" + ",c".repeat(5000));
    e = assertThrows(InvalidInputException.class, () -> run(cols, opts(null)));
    assertTrue(e.getMessage().startsWith("cols.csv line 1 (the header) has 5001 columns, more than the 1000"),
        e.getMessage());
  }

  @Test
  void arabic_indic_digits_a_nul_or_a_non_ascii_symbol_are_refused_naming_the_character() {
    Path digits = file("d.csv", "symbol,timestamp,open,high,low,close,volume",
        "AAPL,2024-01-02T14:30:00Z,\u0661\u0660,11,9,10,1");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(digits, opts(null)));
    assertTrue(e.getMessage().startsWith("d.csv line 2: open '\u0661\u0660' is not a number (character U+0661"),
        e.getMessage());
    Path nul = file("n.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL\u0000,2024-01-02T14:30:00Z,10,11,9,10,1");
    e = assertThrows(InvalidInputException.class, () -> run(nul, opts(null)));
    assertTrue(e.getMessage().contains("character U+0000"), e.getMessage());
    Path eszett = file("s.csv", "symbol,timestamp,open,high,low,close,volume", "STRA\u00dfE,2024-01-02T14:30:00Z,10,11,9,10,1");
    e = assertThrows(InvalidInputException.class, () -> run(eszett, opts(null)));
    assertTrue(e.getMessage().contains("'\u00df' (U+00DF LATIN SMALL LETTER SHARP S)"), e.getMessage());
  }
}
