package io.tickvault.quality;

import io.tickvault.calendar.NyseCalendar;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A daily data set with exactly one of each validate finding in symbol FLAWED (and none in CLEAN),
 * written through the store (and one row changed by plain SQL afterwards, as a store made before
 * the write gate or a flawed vendor bar kept as delivered would hold it). Bars are stamped at 00:00
 * New York time like the vendors' day bars.
 */
final class CraftedData {
  static final SourceName SOURCE = SourceName.of("crafted");
  static final Instant NOW = Instant.parse("2024-04-25T12:00:00Z");
  static final NyseCalendar NYSE = new NyseCalendar();

  /** Where each finding must be reported: the bar's start (or, for a missing session, its day at 00:00 NY). */
  static final Map<Check, Instant> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put(Check.OHLC_OUTSIDE_RANGE, day("2024-01-10"));
    EXPECTED.put(Check.OFF_GRID, LocalDate.parse("2024-01-17").atTime(10, 0).atZone(NyseCalendar.NEW_YORK).toInstant());
    EXPECTED.put(Check.ZERO_VOLUME_MOVE, day("2024-02-01"));
    EXPECTED.put(Check.MISSING_SESSION, day("2024-02-07"));
    EXPECTED.put(Check.NON_SESSION_BAR, day("2024-02-19"));
    EXPECTED.put(Check.JUMP, day("2024-03-05"));
    EXPECTED.put(Check.VOLUME_SPIKE, day("2024-03-20"));
    EXPECTED.put(Check.SPLIT_LIKE, day("2024-04-01"));
    EXPECTED.put(Check.IDENTICAL_RUN, day("2024-04-10"));
    EXPECTED.put(Check.FUTURE, day("2024-04-26"));
  }

  private CraftedData() {}

  static Instant day(String d) {
    return LocalDate.parse(d).atStartOfDay(NyseCalendar.NEW_YORK).toInstant();
  }

  /** Options used by the tests: the defaults with a 10-bar volume window (the set is short). */
  static ValidateOptions options() {
    ValidateOptions d = ValidateOptions.defaults(NYSE, NOW);
    return new ValidateOptions(null, null, null, NYSE, d.jumpThreshold(), d.splitTolerance(), 10, d.spikeFactor(),
        d.identicalRun(), d.maxListed(), NOW);
  }

  static void write(BarStore store, Path sqliteFile) throws Exception {
    store.createSource(SOURCE, SourceKind.VENDOR, "crafted for the validate tests");
    List<Bar> bars = new ArrayList<>();
    bars.addAll(series("CLEAN", false));
    bars.addAll(series("FLAWED", true));
    store.write(SOURCE, bars.iterator());
    if (sqliteFile != null) {
      // close above high, as a flawed vendor bar kept by the write gate or an older store holds it
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
           PreparedStatement ps = c.prepareStatement("UPDATE price_ticks_crafted SET price = high_price + 5000, "
               + "close_price = high_price + 5000 WHERE symbol = 'FLAWED' AND \"timestamp\" = ?")) {
        ps.setLong(1, EXPECTED.get(Check.OHLC_OUTSIDE_RANGE).getEpochSecond() * 1_000_000L);
        if (ps.executeUpdate() < 1) {
          throw new IllegalStateException("the flawed row was not found");
        }
      }
    }
  }

  static List<Bar> series(String symbol, boolean flawed) {
    List<Bar> out = new ArrayList<>();
    Symbol s = Symbol.of(symbol);
    BigDecimal level = new BigDecimal("100.00");
    int i = 0;
    for (LocalDate d = LocalDate.parse("2024-01-02"); !d.isAfter(LocalDate.parse("2024-04-26")); d = d.plusDays(1)) {
      String ds = d.toString();
      boolean session = NYSE.isSession(d);
      if (!flawed && (!session || d.isAfter(LocalDate.parse("2024-04-25")))) {
        continue;
      }
      if (flawed && !session && !ds.equals("2024-02-19")) {
        continue;
      }
      if (flawed && ds.equals("2024-02-07")) {
        continue; // the missing session
      }
      if (flawed && ds.equals("2024-03-05")) {
        level = new BigDecimal("115.00"); // a 15% jump that stays
      }
      if (flawed && ds.equals("2024-04-01")) {
        level = level.divide(BigDecimal.valueOf(2)); // 2:1 split
      }
      BigDecimal close = i % 2 == 0 ? level : level.add(new BigDecimal("0.50"));
      long volume = 1000 + (i % 7) * 10L;
      Instant t = d.atStartOfDay(NyseCalendar.NEW_YORK).toInstant();
      BigDecimal high = close.add(BigDecimal.ONE);
      BigDecimal low = close.subtract(BigDecimal.ONE);
      BigDecimal open = close;
      if (flawed) {
        switch (ds) {
          case "2024-01-17" -> t = d.atTime(LocalTime.of(10, 0)).atZone(NyseCalendar.NEW_YORK).toInstant();
          case "2024-02-01" -> volume = 0;
          case "2024-03-20" -> volume = 50_000;
          case "2024-04-10", "2024-04-11", "2024-04-12", "2024-04-15", "2024-04-16" -> {
            close = new BigDecimal("57.60");
            open = close;
            high = new BigDecimal("58.00");
            low = new BigDecimal("57.00");
            volume = 999;
          }
          default -> { }
        }
      }
      out.add(Bar.ohlcv(s, t, open, high, low, close, volume, 10, null, SOURCE));
      i++;
    }
    return out;
  }
}
