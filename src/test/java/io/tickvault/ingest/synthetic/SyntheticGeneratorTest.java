package io.tickvault.ingest.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarRules;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
  static final ZoneId NY = ZoneId.of("America/New_York");

  static List<Bar> gen(long seed, String sym, String from, String to, Timeframe tf, boolean allHours) {
    List<Bar> out = new ArrayList<>();
    new SyntheticGenerator(seed).bars(Symbol.of(sym), LocalDate.parse(from), LocalDate.parse(to), tf, allHours,
        SourceName.SYNTHETIC).forEachRemaining(out::add);
    return out;
  }

  @Test
  void same_seed_gives_the_same_bars_and_another_seed_does_not() {
    assertEquals(gen(7, "AAPL", "2025-01-13", "2025-01-17", Timeframe.MIN_1, false),
        gen(7, "AAPL", "2025-01-13", "2025-01-17", Timeframe.MIN_1, false));
    assertNotEquals(gen(7, "AAPL", "2025-01-13", "2025-01-13", Timeframe.MIN_1, false),
        gen(8, "AAPL", "2025-01-13", "2025-01-13", Timeframe.MIN_1, false));
  }

  @Test
  void every_bar_passes_the_validation_gate_with_vwap_inside_the_range() {
    for (Timeframe tf : Timeframe.values()) {
      for (Bar b : gen(1, "MSFT", "2025-01-01", "2025-03-31", tf, false)) {
        assertNull(BarRules.problem(b), b.toString());
        assertTrue(b.vwap().compareTo(b.low()) >= 0 && b.vwap().compareTo(b.high()) <= 0, b.toString());
        assertEquals(4, b.price().scale());
        assertTrue(b.volume() >= 0 && (b.volume() == 0) == (b.tradeCount() == 0), b.toString());
      }
    }
  }

  @Test
  void stock_symbols_trade_regular_hours_on_weekdays() {
    List<Bar> bars = gen(3, "AAPL", "2025-01-15", "2025-01-20", Timeframe.MIN_1, false); // Wed..Mon
    assertEquals(4 * 390, bars.size());
    for (Bar b : bars) {
      LocalTime t = LocalTime.ofInstant(b.timestamp(), NY);
      DayOfWeek d = b.timestamp().atZone(NY).getDayOfWeek();
      assertTrue(!t.isBefore(LocalTime.of(9, 30)) && t.isBefore(LocalTime.of(16, 0)), b.toString());
      assertTrue(d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY, b.toString());
    }
    assertEquals(Instant.parse("2025-01-15T14:30:00Z"), bars.get(0).timestamp());
    // summer time moves the open to 13:30 UTC
    assertEquals(Instant.parse("2025-07-01T13:30:00Z"),
        gen(3, "AAPL", "2025-07-01", "2025-07-01", Timeframe.MIN_5, false).get(0).timestamp());
  }

  @Test
  void daily_bars_are_stamped_at_new_york_midnight_and_crypto_trades_around_the_clock() {
    List<Bar> days = gen(3, "SPY", "2025-01-13", "2025-01-19", Timeframe.DAY_1, false);
    assertEquals(5, days.size());
    assertEquals(Instant.parse("2025-01-13T05:00:00Z"), days.get(0).timestamp());
    assertEquals(24 * 60 * 2, gen(3, "BTC/USD", "2025-01-18", "2025-01-19", Timeframe.MIN_1, false).size());
    assertEquals(48, gen(3, "AAPL", "2025-01-18", "2025-01-19", Timeframe.HOUR_1, true).size());
  }

  @Test
  void count_matches_the_bars_produced() {
    SyntheticGenerator g = new SyntheticGenerator(5);
    assertEquals(gen(5, "AAPL", "2025-01-01", "2025-01-31", Timeframe.MIN_15, false).size(),
        g.count(Symbol.of("AAPL"), LocalDate.parse("2025-01-01"), LocalDate.parse("2025-01-31"), Timeframe.MIN_15, false));
  }
}
