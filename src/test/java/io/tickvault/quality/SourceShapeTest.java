package io.tickvault.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.calendar.NyseCalendar;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate and backtest take a source's width and zone from the registry; inference from the bars is
 * only the fallback for a source without a recorded width, and says so.
 */
class SourceShapeTest {
  private static final SourceName SPARSE = SourceName.of("sparse");
  private static final Instant NOW = Instant.parse("2024-04-25T12:00:00Z");

  @TempDir
  Path dir;

  /** A 1Min source whose symbol trades every fifth minute: the bars alone look like a 5Min source. */
  private static List<Bar> everyFifthMinute() {
    List<Bar> bars = new ArrayList<>();
    Instant open = LocalDate.parse("2024-04-22").atTime(9, 30).atZone(NyseCalendar.NEW_YORK).toInstant();
    for (int i = 0; i < 390; i += 5) {
      BigDecimal p = new BigDecimal("10.00");
      bars.add(Bar.ohlcv(Symbol.of("THIN"), open.plusSeconds(60L * i), p, p, p, p, 100, 1, p, SPARSE));
    }
    return bars;
  }

  @Test
  void theRegistryDecidesTheWidthNotTheSpacingOfTheBars() throws Exception {
    try (BarStore store = Stores.open(dir.resolve("t.db").toString())) {
      store.createSource(SPARSE, SourceKind.VENDOR, "thin minute bars", Timeframe.MIN_1, NyseCalendar.NEW_YORK);
      store.write(SPARSE, Timeframe.MIN_1, everyFifthMinute().iterator());

      SourceShape shape = SourceShape.of(store, SPARSE, BarFilter.ALL, ZoneId.of("UTC"));
      assertEquals(Timeframe.MIN_1, shape.width());
      assertEquals(NyseCalendar.NEW_YORK, shape.zone());
      assertEquals("from the source registry", shape.how());

      ValidationReport r = Validator.validate(store, SPARSE,
          ValidateOptions.defaults(new NyseCalendar(), NOW));
      assertEquals(Timeframe.MIN_1, r.shape().width());
      // 390 minutes in the session, 78 of them with a bar: the other 312 are missing minute bars
      assertEquals(312, r.symbols().get(0).missingBars(), r.symbols().get(0).toString());
    }
  }

  @Test
  void theZoneOfDayBarsComesFromTheRegistry() throws Exception {
    SourceName hk = SourceName.of("hkex");
    ZoneId hongKong = ZoneId.of("Asia/Hong_Kong");
    try (BarStore store = Stores.open(dir.resolve("t.db").toString())) {
      store.createSource(hk, SourceKind.VENDOR, "daily bars stamped at midnight in Hong Kong", Timeframe.DAY_1,
          hongKong);
      BigDecimal p = new BigDecimal("300.2");
      store.write(hk, Timeframe.DAY_1, List.of(
          Bar.ohlcv(Symbol.of("0700.HK"), LocalDate.parse("2024-04-22").atStartOfDay(hongKong).toInstant(), p, p, p,
              p, 1000, 1, p, hk),
          Bar.ohlcv(Symbol.of("0700.HK"), LocalDate.parse("2024-04-23").atStartOfDay(hongKong).toInstant(), p, p, p,
              p, 1000, 1, p, hk)).iterator());
      SourceShape shape = SourceShape.of(store, hk, BarFilter.ALL, NyseCalendar.NEW_YORK);
      assertEquals(Timeframe.DAY_1, shape.width());
      assertEquals(hongKong, shape.zone(), "not the calendar's New York, not UTC: the source's own zone");
    }
  }

  @Test
  void aTableWithoutARecordedWidthIsInferredAndSaysSo() throws Exception {
    try (BarStore store = Stores.open(dir.resolve("t.db").toString())) {
      store.createSource(SPARSE, SourceKind.VENDOR, "thin minute bars", Timeframe.MIN_1, NyseCalendar.NEW_YORK);
      store.write(SPARSE, Timeframe.MIN_1, everyFifthMinute().iterator());
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
           var st = c.createStatement()) {
        // as a source registered by an earlier version, before widths were recorded
        st.executeUpdate("UPDATE tickvault_sources SET timeframe = NULL WHERE name = 'sparse'");
      }
    }
    try (BarStore store = Stores.open(dir.resolve("t.db").toString())) {
      SourceShape shape = SourceShape.of(store, SPARSE, BarFilter.ALL, NyseCalendar.NEW_YORK);
      assertEquals(Timeframe.MIN_5, shape.width(), "inferred from the spacing: " + shape);
      assertTrue(shape.how().startsWith("the registry records no width; inferred from the first 78 bars"),
          shape.how());
    }
  }
}
