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
}
