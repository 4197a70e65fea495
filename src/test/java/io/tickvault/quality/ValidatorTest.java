package io.tickvault.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.calendar.DayKind;
import io.tickvault.calendar.NyseCalendar;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate on a crafted SQLite data set: one of each finding, each once with its bar; nothing on clean data. */
class ValidatorTest {
  @TempDir
  Path dir;

  @Test
  void eachFindingIsReportedOnceWithItsBarAndCleanDataReportsNothing() throws Exception {
    Path db = dir.resolve("crafted.db");
    try (BarStore store = Stores.open(db.toString())) {
      CraftedData.write(store, db);
      ValidationReport r = Validator.validate(store, CraftedData.SOURCE, CraftedData.options());
      assertEquals(Timeframe.DAY_1, r.shape().width());
      assertEquals(NyseCalendar.NEW_YORK, r.shape().zone());
      assertEquals(2, r.symbols().size());
      SymbolReport clean = r.symbols().get(0);
      assertEquals(Symbol.of("CLEAN"), clean.symbol());
      assertEquals(List.of(), clean.findings(), "clean data reports nothing");
      assertEquals(0, clean.missingSessions());
      assertEquals(0, clean.missingBars());
      assertTrue(clean.rows() > 70, "rows " + clean.rows());

      SymbolReport flawed = r.symbols().get(1);
      assertEquals(Symbol.of("FLAWED"), flawed.symbol());
      for (Check c : Check.values()) {
        assertEquals(1L, flawed.counts().get(c), c + " reported once: " + flawed.findings());
        Finding f = flawed.findings().stream().filter(x -> x.check() == c).findFirst().orElseThrow();
        if (c == Check.MISSING_SESSION) {
          assertEquals(null, f.bar());
          assertEquals(LocalDate.parse("2024-02-07"), f.day());
        } else {
          assertEquals(CraftedData.EXPECTED.get(c), f.bar(), c + " names its bar: " + f);
        }
      }
      assertEquals(Check.values().length, flawed.findings().size(), flawed.findings().toString());
      assertEquals(1, flawed.missingSessions());
      assertEquals(4, flawed.errors());
      assertEquals(6, flawed.warnings());
      assertTrue(r.failed(false));
      assertTrue(flawed.findings().stream().anyMatch(f -> f.check() == Check.SPLIT_LIKE && f.detail().contains("2:1")));
      assertTrue(flawed.findings().stream().anyMatch(f -> f.check() == Check.NON_SESSION_BAR
          && f.detail().contains("Washington's Birthday")));
    }
  }

  @Test
  void coverageGivesEveryDayWithItsKind() throws Exception {
    Path db = dir.resolve("crafted.db");
    try (BarStore store = Stores.open(db.toString())) {
      CraftedData.write(store, db);
      List<DayCoverage> days = new ArrayList<>();
      Validator.validate(store, CraftedData.SOURCE, CraftedData.options().withSymbol(Symbol.of("FLAWED")),
          (s, d) -> days.add(d), null);
      assertEquals(LocalDate.parse("2024-01-02"), days.get(0).day());
      assertEquals(LocalDate.parse("2024-04-26"), days.get(days.size() - 1).day());
      for (int i = 1; i < days.size(); i++) {
        assertEquals(days.get(i - 1).day().plusDays(1), days.get(i).day(), "consecutive days");
      }
      DayCoverage missing = days.stream().filter(d -> d.day().equals(LocalDate.parse("2024-02-07"))).findFirst()
          .orElseThrow();
      assertEquals(1, missing.expected());
      assertEquals(0, missing.present());
      DayCoverage holiday = days.stream().filter(d -> d.day().equals(LocalDate.parse("2024-02-19"))).findFirst()
          .orElseThrow();
      assertEquals(DayKind.HOLIDAY, holiday.kind());
      assertEquals(1, holiday.outside());
    }
  }

  @Test
  void minuteGapsAreCountedNotListedAndExtendedHoursAreApart() throws Exception {
    Path db = dir.resolve("minutes.db");
    try (BarStore store = Stores.open(db.toString())) {
      store.createSource(CraftedData.SOURCE, io.tickvault.domain.SourceKind.VENDOR, "");
      List<io.tickvault.domain.Bar> bars = new ArrayList<>();
      // 2024-11-29: an early close (13:00 New York = 18:00 UTC): 210 expected minutes; 3 left out,
      // and 2 pre-market bars at 14:00-14:01 UTC (09:00 New York)
      var all = io.tickvault.testing.Bars.minutes("ABC", "2024-11-29T14:00:00Z", 270, CraftedData.SOURCE);
      for (int i = 0; i < all.size(); i++) {
        int minuteOfDay = 14 * 60 + i;
        boolean preMarket = minuteOfDay < 14 * 60 + 30 && i >= 2;
        boolean leftOut = i == 100 || i == 101 || i == 150;
        if (!preMarket && !leftOut) {
          bars.add(all.get(i));
        }
      }
      // Monday 2024-12-02: 390 bars of a full session
      bars.addAll(io.tickvault.testing.Bars.minutes("ABC", "2024-12-02T14:30:00Z", 390, CraftedData.SOURCE));
      store.write(CraftedData.SOURCE, bars.iterator());
      ValidateOptions o = ValidateOptions.defaults(CraftedData.NYSE, java.time.Instant.parse("2025-01-01T00:00:00Z"));
      ValidationReport r = Validator.validate(store, CraftedData.SOURCE, o);
      SymbolReport s = r.symbols().get(0);
      assertEquals(Timeframe.MIN_1, r.shape().width());
      assertEquals(2, s.sessions(), "Fri and Mon; the weekend in between is not a session");
      assertEquals(0, s.missingSessions());
      assertEquals(210 + 390, s.expectedBars());
      assertEquals(3, s.missingBars(), "minutes without a bar are counted");
      assertEquals(2 + 30, s.outsideSession(), "2 pre-market bars and 30 after the 13:00 close");
      assertEquals(List.of(), s.findings(), "no finding for minutes where nothing traded");
    }
  }

  @Test
  void anUnknownSymbolIsAnErrorNotACleanReport() throws Exception {
    Path db = dir.resolve("crafted.db");
    try (BarStore store = Stores.open(db.toString())) {
      CraftedData.write(store, db);
      NotFoundException e = assertThrows(NotFoundException.class, () -> Validator.validate(store, CraftedData.SOURCE,
          CraftedData.options().withSymbol(Symbol.of("NOPE"))));
      assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
    }
  }
}
