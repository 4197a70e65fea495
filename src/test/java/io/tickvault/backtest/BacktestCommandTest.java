package io.tickvault.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.cli.Json;
import io.tickvault.config.Settings;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backtest through the real command line on a real SQLite store: JSON lineage and digest, --check, A/B. */
class BacktestCommandTest {
  static final ZoneId NY = ZoneId.of("America/New_York");
  @TempDir
  Path dir;
  Path db;
  CliHarness cli;

  @BeforeEach
  void fill() {
    db = dir.resolve("prod.db");
    cli = new CliHarness(dir).env(Settings.DATABASE_URL, db.toString());
    try (BarStore store = Stores.open(db.toString())) {
      store.createSource(SourceName.of("real"), SourceKind.VENDOR, "");
      store.createSource(SourceName.of("other"), SourceKind.VENDOR, "");
      store.write(SourceName.of("real"), path("real", null).iterator());
      store.write(SourceName.of("other"), path("other", "2024-01-08").iterator());
    }
  }

  /** The hand-computed path of EngineTest on the weekdays from 2024-01-02; {@code bump} adds 1 to that day's close. */
  static List<Bar> path(String origin, String bump) {
    List<Bar> out = new ArrayList<>();
    LocalDate d = LocalDate.parse("2024-01-02");
    for (int p : EngineTest.PATH) {
      while (d.getDayOfWeek().getValue() > 5) d = d.plusDays(1);
      BigDecimal c = BigDecimal.valueOf(p);
      if (d.toString().equals(bump)) c = c.add(BigDecimal.ONE);
      out.add(Bar.ohlcv(Symbol.of("ABC"), d.atStartOfDay(NY).toInstant(), c, c.add(BigDecimal.ONE),
          c.subtract(BigDecimal.ONE), c, 1000, 10, null, SourceName.of(origin)));
      d = d.plusDays(1);
    }
    return out;
  }

  @Test
  void jsonCarriesMetricsLineageAndDigest() throws Exception {
    Run r = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--strategy", "sma-cross", "--fast", "2",
        "--slow", "3", "--cash", "1000", "--fee-bps", "0", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.MAPPER.readTree(r.out());
    JsonNode run = doc.get("runs").get(0);
    assertEquals(0, new BigDecimal("0.083").compareTo(run.get("metrics").get("totalReturn").decimalValue()));
    assertEquals(2, run.get("metrics").get("trades").asInt());
    JsonNode l = run.get("lineage");
    assertEquals("real", l.get("source").asText());
    assertEquals("vendor", l.get("kind").asText());
    assertEquals("1Day", l.get("width").asText());
    assertEquals("America/New_York", l.get("zone").asText());
    assertEquals(11, l.get("rows").asLong());
    assertEquals("real", l.get("origins").get(0).get("origin").asText());
    assertEquals(11, l.get("origins").get(0).get("rows").asLong());
    assertEquals(Instant.parse("2024-01-02T05:00:00Z"), Instant.parse(l.get("first").asText()));
    JsonNode data = run.get("data");
    assertEquals(64, data.get("digest").asText().length());
    assertEquals(11, data.get("chunks").size(), "one chunk per UTC day");
    assertEquals("sma-cross", doc.get("request").get("strategy").asText());
    assertEquals(11, run.get("equity").size());

    Run text = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--strategy", "sma-cross", "--fast", "2",
        "--slow", "3", "--cash", "1000", "--fee-bps", "0");
    assertTrue(text.out().contains("8.30%"), text.out());
    assertTrue(text.out().contains(data.get("digest").asText()), text.out());
  }

  @Test
  void checkSaysSameDataThenNamesTheChangedChunk() throws Exception {
    Run r = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--strategy", "buy-and-hold", "--format",
        "json");
    assertEquals(0, r.code(), r.toString());
    Path saved = dir.resolve("results.json");
    Files.writeString(saved, r.out());
    Run same = cli.run("backtest", "--check", saved.toString());
    assertEquals(0, same.code(), same.toString());
    assertTrue(same.out().contains("unchanged"), same.out());

    // one bar changes afterwards (a vendor correction written by another tool)
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      long micros = LocalDate.parse("2024-01-09").atStartOfDay(NY).toInstant().getEpochSecond() * 1_000_000L;
      assertTrue(s.executeUpdate("UPDATE price_ticks_real SET volume = 999 WHERE \"timestamp\" = " + micros) >= 1);
    }
    Run changed = cli.run("backtest", "--check", saved.toString());
    assertEquals(3, changed.code(), changed.toString());
    assertTrue(changed.out().contains("real/ABC/2024-01-09"), changed.out());
    assertTrue(changed.out().contains("changed"), changed.out());
    Run json = cli.run("backtest", "--check", saved.toString(), "--format", "json");
    JsonNode chunks = Json.MAPPER.readTree(json.out()).get("runs").get(0).get("changedChunks");
    assertEquals(1, chunks.size(), json.out());
    assertEquals("real/ABC/2024-01-09", chunks.get(0).get("chunk").asText());
  }

  @Test
  void compareWithRunsBothSidesAndListsTheDifferingBar() throws Exception {
    Run r = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--strategy", "buy-and-hold", "--cash", "1000",
        "--fee-bps", "0", "--compare-with", "other", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertEquals(2, doc.get("runs").size());
    assertEquals("other", doc.get("runs").get(1).get("source").asText());
    assertEquals("other", doc.get("runs").get(1).get("lineage").get("origins").get(0).get("origin").asText());
    // the same closes at both ends: the same return; but not the same data
    assertEquals(0, doc.get("differences").get("totalReturn").decimalValue().signum());
    assertEquals(false, doc.get("sameData").asBoolean());
    JsonNode cmp = doc.get("compare");
    assertEquals(1, cmp.get("differingBars").asLong());
    assertEquals(11, cmp.get("common").asLong());
    assertEquals(Instant.parse("2024-01-08T05:00:00Z"), Instant.parse(cmp.get("bars").get(0).get("time").asText()));
    assertEquals(0, new BigDecimal("15").compareTo(cmp.get("bars").get(0).get("closeB").decimalValue()));

    Run text = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--strategy", "sma-cross", "--fast", "2",
        "--slow", "3", "--compare-with", "other");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.out().contains("B - A"), text.out());
    assertTrue(text.out().contains("1 differ"), text.out());
  }

  @Test
  void badRequestsSayWhatToDo() {
    Run r = cli.run("backtest", "--source", "real", "--symbol", "NOPE", "--strategy", "buy-and-hold");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("NOPE"), r.toString());
    Run s = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--strategy", "moon");
    assertEquals(2, s.code(), s.toString());
    assertTrue(s.err().contains("sma-cross"), s.toString());
    Run i = cli.run("backtest", "--source", "real", "--symbol", "ABC", "--interval", "1m");
    assertEquals(2, i.code(), i.toString());
    assertTrue(i.err().contains("1Day"), i.toString());
  }
}
