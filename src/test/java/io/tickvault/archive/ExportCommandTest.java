package io.tickvault.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickvault.cli.CliHarness;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.cli.ExitCodes;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault export} as a black box on a real SQLite store; every exported file is read back
 * by an independent reader (Jackson, a CSV split, a separate DuckDB connection for Parquet) and
 * compared with the store's rows value by value.
 */
class ExportCommandTest {
  static final SourceName VEND = SourceName.of("vend");

  @TempDir
  Path dir;

  CliHarness cli;
  List<Bar> stored;

  /** Awkward values: extremes of DECIMAL(10,4), missing open/vwap, huge volume, two origins. */
  static List<Bar> crafted() {
    List<Bar> bars = new ArrayList<>();
    Instant t = Instant.parse("2024-03-01T14:30:00Z");
    SourceName other = SourceName.of("alpaca");
    bars.add(new Bar(Symbol.of("BRK.B"), t, new BigDecimal("999999.9999"), null, new BigDecimal("999999.9999"),
        new BigDecimal("0.0001"), new BigDecimal("999999.9999"), 100_000_000_000_000L, Integer.MAX_VALUE, null, VEND)); // the largest volume the gate takes
    bars.add(new Bar(Symbol.of("BRK.B"), t.plus(1, ChronoUnit.MINUTES), new BigDecimal("0.0001"),
        new BigDecimal("0.0001"), new BigDecimal("0.0002"), new BigDecimal("0.0001"), new BigDecimal("0.0001"), 0, 0,
        new BigDecimal("0.0001"), other));
    bars.add(new Bar(Symbol.of("BTC/USD"), t.plus(2, ChronoUnit.MINUTES), new BigDecimal("61234.5000"),
        new BigDecimal("61200.0000"), new BigDecimal("61300.1234"), new BigDecimal("61100.0001"),
        new BigDecimal("61234.5000"), 12, 3, new BigDecimal("61250.0100"), VEND));
    for (int i = 0; i < 50; i++) {
      BigDecimal c = new BigDecimal("185.1200").add(BigDecimal.valueOf(i, 4));
      bars.add(Bar.ohlcv(Symbol.of("AAPL"), Instant.parse("1999-12-31T23:00:00Z").plus(i, ChronoUnit.MINUTES), c,
          c.add(BigDecimal.ONE), c.subtract(BigDecimal.ONE), c, 1000 + i, 10 + i, c, i % 2 == 0 ? VEND : other));
    }
    return bars;
  }

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    try (BarStore s = Stores.open(dir.resolve("data/tickvault.db").toString())) {
      s.createSource(VEND, SourceKind.VENDOR, "crafted", Timeframe.MIN_1, java.time.ZoneId.of("UTC"));
      s.write(VEND, Timeframe.MIN_1, crafted().iterator());
      stored = new ArrayList<>();
      s.read(VEND, BarFilter.ALL, stored::add);
    }
    assertEquals(53, stored.size());
  }

  @Test
  void csv_to_stdout_holds_every_value_exactly() {
    Run r = cli.run("export", "--source", "vend");
    assertEquals(0, r.code(), r.toString());
    String[] lines = r.out().split("\n");
    assertEquals("symbol,timestamp,price,open_price,high_price,low_price,close_price,volume,trade_count,vwap,origin",
        lines[0]);
    assertEquals(stored.size() + 1, lines.length);
    for (int i = 0; i < stored.size(); i++) {
      String[] c = lines[i + 1].split(",", -1);
      Bar b = stored.get(i);
      assertEquals(11, c.length, lines[i + 1]);
      assertEquals(b.symbol().value(), c[0]);
      assertEquals(b.timestamp(), Instant.parse(c[1]));
      assertDecimal(b.price(), c[2]);
      assertDecimal(b.open(), c[3]);
      assertDecimal(b.high(), c[4]);
      assertDecimal(b.low(), c[5]);
      assertDecimal(b.close(), c[6]);
      assertEquals(b.volume(), Long.parseLong(c[7]));
      assertEquals(b.tradeCount(), Integer.parseInt(c[8]));
      assertDecimal(b.vwap(), c[9]);
      assertEquals(b.origin().value(), c[10]);
    }
    assertTrue(lines[1].startsWith("AAPL,1999-12-31T23:00:00Z,185.1200,185.1200,186.1200,184.1200,185.1200,1000,10,"),
        lines[1]);
    assertTrue(r.err().startsWith("exported 53 bars of 3 symbols, 1999-12-31 23:00Z .. 2024-03-01 14:32Z from vend"),
        r.err());
  }

  @Test
  void jsonl_file_holds_every_value_exactly() throws Exception {
    Run r = cli.run("export", "--source", "vend", "--format", "jsonl", "--output", "out/bars.jsonl");
    assertEquals(ExitCodes.USAGE, r.code(), "the folder must exist: " + r);
    Files.createDirectories(dir.resolve("out"));
    r = cli.run("export", "--source", "vend", "--format", "jsonl", "--output", "out/bars.jsonl");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("as jsonl to out/bars.jsonl"), r.out());
    ObjectMapper m = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    List<String> lines = Files.readAllLines(dir.resolve("out/bars.jsonl"));
    assertEquals(stored.size(), lines.size());
    for (int i = 0; i < stored.size(); i++) {
      JsonNode n = m.readTree(lines.get(i));
      Bar b = stored.get(i);
      assertEquals(b.symbol().value(), n.get("symbol").asText());
      assertEquals(b.timestamp(), Instant.parse(n.get("timestamp").asText()));
      assertJson(b.price(), n.get("price"));
      assertJson(b.open(), n.get("open_price"));
      assertJson(b.high(), n.get("high_price"));
      assertJson(b.low(), n.get("low_price"));
      assertJson(b.close(), n.get("close_price"));
      assertEquals(b.volume(), n.get("volume").longValue());
      assertEquals(b.tradeCount(), n.get("trade_count").intValue());
      assertJson(b.vwap(), n.get("vwap"));
      assertEquals(b.origin().value(), n.get("origin").asText());
      assertEquals(11, n.size());
    }
    assertTrue(lines.get(0).startsWith("{\"symbol\":\"AAPL\",\"timestamp\":\"1999-12-31T23:00:00Z\",\"price\":185.1200,"
        + "\"open_price\":185.1200,"), "the stored text of the decimals: " + lines.get(0));
    assertTrue(lines.get(50).contains("\"open_price\":null,") && lines.get(50).contains("\"vwap\":null,"), lines.get(50));
    try (var files = Files.list(dir.resolve("out"))) {
      assertEquals(List.of("bars.jsonl"), files.map(p -> p.getFileName().toString()).toList(), "no partial file left");
    }
  }

  @Test
  void parquet_is_read_back_by_a_separate_duckdb_with_exact_types_and_values() throws Exception {
    Run r = cli.run("export", "--source", "vend", "--output", "vend.parquet");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("as parquet to vend.parquet"), r.out());
    Path file = dir.resolve("vend.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      Map<String, String> types = new HashMap<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
      assertEquals(Map.ofEntries(Map.entry("symbol", "VARCHAR"), Map.entry("timestamp", "TIMESTAMP WITH TIME ZONE"),
          Map.entry("price", "DECIMAL(10,4)"), Map.entry("open_price", "DECIMAL(10,4)"),
          Map.entry("high_price", "DECIMAL(10,4)"), Map.entry("low_price", "DECIMAL(10,4)"),
          Map.entry("close_price", "DECIMAL(10,4)"), Map.entry("volume", "BIGINT"), Map.entry("trade_count", "INTEGER"),
          Map.entry("vwap", "DECIMAL(10,4)"), Map.entry("origin", "VARCHAR")), types);
      Map<String, String> kv = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT decode(key), decode(value) FROM parquet_kv_metadata('" + file + "')")) {
        while (rs.next()) {
          kv.put(rs.getString(1), rs.getString(2));
        }
      }
      assertEquals("vend", kv.get("tickvault.source"));
      assertEquals("1Min", kv.get("tickvault.timeframe"));
      assertEquals("UTC", kv.get("tickvault.timezone"));
      int i = 0;
      try (ResultSet rs = s.executeQuery("SELECT *, epoch_us(\"timestamp\") AS us FROM read_parquet('" + file + "')")) {
        while (rs.next()) {
          Bar b = stored.get(i++);
          assertEquals(b.symbol().value(), rs.getString("symbol"));
          assertEquals(b.timestamp(), Instant.EPOCH.plus(rs.getLong("us"), ChronoUnit.MICROS));
          assertEquals(b.price(), rs.getBigDecimal("price"));
          assertEquals(b.open(), rs.getBigDecimal("open_price"));
          assertEquals(b.high(), rs.getBigDecimal("high_price"));
          assertEquals(b.low(), rs.getBigDecimal("low_price"));
          assertEquals(b.close(), rs.getBigDecimal("close_price"));
          assertEquals(b.volume(), rs.getLong("volume"));
          assertEquals(b.tradeCount(), rs.getInt("trade_count"));
          assertEquals(b.vwap(), rs.getBigDecimal("vwap"));
          assertEquals(b.origin().value(), rs.getString("origin"));
        }
      }
      assertEquals(stored.size(), i, "rows in the file, in the store's order");
    }
  }

  @Test
  void a_selection_by_symbol_and_range_from_the_mirror_matches_the_live_export() {
    assertEquals(0, cli.run("sync").code());
    Run live = cli.run("export", "--source", "vend", "--symbol", "AAPL", "--from", "1999-12-31T23:10:00Z", "--to",
        "2000-01-01");
    Run mirror = cli.run("export", "--source", "vend", "--symbol", "AAPL", "--from", "1999-12-31T23:10:00Z", "--to",
        "2000-01-01", "--mode", "mirror", "--format", "jsonl");
    assertEquals(0, live.code(), live.toString());
    assertEquals(0, mirror.code(), mirror.toString());
    assertEquals(41, live.out().split("\n").length, "header + 23:10..23:49");
    assertTrue(live.out().split("\n")[1].startsWith("AAPL,1999-12-31T23:10:00Z,185.1210,"), live.out());
    assertEquals(40, mirror.out().split("\n").length);
    assertTrue(mirror.err().contains("mirror"), mirror.err());
  }

  @Test
  void refusals_name_the_problem_and_write_nothing() throws Exception {
    Run r = cli.run("export", "--source", "vend", "--format", "parquet");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertEquals("tickvault: --format parquet needs --output FILE (a Parquet file is not a stream)\n", r.err());
    Files.writeString(dir.resolve("keep.csv"), "mine\n");
    r = cli.run("export", "--source", "vend", "--output", "keep.csv");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("exists; add --force"), r.err());
    assertEquals("mine\n", Files.readString(dir.resolve("keep.csv")));
    r = cli.run("export", "--source", "vend", "--symbol", "AAPX");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("no symbol 'AAPX' in vend; did you mean 'AAPL'?"), r.err());
    assertEquals("", r.out());
    r = cli.run("export", "--source", "vend", "--format", "csv", "--output", "x.parquet");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertFalse(Files.exists(dir.resolve("x.parquet")));
    r = cli.run("export", "--source", "vend", "--output", "keep.csv", "--force");
    assertEquals(0, r.code(), r.toString());
    assertEquals(stored.size() + 1, Files.readAllLines(dir.resolve("keep.csv")).size());
  }

  private static void assertDecimal(BigDecimal expected, String cell) {
    if (expected == null) {
      assertEquals("", cell);
    } else {
      assertEquals(expected, new BigDecimal(cell), cell);
      assertEquals(4, new BigDecimal(cell).scale(), cell);
    }
  }

  private static void assertJson(BigDecimal expected, JsonNode n) {
    if (expected == null) {
      assertTrue(n.isNull(), String.valueOf(n));
    } else {
      assertTrue(n.isBigDecimal(), String.valueOf(n));
      assertEquals(0, expected.compareTo(n.decimalValue()), expected + " vs " + n); // Jackson drops trailing zeros
    }
  }
}
