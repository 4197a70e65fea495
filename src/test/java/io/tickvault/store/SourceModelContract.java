package io.tickvault.store;

import static io.tickvault.testing.Bars.bar;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.WidthMismatchException;
import io.tickvault.source.SourceService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The source model on every engine: one bar width and one market time zone per source, bars on
 * the width's grid in that zone, and stores made before the model upgraded without rewriting.
 */
@Timeout(120)
public abstract class SourceModelContract {
  static final SourceName ALPACA = SourceName.ALPACA;
  static final SourceName HK = SourceName.of("hkex");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId HONG_KONG = ZoneId.of("Asia/Hong_Kong");

  protected BarStore store;

  /** A fresh, empty store; called again (after close) to reopen the same store. */
  protected abstract BarStore openStore(boolean fresh);

  /** A plain JDBC connection to the store, standing in for an older tickvault or a person. */
  protected abstract Connection plainSql() throws SQLException;

  /** SQL inserting one bar of price 10 at {@code t} (engine encoding). */
  protected abstract String plainInsert(String table, String symbol, Instant t);

  @BeforeEach
  void open() {
    store = openStore(true);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = plainSql(); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  /** Daily bars of {@code symbol} at local midnight of each day in {@code zone}. */
  static List<Bar> days(String symbol, ZoneId zone, SourceName origin, String... dates) {
    List<Bar> out = new ArrayList<>();
    for (int i = 0; i < dates.length; i++) {
      out.add(bar(symbol, LocalDate.parse(dates[i]).atStartOfDay(zone).toInstant().toString(), "10" + i, origin));
    }
    return out;
  }

  @Test
  void the_first_write_records_the_width_and_another_width_is_refused_naming_both_and_the_way_out() {
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    assertNull(store.requireSource(ALPACA).width());
    assertEquals(NEW_YORK, store.requireSource(ALPACA).zone(), "the default zone");
    store.write(ALPACA, Timeframe.DAY_1, days("AAPL", NEW_YORK, ALPACA, "2024-01-02", "2024-01-03").iterator());
    assertEquals(Timeframe.DAY_1, store.requireSource(ALPACA).width());

    WidthMismatchException e = assertThrows(WidthMismatchException.class, () -> store.write(ALPACA, Timeframe.MIN_1,
        minutes("AAPL", "2024-01-02T14:30:00Z", 3, ALPACA).iterator()));
    assertEquals("alpaca holds 1Day bars; write 1Min bars into another source: --into alpaca_1min (a source holds "
        + "bars of one width, so that daily candles never add daily bars to minute bars); nothing was written",
        e.message("--into"));
    assertEquals(2, store.stats(ALPACA, BarFilter.ALL).rows(), "nothing was written");
    // replace is a write too
    assertThrows(WidthMismatchException.class, () -> store.replace(ALPACA, Timeframe.MIN_1, BarFilter.ALL,
        minutes("AAPL", "2024-01-02T14:30:00Z", 3, ALPACA).iterator()));
    assertEquals(2, store.stats(ALPACA, BarFilter.ALL).rows(), "the clear was rolled back");
  }

  @Test
  void create_with_a_width_and_zone_records_them_and_a_different_width_is_refused_once_it_holds_bars() {
    store.createSource(HK, SourceKind.VENDOR, "HKEX", Timeframe.DAY_1, HONG_KONG);
    SourceRecord r = store.requireSource(HK);
    assertEquals(Timeframe.DAY_1, r.width());
    assertEquals(HONG_KONG, r.zone());
    store.write(HK, Timeframe.DAY_1, days("0005.HK", HONG_KONG, HK, "2024-03-01", "2024-03-04").iterator());
    assertThrows(WidthMismatchException.class,
        () -> store.createSource(HK, SourceKind.VENDOR, null, Timeframe.MIN_1, null));
    InvalidInputException z = assertThrows(InvalidInputException.class,
        () -> store.createSource(HK, SourceKind.VENDOR, null, null, NEW_YORK));
    assertTrue(z.getMessage().contains("zone cannot change"), z.getMessage());
    // idempotent without a model, and the model stays
    store.createSource(HK, SourceKind.VENDOR, null);
    assertEquals(HONG_KONG, store.requireSource(HK).zone());
  }

  @Test
  void bars_off_the_grid_are_refused_with_the_bar_named_and_nothing_written() {
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    List<Bar> bars = new ArrayList<>(minutes("AAPL", "2024-01-02T14:30:00Z", 3, ALPACA));
    bars.add(bar("AAPL", "2024-01-02T14:33:30Z", "10", ALPACA));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> store.write(ALPACA, Timeframe.MIN_1, bars.iterator()));
    assertTrue(e.getMessage().startsWith("rejected row 4 [symbol=AAPL]: timestamp 2024-01-02T14:33:30Z "
        + "(2024-01-02 09:33:30 Tue in America/New_York) is not on the 1Min grid"), e.getMessage());
    assertEquals(0, store.stats(ALPACA, BarFilter.ALL).rows());
    assertNull(store.requireSource(ALPACA).width(), "a refused first write records no width");

    SourceName hourly = SourceName.of("hourly");
    store.createSource(hourly, SourceKind.VENDOR, null, Timeframe.HOUR_1, null);
    assertThrows(InvalidInputException.class, () -> store.write(hourly, Timeframe.HOUR_1,
        List.of(bar("AAPL", "2024-01-02T14:30:00Z", "10", hourly)).iterator()));
    store.write(hourly, Timeframe.HOUR_1, List.of(bar("AAPL", "2024-01-02T15:00:00Z", "10", hourly)).iterator());
  }

  @Test
  void a_utc_midnight_daily_bar_is_off_grid_for_a_new_york_source_and_the_message_suggests_the_zone() {
    SourceName crypto = SourceName.of("crypto");
    store.createSource(crypto, SourceKind.VENDOR, null, Timeframe.DAY_1, null);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.write(crypto, Timeframe.DAY_1,
        List.of(bar("BTC/USD", "2024-01-02T00:00:00Z", "42000", crypto)).iterator()));
    assertTrue(e.getMessage().contains("is not on the 1Day grid of America/New_York: daily bars start at local "
        + "midnight of their session date; it is midnight in UTC") && e.getMessage().contains("--timezone UTC"),
        e.getMessage());
    SourceName utc = SourceName.of("crypto_utc");
    store.createSource(utc, SourceKind.VENDOR, null, Timeframe.DAY_1, ZoneId.of("UTC"));
    store.write(utc, Timeframe.DAY_1, List.of(bar("BTC/USD", "2024-01-02T00:00:00Z", "42000", utc)).iterator());
    assertEquals(1, store.stats(utc, BarFilter.ALL).rows());
  }

  @Test
  void daily_bars_across_both_daylight_saving_changes_sit_on_local_midnight() {
    SourceName ny = SourceName.of("nyse");
    store.createSource(ny, SourceKind.VENDOR, null);
    // New York: spring forward 2024-03-10, fall back 2024-11-03; midnight is 05:00Z, then 04:00Z, then 05:00Z
    List<Bar> bars = days("SPY", NEW_YORK, ny, "2024-03-08", "2024-03-11", "2024-11-01", "2024-11-04");
    assertEquals(Instant.parse("2024-03-08T05:00:00Z"), bars.get(0).timestamp());
    assertEquals(Instant.parse("2024-03-11T04:00:00Z"), bars.get(1).timestamp());
    store.write(ny, Timeframe.DAY_1, bars.iterator());
    SourceName xetra = SourceName.of("xetra");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    store.createSource(xetra, SourceKind.VENDOR, null, null, berlin);
    store.write(xetra, Timeframe.DAY_1, days("SAP", berlin, xetra, "2024-03-29", "2024-04-02", "2024-10-25",
        "2024-10-28").iterator());
    assertEquals(4, store.stats(xetra, BarFilter.ALL).rows());
    // the UTC midnight of a day after the spring change is 02:00 in Berlin: off the grid
    assertThrows(InvalidInputException.class, () -> store.write(xetra, Timeframe.DAY_1,
        List.of(bar("SAP", "2024-04-03T00:00:00Z", "10", xetra)).iterator()));
  }

  @Test
  void a_store_made_before_the_model_records_widths_marks_mixed_sources_and_rewrites_nothing() throws SQLException {
    SourceName minute = SourceName.of("minute");
    SourceName daily = SourceName.of("daily_utc");
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    store.createSource(minute, SourceKind.VENDOR, null);
    store.createSource(daily, SourceKind.VENDOR, null);
    store.createSource(SourceName.of("empty"), SourceKind.VENDOR, null);
    // as tickvault used to let it happen: AAPL minute bars and AAPL, MSFT daily bars in one table
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2024-01-02T14:30:00Z", 30, ALPACA).iterator());
    store.write(minute, Timeframe.MIN_1, minutes("AAPL", "2024-01-02T14:30:00Z", 30, minute).iterator());
    store.close();
    List<String> legacy = new ArrayList<>();
    for (String d : List.of("2024-01-02", "2024-01-03")) {
      Instant midnight = LocalDate.parse(d).atStartOfDay(NEW_YORK).toInstant();
      legacy.add(plainInsert(ALPACA.tableName(), "AAPL", midnight));
      legacy.add(plainInsert(ALPACA.tableName(), "MSFT", midnight));
      legacy.add(plainInsert(daily.tableName(), "BTC/USD", LocalDate.parse(d).atStartOfDay(ZoneId.of("UTC"))
          .toInstant()));
    }
    legacy.add("UPDATE tickvault_sources SET timeframe = NULL, timezone = NULL, mixed = NULL");
    legacy.add("UPDATE tickvault_meta SET value = '2' WHERE key = 'schema_version'");
    sql(legacy.toArray(String[]::new));

    store = openStore(false);
    SourceRecord a = store.requireSource(ALPACA);
    assertNull(a.width());
    assertTrue(a.mixed() != null && a.mixed().contains("4 bars at local midnight") && a.mixed().contains("1Min"),
        String.valueOf(a.mixed()));
    assertEquals("mixed", a.widthLabel());
    assertEquals(Timeframe.MIN_1, store.requireSource(minute).width());
    assertEquals(Timeframe.DAY_1, store.requireSource(daily).width());
    assertEquals(ZoneId.of("UTC"), store.requireSource(daily).zone(), "UTC-midnight daily bars: a UTC source");
    assertNull(store.requireSource(SourceName.of("empty")).width());
    assertEquals(34, store.stats(ALPACA, BarFilter.ALL).rows(), "nothing rewritten");

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.write(ALPACA, Timeframe.MIN_1,
        minutes("AAPL", "2024-01-03T14:30:00Z", 3, ALPACA).iterator()));
    assertTrue(e.getMessage().contains("is marked mixed") && e.getMessage().contains("docs/sources.md"),
        e.getMessage());
    assertEquals(34, store.stats(ALPACA, BarFilter.ALL).rows());

    // split: the daily bars go to their own source, then leave the mixed one
    SourceService service = new SourceService(store);
    SourceName alpacaDay = SourceName.of("alpaca_1day");
    store.createSource(alpacaDay, SourceKind.VENDOR, null);
    assertEquals(4, service.split(ALPACA, alpacaDay, Timeframe.DAY_1).rows());
    assertEquals(Timeframe.DAY_1, store.requireSource(alpacaDay).width());
    assertEquals(4, service.cleanWidth(ALPACA, Timeframe.DAY_1));
    SourceRecord after = store.requireSource(ALPACA);
    assertNull(after.mixed());
    assertEquals(Timeframe.MIN_1, after.width());
    assertEquals(30, store.stats(ALPACA, BarFilter.ALL).rows());
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2024-01-03T14:30:00Z", 3, ALPACA).iterator());
  }

  @Test
  void migrate_carries_the_width_and_a_target_of_another_width_is_refused() {
    SourceName test = SourceName.TEST;
    store.createSource(ALPACA, SourceKind.VENDOR, null);
    store.createSource(test, SourceKind.VENDOR, null, Timeframe.DAY_1, null);
    store.write(ALPACA, Timeframe.MIN_1, minutes("AAPL", "2024-01-02T14:30:00Z", 5, ALPACA).iterator());
    SourceService service = new SourceService(store);
    WidthMismatchException e = assertThrows(WidthMismatchException.class,
        () -> service.migrate(ALPACA, test, null, io.tickvault.domain.TimeRange.ALL, false));
    assertEquals(Timeframe.DAY_1, e.held());
    assertEquals(Timeframe.MIN_1, e.offered());
    assertEquals(0, store.stats(test, BarFilter.ALL).rows());
    SourceName backup = SourceName.of("backup");
    store.createSource(backup, SourceKind.VENDOR, null);
    service.migrate(ALPACA, backup, null, io.tickvault.domain.TimeRange.ALL, false);
    assertEquals(Timeframe.MIN_1, store.requireSource(backup).width());
  }

  private List<Candle> candles(SourceName source, String symbol, Timeframe width) {
    List<Candle> out = new ArrayList<>();
    store.aggregate(source, io.tickvault.domain.Symbol.of(symbol), io.tickvault.domain.TimeRange.ALL, width, out::add);
    return out;
  }

  /** Hourly bars of {@code symbol} every hour from {@code from} (inclusive) to {@code to} (exclusive), price 10. */
  private static List<Bar> hours(String symbol, SourceName origin, String from, String to) {
    List<Bar> out = new ArrayList<>();
    for (Instant t = Instant.parse(from); t.isBefore(Instant.parse(to)); t = t.plusSeconds(3600)) {
      out.add(bar(symbol, t.toString(), "10", origin));
    }
    return out;
  }

  @Test
  void daily_candles_of_a_hong_kong_source_fall_on_its_dates() {
    store.createSource(HK, SourceKind.VENDOR, null, Timeframe.DAY_1, HONG_KONG);
    store.write(HK, Timeframe.DAY_1, days("0005.HK", HONG_KONG, HK, "2024-03-04", "2024-03-05", "2024-03-08",
        "2024-03-11").iterator());
    List<Candle> d = candles(HK, "0005.HK", Timeframe.DAY_1);
    assertEquals(List.of("2024-03-04", "2024-03-05", "2024-03-08", "2024-03-11"),
        d.stream().map(c -> LocalDate.ofInstant(c.time(), HONG_KONG).toString()).toList());
    assertEquals(Instant.parse("2024-03-03T16:00:00Z"), d.get(0).time(), "local midnight, the day before in UTC");
    // weeks start on Monday, months on the 1st, both at local midnight
    List<Candle> w = candles(HK, "0005.HK", Timeframe.WEEK_1);
    assertEquals(List.of(Instant.parse("2024-03-03T16:00:00Z"), Instant.parse("2024-03-10T16:00:00Z")),
        w.stream().map(Candle::time).toList());
    assertEquals(300, w.get(0).volume(), "three daily bars in the first week");
    List<Candle> m = candles(HK, "0005.HK", Timeframe.MONTH_1);
    assertEquals(List.of(Instant.parse("2024-02-29T16:00:00Z")), m.stream().map(Candle::time).toList());
    assertEquals(400, m.get(0).volume());
  }

  @Test
  void new_york_days_are_cut_at_local_midnight_across_both_daylight_saving_changes() {
    SourceName ny = SourceName.of("ny_hourly");
    store.createSource(ny, SourceKind.VENDOR, null, Timeframe.HOUR_1, NEW_YORK);
    // 2024-03-10 has 23 hours in New York, 2024-11-03 has 25
    store.write(ny, Timeframe.HOUR_1, hours("SPY", ny, "2024-03-09T05:00:00Z", "2024-03-12T04:00:00Z").iterator());
    store.write(ny, Timeframe.HOUR_1, hours("SPY", ny, "2024-11-02T04:00:00Z", "2024-11-05T05:00:00Z").iterator());
    List<Candle> d = candles(ny, "SPY", Timeframe.DAY_1);
    assertEquals(List.of("2024-03-09", "2024-03-10", "2024-03-11", "2024-11-02", "2024-11-03", "2024-11-04"),
        d.stream().map(c -> LocalDate.ofInstant(c.time(), NEW_YORK).toString()).toList());
    assertEquals(List.of(100L * 24, 100L * 23, 100L * 24, 100L * 24, 100L * 25, 100L * 24),
        d.stream().map(Candle::volume).toList(), "every hour in its own local day, none twice");
    assertEquals(Instant.parse("2024-03-11T04:00:00Z"), d.get(2).time(), "midnight after spring forward: 04:00Z");
    assertEquals(Instant.parse("2024-11-04T05:00:00Z"), d.get(5).time(), "midnight after fall back: 05:00Z");
  }

  @Test
  void european_days_are_cut_at_local_midnight_across_both_daylight_saving_changes() {
    SourceName eu = SourceName.of("eu_hourly");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    store.createSource(eu, SourceKind.VENDOR, null, Timeframe.HOUR_1, berlin);
    // 2024-03-31 has 23 hours in Berlin, 2024-10-27 has 25
    store.write(eu, Timeframe.HOUR_1, hours("SAP", eu, "2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z").iterator());
    store.write(eu, Timeframe.HOUR_1, hours("SAP", eu, "2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z").iterator());
    List<Candle> d = candles(eu, "SAP", Timeframe.DAY_1);
    assertEquals(List.of(Instant.parse("2024-03-30T23:00:00Z"), Instant.parse("2024-10-26T22:00:00Z")),
        d.stream().map(Candle::time).toList());
    assertEquals(List.of(2300L, 2500L), d.stream().map(Candle::volume).toList());
    // hourly candles through the autumn change: the two 02:00 local hours stay two candles
    List<Candle> h = candles(eu, "SAP", Timeframe.HOUR_1);
    assertEquals(23 + 25, h.size());
  }

  @Test
  void intraday_candles_are_aligned_on_local_time() {
    SourceName nse = SourceName.of("nse");
    ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // UTC+05:30: local hours start at :30 UTC
    store.createSource(nse, SourceKind.VENDOR, null, Timeframe.MIN_15, kolkata);
    List<Bar> bars = new ArrayList<>();
    for (Instant t = Instant.parse("2024-03-04T03:45:00Z"); t.isBefore(Instant.parse("2024-03-04T06:00:00Z"));
        t = t.plusSeconds(900)) {
      bars.add(bar("INFY", t.toString(), "10", nse));
    }
    store.write(nse, Timeframe.MIN_15, bars.iterator());
    List<Candle> h = candles(nse, "INFY", Timeframe.HOUR_1);
    assertEquals(List.of("2024-03-04T03:30:00Z", "2024-03-04T04:30:00Z", "2024-03-04T05:30:00Z"),
        h.stream().map(c -> c.time().toString()).toList(), "09:00, 10:00 and 11:00 in Kolkata");
    assertEquals(List.of(300L, 400L, 200L), h.stream().map(Candle::volume).toList());
  }
}
