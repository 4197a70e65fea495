package io.tickvault.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The grid of intraday widths agrees with the local clock, in zones with odd and historical offsets. */
class BarGridTest {
  private static final String[] ZONES = {"America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla",
      "Europe/Amsterdam", "Pacific/Chatham", "UTC", "Asia/Hong_Kong"};

  @Test
  void onGridExactlyWhenTheLocalTimeOfDayIsAMultipleOfTheWidth() {
    Random r = new Random(20241201);
    List<Timeframe> intraday = java.util.Arrays.stream(Timeframe.values()).filter(t -> !t.calendar()).toList();
    for (int i = 0; i < 20_000; i++) {
      long s = Math.floorMod(r.nextLong(), 2_208_988_800L); // 1970..2040
      Instant t = switch (i % 3) {
        case 0 -> Instant.ofEpochSecond(s - Math.floorMod(s, 60)); // whole UTC minutes: on-grid cases are common
        case 1 -> Instant.ofEpochSecond(s);
        default -> Instant.ofEpochSecond(s, 1000);
      };
      ZoneId zone = ZoneId.of(ZONES[r.nextInt(ZONES.length)]);
      Timeframe width = intraday.get(r.nextInt(intraday.size()));
      long nanos = ZonedDateTime.ofInstant(t, zone).toLocalTime().toNanoOfDay();
      boolean expected = nanos % width.duration().toNanos() == 0;
      assertEquals(expected, new BarGrid(width, zone).offGrid(t) == null, t + " in " + zone + " for " + width);
    }
  }

  @Test
  void oddOffsetsAndLocalMeanTimeAreReadOnTheLocalClock() {
    // Kathmandu is UTC+5:45: 09:30 local is a whole 5 minutes there, 03:45 UTC
    ZoneId ktm = ZoneId.of("Asia/Kathmandu");
    Instant nineThirty = LocalDateTime.parse("2024-03-04T09:30").atZone(ktm).toInstant();
    assertNull(new BarGrid(Timeframe.MIN_5, ktm).offGrid(nineThirty));
    assertNotNull(new BarGrid(Timeframe.HOUR_1, ktm).offGrid(nineThirty));
    // New York in 1880 kept local mean time, UTC-4:56:02: a whole local minute is not a whole UTC minute
    ZoneId ny = ZoneId.of("America/New_York");
    Instant lmt = LocalDateTime.parse("1880-06-01T10:00").atZone(ny).toInstant();
    assertEquals(2, Math.floorMod(lmt.getEpochSecond(), 60), "the instant is 2 s past a whole UTC minute");
    assertNull(new BarGrid(Timeframe.MIN_1, ny).offGrid(lmt));
  }
}
