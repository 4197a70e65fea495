package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HistoryWriter's own number and time writing gives exactly what Jackson and Instant.toString give. */
class HistoryWriterFormatTest {
  @Test
  void prices_are_written_as_their_plain_string() throws Exception {
    Random r = new Random(11);
    String[] fixed = {"0.0000", "0.0005", "-0.0005", "100.5000", "-12345.6789", "99999999999999.9999",
        "-99999999999999.9999", "1.5", "100", "1E+3", "0.00001", "123456789012345678901.0000"};
    for (String f : fixed) {
      check(new BigDecimal(f));
    }
    check(null);
    for (int i = 0; i < 100_000; i++) {
      long u = switch (i % 3) {
        case 0 -> r.nextInt(1_000_000);
        case 1 -> r.nextLong() % 1_000_000_000_000_000L;
        default -> -r.nextInt(100_000);
      };
      check(BigDecimal.valueOf(u, 4));
    }
  }

  @Test
  void times_are_written_as_instant_to_string() throws Exception {
    Random r = new Random(12);
    String[] fixed = {"1900-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2199-12-31T23:59:00Z",
        "2025-01-15T14:30:00.000001Z", "0999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"};
    for (String f : fixed) {
      checkTime(Instant.parse(f));
    }
    for (int i = 0; i < 100_000; i++) {
      checkTime(Instant.ofEpochSecond(r.nextLong() % 7_000_000_000L));
    }
  }

  private static void check(BigDecimal v) throws Exception {
    StringWriter mine = new StringWriter();
    try (JsonGenerator g = ApiJson.MAPPER.createGenerator(mine)) {
      HistoryWriter.decimal(g, new char[32], v);
    }
    StringWriter jackson = new StringWriter();
    try (JsonGenerator g = ApiJson.MAPPER.createGenerator(jackson)) {
      g.writeNumber(v);
    }
    assertEquals(jackson.toString(), mine.toString(), String.valueOf(v));
  }

  private static void checkTime(Instant t) throws Exception {
    StringWriter mine = new StringWriter();
    try (JsonGenerator g = ApiJson.MAPPER.createGenerator(mine)) {
      HistoryWriter.time(g, new char[32], t);
    }
    assertEquals("\"" + t + "\"", mine.toString(), t.toString());
  }
}
