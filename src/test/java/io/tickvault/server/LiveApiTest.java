package io.tickvault.server;

import io.tickvault.domain.Timeframe;
import static io.tickvault.server.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.testing.Bars;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API in live mode, against a real server on a free port and a real SQLite production store
 * ({@link PostgresLiveApiTest} runs the same on PostgreSQL).
 */
class LiveApiTest {
  static final SourceName SYN = SourceName.SYNTHETIC;
  static final Instant NOW = Instant.parse("2025-01-20T12:00:00Z");

  @TempDir
  Path dir;
  Workspace workspace;
  ApiServer server;
  ApiClient api;
  String prodUrl;

  /** The production store's URL. */
  protected String productionUrl() {
    return dir.resolve("prod.db").toString();
  }

  @BeforeEach
  void start() {
    prodUrl = productionUrl();
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, prodUrl), dir);
    workspace = new Workspace(settings);
    BarStore prod = workspace.production();
    prod.createSource(SYN, SourceKind.GENERATED, "generated mock data");
    prod.createSource(SourceName.ALPACA, SourceKind.VENDOR, "real data from Alpaca");
    long run = prod.startIngest(SYN, "synthetic", null, "AAPL,MSFT,BTC/USD", TimeRange.ALL);
    prod.write(SYN, Timeframe.MIN_1, Fixtures.bars().iterator());
    prod.finishIngest(run, Fixtures.bars().size(), io.tickvault.store.IngestStatus.OK, null);
    server = ApiServer.start(workspace, Clock.fixed(NOW, ZoneOffset.UTC), "127.0.0.1", 0);
    api = new ApiClient(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
    workspace.close();
  }

  @Test
  void sources_lists_every_source_with_stats_and_last_ingest() {
    HttpResponse<String> r = api.get("/api/sources");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("production", body.at("/metadata/environment").asText());
    assertEquals("synthetic", body.at("/metadata/source").asText(), "DATA_SOURCE when the request names none");
    assertEquals("alpaca", json(api.get("/api/sources?source=alpaca")).at("/metadata/source").asText(),
        "the metadata describes the source the request names, as every endpoint's");
    JsonNode sources = body.get("sources");
    assertEquals(List.of("alpaca", "mock", "polygon", "synthetic", "test"), sources.findValuesAsText("name"),
        "built-ins are listed whether created or not");
    JsonNode alpaca = sources.get(0);
    assertEquals("vendor", alpaca.get("kind").asText());
    assertEquals("empty", alpaca.get("status").asText());
    assertEquals(0, alpaca.get("rows").asLong());
    assertTrue(alpaca.get("lastIngest").isNull());
    assertEquals("not created", sources.get(1).get("status").asText());
    JsonNode syn = sources.get(3);
    assertEquals("price_ticks_synthetic", syn.get("table").asText());
    assertEquals("has data", syn.get("status").asText());
    assertEquals(Fixtures.bars().size(), syn.get("rows").asLong());
    assertEquals(3, syn.get("symbols").asLong());
    assertEquals("2025-01-14T14:30:00Z", syn.get("first").asText());
    assertEquals("2025-01-15T15:00:00Z", syn.get("last").asText());
    assertTrue(syn.get("isDefault").asBoolean());
    assertEquals("ok", syn.at("/lastIngest/status").asText());
    assertEquals(Fixtures.bars().size(), syn.at("/lastIngest/rows").asLong());
  }

  @Test
  void market_summary_gives_the_last_day_per_symbol_against_the_previous_close() {
    HttpResponse<String> r = api.get("/api/market-summary");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertTrue(body.get("period").asText().contains("last session date (in the source's time zone)"));
    assertEquals("America/New_York", body.get("timezone").asText());
    JsonNode rows = body.get("symbols");
    assertEquals(3, rows.size());
    JsonNode aapl = rows.get(0);
    assertEquals("AAPL", aapl.get("symbol").asText());
    assertEquals("2025-01-15", aapl.get("day").asText());
    assertEquals("105.5000", aapl.get("lastPrice").decimalValue().toPlainString());
    assertEquals("previousClose", aapl.get("changeBasis").asText());
    assertEquals("101.0000", aapl.get("reference").decimalValue().toPlainString());
    assertEquals("4.5000", aapl.get("change").decimalValue().toPlainString());
    assertEquals("4.46", aapl.get("changePercent").decimalValue().toPlainString());
    assertEquals("102.0000", aapl.get("open").decimalValue().toPlainString());
    assertEquals("106.0000", aapl.get("high").decimalValue().toPlainString());
    assertEquals("101.0000", aapl.get("low").decimalValue().toPlainString());
    assertEquals(1500, aapl.get("volume").asLong());
    assertEquals("2025-01-15T14:31:00Z", aapl.get("asOf").asText());
    JsonNode msft = rows.get(2);
    assertEquals("MSFT", msft.get("symbol").asText());
    assertEquals("open", msft.get("changeBasis").asText(), "a single day has no previous close");
    assertEquals("-1.0000", msft.get("change").decimalValue().toPlainString());
    assertEquals("-0.25", msft.get("changePercent").decimalValue().toPlainString());
  }

  @Test
  void history_aggregates_days_in_the_database_and_says_it_is_live_production_data() {
    HttpResponse<String> r = api.get("/api/market-data/history/AAPL?interval=1d");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonNode body = json(r);
    JsonNode data = body.get("data");
    assertEquals(2, data.size());
    JsonNode d2 = data.get(1);
    assertEquals("2025-01-15T05:00:00Z", d2.get("time").asText(), "midnight in New York, the source's zone");
    assertEquals("102.0000", d2.get("open").decimalValue().toPlainString());
    assertEquals("106.0000", d2.get("high").decimalValue().toPlainString());
    assertEquals("101.0000", d2.get("low").decimalValue().toPlainString());
    assertEquals("105.5000", d2.get("close").decimalValue().toPlainString());
    assertEquals(1500, d2.get("volume").asLong());
    assertEquals(14, d2.get("tradeCount").asLong());
    JsonNode m = body.get("metadata");
    assertEquals("synthetic", m.get("source").asText());
    assertEquals("production", m.get("environment").asText());
    assertEquals("Live Production Data", m.get("description").asText());
    assertTrue(m.get("isLive").asBoolean());
    assertFalse(m.get("readOnly").asBoolean());
    assertTrue(m.get("lastSync").isNull());
    assertEquals("2025-01-15T14:31:00Z", m.get("dataThrough").asText());
    assertEquals("AAPL", m.get("symbol").asText());
    assertEquals("1d", m.get("interval").asText());
    assertEquals(2, m.get("count").asLong());
  }

  @Test
  void history_defaults_to_one_minute_bars_and_a_date_to_includes_its_whole_day() {
    JsonNode all = json(api.get("/api/market-data/history/aapl"));
    assertEquals("1m", all.at("/metadata/interval").asText());
    assertEquals(4, all.get("data").size());
    JsonNode day = json(api.get("/api/market-data/history/AAPL?from=2025-01-14&to=2025-01-14"));
    assertEquals(2, day.get("data").size());
    assertEquals("2025-01-14T00:00:00Z", day.at("/metadata/from").asText());
    assertEquals("2025-01-15T00:00:00Z", day.at("/metadata/to").asText());
    JsonNode exclusive = json(api.get("/api/market-data/history/AAPL?from=2025-01-14T14:30:00Z&to=2025-01-14T14:31:00Z"));
    assertEquals(1, exclusive.get("data").size(), "an instant 'to' is exclusive");
    JsonNode empty = json(api.get("/api/market-data/history/AAPL?from=2024-01-01&to=2024-01-31"));
    assertEquals(0, empty.get("data").size());
    assertEquals(0, empty.at("/metadata/count").asLong());
  }

  @Test
  void history_accepts_a_symbol_with_a_slash_encoded_in_the_path() {
    HttpResponse<String> r = api.get("/api/market-data/history/BTC%2FUSD?interval=1h");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("BTC/USD", body.at("/metadata/symbol").asText());
    assertEquals(1, body.get("data").size());
    assertEquals("42000.5000", body.at("/data/0/close").decimalValue().toPlainString());
  }

  @Test
  void history_of_another_source_is_picked_with_the_source_parameter() {
    HttpResponse<String> r = api.get("/api/market-data/history/AAPL?source=alpaca");
    assertError(r, 404, "not_found", "unknown symbol 'AAPL' in source alpaca");
  }

  @Test
  void data_source_in_live_mode_drives_a_live_data_indicator() {
    HttpResponse<String> r = api.get("/api/data-source");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("live", body.get("mode").asText());
    assertEquals("synthetic", body.get("source").asText());
    assertEquals("production", body.get("environment").asText());
    assertEquals("Live Production Data", body.get("description").asText());
    assertTrue(body.get("isLive").asBoolean());
    assertFalse(body.get("readOnly").asBoolean());
    assertFalse(body.get("stale").asBoolean());
    assertTrue(body.get("lastSync").isNull());
    assertEquals("2025-01-15T15:00:00Z", body.get("dataThrough").asText());
    assertEquals("Live Data", body.at("/indicator/text").asText());
    assertEquals("live", body.at("/indicator/level").asText());
    assertFalse(body.at("/indicator/canSync").asBoolean());
    assertEquals(workspace.production().info().location(), body.get("store").asText());
    assertTrue(body.at("/production/available").asBoolean());
    JsonNode other = json(api.get("/api/data-source?source=alpaca"));
    assertEquals("alpaca", other.get("source").asText());
    assertTrue(other.get("dataThrough").isNull());
  }

  @Test
  void sync_in_live_mode_is_a_conflict_and_changes_nothing() {
    HttpResponse<String> r = api.post("/api/sync");
    assertError(r, 409, "sync_unavailable", "runs in live mode");
    assertEquals(Fixtures.bars().size(), workspace.production().stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void health_reports_the_mode_and_the_store() {
    HttpResponse<String> r = api.get("/health");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("ok", body.get("status").asText());
    assertEquals("live", body.get("mode").asText());
    assertEquals(2, body.get("sources").asInt());
  }

  /** A Hong Kong daily source: bars at local midnight (16:00Z the day before). */
  void hongKongDaily() {
    BarStore prod = workspace.production();
    SourceName hk = SourceName.of("hkex");
    prod.createSource(hk, SourceKind.VENDOR, "HKEX daily", Timeframe.DAY_1, java.time.ZoneId.of("Asia/Hong_Kong"));
    List<io.tickvault.domain.Bar> bars = new java.util.ArrayList<>();
    String[] days = {"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"};
    for (int i = 0; i < days.length; i++) {
      bars.add(Bars.bar("0005.HK", java.time.LocalDate.parse(days[i]).atStartOfDay(java.time.ZoneId.of(
          "Asia/Hong_Kong")).toInstant().toString(), "6" + i + ".00", hk));
    }
    prod.write(hk, Timeframe.DAY_1, bars.iterator());
  }

  @Test
  void a_hong_kong_daily_series_is_charted_on_its_own_dates_with_its_zone_and_width_in_the_metadata() {
    hongKongDaily();
    JsonNode h = json(api.get("/api/market-data/history/0005.HK?source=hkex"));
    assertEquals("1d", h.at("/metadata/interval").asText(), "the source's width when no interval is asked");
    assertEquals("1Day", h.at("/metadata/sourceTimeframe").asText());
    assertEquals("Asia/Hong_Kong", h.at("/metadata/timezone").asText());
    assertEquals(List.of("2024-03-03T16:00:00Z", "2024-03-04T16:00:00Z", "2024-03-05T16:00:00Z",
        "2024-03-06T16:00:00Z", "2024-03-07T16:00:00Z"), h.get("data").findValuesAsText("time"));
    JsonNode w = json(api.get("/api/market-data/history/0005.HK?source=hkex&interval=1w"));
    assertEquals(List.of("2024-03-03T16:00:00Z"), w.get("data").findValuesAsText("time"), "the week of Monday 4 March");
    assertEquals(500, w.at("/data/0/volume").asLong());
    assertError(api.get("/api/market-data/history/0005.HK?source=hkex&interval=5m"), 400, "invalid_input",
        "interval 5m is finer than the 1Day bars of source hkex");
    JsonNode summary = json(api.get("/api/market-summary?source=hkex"));
    assertEquals("Asia/Hong_Kong", summary.get("timezone").asText());
    assertEquals("2024-03-08", summary.at("/symbols/0/day").asText(), "the local session date, not 2024-03-07");
    assertEquals("64.0000", summary.at("/symbols/0/lastPrice").asText());
    assertEquals("63.0000", summary.at("/symbols/0/reference").asText());
    JsonNode sources = json(api.get("/api/sources")).get("sources");
    JsonNode hk = null;
    for (JsonNode s : sources) {
      if (s.get("name").asText().equals("hkex")) {
        hk = s;
      }
    }
    assertEquals("1Day", hk.get("timeframe").asText());
    assertEquals("Asia/Hong_Kong", hk.get("timezone").asText());
  }

  @Test
  void the_market_summary_stops_at_now_a_bar_dated_9999_is_not_the_latest_price() {
    workspace.production().write(SYN, Timeframe.MIN_1, List.of(Bars.bar("AAPL", "9999-12-31T00:00:00Z", "1.0000",
        SYN)).iterator());
    JsonNode summary = json(api.get("/api/market-summary"));
    JsonNode aapl = summary.at("/symbols/0");
    assertEquals("AAPL", aapl.get("symbol").asText());
    assertEquals("105.5000", aapl.get("lastPrice").asText());
    assertEquals("2025-01-15T14:31:00Z", aapl.get("asOf").asText());
    assertEquals("2025-01-15", aapl.get("day").asText());
  }

  @Test
  void bad_dates_intervals_and_ranges_are_400_with_a_message() {
    assertError(api.get("/api/market-data/history/AAPL?from=yesterday"), 400, "invalid_input",
        "invalid from 'yesterday'");
    assertError(api.get("/api/market-data/history/AAPL?to=2025-02-30"), 400, "invalid_input", "invalid to");
    assertError(api.get("/api/market-data/history/AAPL?from=%2B999999999-01-01T00:00:00Z"), 400, "invalid_input",
        "outside the supported range");
    assertError(api.get("/api/market-data/history/AAPL?interval=7m"), 400, "invalid_input",
        "invalid interval '7m': use 1m, 5m, 15m, 30m, 1h, 1d, 1w or 1mo");
    // 1M is a month in some tools and a minute in others: refused, naming both spellings
    assertError(api.get("/api/market-data/history/AAPL?interval=1M"), 400, "invalid_input",
        "ambiguous interval '1M': write 1mo (or 1Month) for months, 1min (or 1m) for minutes");
    for (String month : List.of("1mo", "1Month", "1mon")) {
      assertEquals("1mo", json(api.get("/api/market-data/history/AAPL?interval=" + month)).at("/metadata/interval")
          .asText(), month);
    }
    for (String minute : List.of("1m", "1min", "1Min")) {
      assertEquals("1m", json(api.get("/api/market-data/history/AAPL?interval=" + minute)).at("/metadata/interval")
          .asText(), minute);
    }
    assertError(api.get("/api/market-data/history/AAPL?from=2025-01-15&to=2025-01-14"), 400, "invalid_input",
        "empty range");
  }

  @Test
  void hostile_source_and_symbol_names_are_400_and_touch_nothing() {
    String drop = "x%3B%20DROP%20TABLE%20price_ticks_alpaca%3B%20--";
    assertError(api.get("/api/market-summary?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/market-data/history/AAPL?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/data-source?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/sources?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/market-data/history/" + drop), 400, "invalid_input", "invalid symbol");
    assertError(api.get("/api/market-data/history/a%22b"), 400, "invalid_input", "invalid symbol 'a\"b': character '\"'");
    assertError(api.get("/api/market-data/history/..%2Fx"), 400, "invalid_input", "invalid symbol");
    assertError(api.get("/api/market-data/history/..%2F..%2Fetc%2Fpasswd"), 400, "invalid_input", "invalid symbol");
    // refused by the HTTP layer before routing, still in the one JSON shape
    assertError(api.get("/api/market-data/history/%2e%2e"), 400, "invalid_input", "Ambiguous URI path segment");
    assertError(api.get("/api/market-data/history/%00"), 400, "invalid_input", "refused before reaching tickvault");
    assertError(api.get("/api/market-data/history/%FF"), 400, "invalid_input", "Bad UTF-8 encoding");
    assertError(api.get("/api/market-summary?source=..%2Fx"), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/market-summary?source=a%22b"), 400, "invalid_input", "invalid source name");
    assertTrue(workspace.production().source(SourceName.ALPACA).orElseThrow().tableExists());
    assertEquals(Fixtures.bars().size(), workspace.production().stats(SYN, BarFilter.ALL).rows());
  }

  @Test
  void unknown_symbols_sources_and_routes_are_404_in_the_same_shape() {
    assertError(api.get("/api/market-data/history/ZZZ"), 404, "not_found", "unknown symbol 'ZZZ' in source synthetic");
    assertError(api.get("/api/market-summary?source=nosuch"), 404, "not_found", "no source 'nosuch'");
    assertError(api.get("/api/market-data/history/AAPL?source=nosuch"), 404, "not_found", "no source 'nosuch'");
    assertError(api.post("/api/sources"), 404, "not_found", "Endpoint POST /api/sources not found");
    assertError(api.get("/api/sync"), 404, "not_found", "Endpoint GET /api/sync not found");
    assertError(api.get("/nothing.js"), 404, "not_found", "not found");
    assertError(api.get("/api/nothing-here"), 404, "not_found", "Endpoint GET /api/nothing-here not found; the API is under /api");
  }

  @Test
  void an_unavailable_store_is_503_in_the_same_shape() {
    Settings mirrorMode = Settings.load(Map.of(Settings.DATA_MODE, "mirror",
        Settings.MIRROR, dir.resolve("absent/mirror.db").toString()), dir);
    try (Workspace ws = new Workspace(mirrorMode);
         ApiServer other = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      ApiClient client = new ApiClient(other.url());
      assertError(client.get("/api/sources"), 503, "store_unavailable", "no SQLite store at");
      assertError(client.get("/api/market-data/history/AAPL"), 503, "store_unavailable", "run `tickvault sync` first");
      assertError(client.get("/health"), 503, "store_unavailable", "no SQLite store at");
    }
  }

  @Test
  void requests_addressed_to_a_foreign_host_name_are_refused_dns_rebinding() throws Exception {
    for (String path : new String[] {"/api/sources", "/", "/health"}) {
      String foreign = rawGet(path, "evil.example:" + server.port());
      assertTrue(foreign.startsWith("HTTP/1.1 403"), path + ": " + foreign);
      assertTrue(foreign.contains("only answers requests addressed to localhost"), foreign);
      String local = rawGet(path, "localhost:" + server.port());
      assertTrue(local.startsWith("HTTP/1.1 200"), path + ": " + local);
      assertTrue(rawGet(path, "127.0.0.1:" + server.port()).startsWith("HTTP/1.1 200"), path);
    }
  }

  private String rawGet(String path, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void a_port_in_use_gives_a_clear_start_up_message() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ServerStartException e = assertThrows(ServerStartException.class,
          () -> ApiServer.start(workspace, Clock.systemUTC(), "127.0.0.1", taken.getLocalPort()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort() + ": the port is already in use"),
          e.getMessage());
      assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }
  }

  // ---- issue 9 must-fix 7: sums that overflow ------------------------------------------------

  @Test
  void a_volume_no_aggregate_could_sum_is_refused_at_the_write_gate_naming_the_row_and_field() {
    BarStore prod = workspace.production();
    io.tickvault.domain.Bar huge = Bars.bar("HUGE", "2025-01-16T14:30:00Z", "10.0000", "10.0000", "10.0000",
        "10.0000", Long.MAX_VALUE, SYN);
    io.tickvault.domain.InvalidInputException e = assertThrows(io.tickvault.domain.InvalidInputException.class,
        () -> prod.write(SYN, Timeframe.MIN_1, List.of(Fixtures.bars().get(0), huge).iterator()));
    assertTrue(e.getMessage().startsWith("rejected row 2: volume 9223372036854775807 is above the largest volume "
        + "of a bar, 100000000000000"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
    assertEquals(Fixtures.bars().size(), prod.stats(SYN, BarFilter.ALL).rows());
    prod.write(SYN, Timeframe.MIN_1, List.of(Bars.bar("HUGE", "2025-01-16T14:30:00Z", "10.0000", "10.0000",
        "10.0000", "10.0000", io.tickvault.domain.BarRules.MAX_VOLUME, SYN)).iterator());
    assertEquals(Fixtures.bars().size() + 1, prod.stats(SYN, BarFilter.ALL).rows(), "the bound itself is accepted");
  }

  @Test
  void volumes_and_vwaps_at_the_bound_aggregate_exactly() {
    long max = io.tickvault.domain.BarRules.MAX_VOLUME;
    // two products of 5 * 10^18 (each fits BIGINT, their sum does not), one at the volume bound
    workspace.production().write(SYN, Timeframe.MIN_1, List.of(
        vwapBar("BIG", "2025-01-16T14:30:00Z", "500000.0000", 1_000_000_000L),
        vwapBar("BIG", "2025-01-16T14:31:00Z", "500000.0001", 1_000_000_000L),
        vwapBar("BIG", "2025-01-16T14:32:00Z", "999999.9999", max),
        vwapBar("BIG", "2025-01-16T14:33:00Z", "0.0001", 3)).iterator());
    java.math.BigDecimal weighted = new java.math.BigDecimal("500000.0000").multiply(java.math.BigDecimal.valueOf(
        1_000_000_000L)).add(new java.math.BigDecimal("500000.0001").multiply(java.math.BigDecimal.valueOf(
        1_000_000_000L))).add(new java.math.BigDecimal("999999.9999").multiply(java.math.BigDecimal.valueOf(max)))
        .add(new java.math.BigDecimal("0.0003"));
    long volume = 2_000_000_000L + max + 3;
    String vwap = weighted.divide(java.math.BigDecimal.valueOf(volume), 4, java.math.RoundingMode.HALF_EVEN)
        .toPlainString();
    for (String interval : List.of("1d", "1h", "1mo")) {
      HttpResponse<String> r = api.get("/api/market-data/history/BIG?interval=" + interval);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode c = json(r).at("/data/0");
      assertEquals(volume, c.get("volume").asLong(), interval);
      assertEquals(vwap, c.get("vwap").decimalValue().toPlainString(), interval);
      assertEquals("500000.0000", c.get("open").decimalValue().toPlainString(), interval);
      assertEquals("0.0001", c.get("close").decimalValue().toPlainString(), interval);
    }
    JsonNode summary = json(api.get("/api/market-summary"));
    JsonNode big = summary.at("/symbols/1");
    assertEquals("BIG", big.get("symbol").asText());
    assertEquals(volume, big.get("volume").asLong());
    // only the two products of 5 * 10^18 in one candle: their sum overflows BIGINT; the mean is a tie
    workspace.production().write(SYN, Timeframe.MIN_1, List.of(
        vwapBar("BIG2", "2025-01-16T14:30:00Z", "500000.0000", 1_000_000_000L),
        vwapBar("BIG2", "2025-01-16T14:31:00Z", "500000.0001", 1_000_000_000L)).iterator());
    HttpResponse<String> r = api.get("/api/market-data/history/BIG2?interval=1h");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("500000.0000", json(r).at("/data/0/vwap").decimalValue().toPlainString(),
        "500000.00005 rounded half-even");
    assertEquals(2_000_000_000L, json(r).at("/data/0/volume").asLong());
  }

  private static io.tickvault.domain.Bar vwapBar(String symbol, String time, String price, long volume) {
    java.math.BigDecimal p = new java.math.BigDecimal(price);
    return io.tickvault.domain.Bar.ohlcv(io.tickvault.domain.Symbol.of(symbol), Instant.parse(time), p, p, p, p,
        volume, 1, p, SYN);
  }

  /** Three rows of BIGINT-max volume written past the gate (by plain SQL, as an older tickvault could). */
  void writeOverflowingRowsBehindTheGatesBack() throws Exception {
    String url = prodUrl;
    boolean pg = url.startsWith("jdbc:postgresql:");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg ? url : "jdbc:sqlite:" + url);
         java.sql.Statement s = c.createStatement()) {
      for (int minute = 30; minute < 33; minute++) {
        Instant t = Instant.parse("2025-01-16T14:" + minute + ":00Z");
        s.executeUpdate(pg
            ? "INSERT INTO price_ticks_synthetic (symbol, \"timestamp\", price, open_price, high_price, low_price, "
                + "close_price, volume, trade_count, vwap, origin) VALUES ('HUGE', '" + t + "', 10, 10, 10, 10, 10, "
                + Long.MAX_VALUE + ", 1, 10, 'synthetic')"
            : "INSERT INTO price_ticks_synthetic (symbol, \"timestamp\", price, open_price, high_price, low_price, "
                + "close_price, volume, trade_count, vwap, origin) VALUES ('HUGE', " + t.toEpochMilli() * 1000
                + ", 100000, 100000, 100000, 100000, 100000, " + Long.MAX_VALUE + ", 1, 100000, 'synthetic')");
      }
    }
  }

  @Test
  void stored_volumes_that_overflow_a_sum_give_one_well_formed_error_and_spare_the_other_symbols() throws Exception {
    writeOverflowingRowsBehindTheGatesBack();
    for (String interval : List.of("1d", "1h")) {
      assertError(api.get("/api/market-data/history/HUGE?interval=" + interval), 500, "invalid_stored_data",
          "volumes of HUGE in source synthetic sum beyond");
    }
    HttpResponse<String> one = api.get("/api/market-data/history/HUGE?interval=1m");
    assertEquals(200, one.statusCode(), "single bars need no sum: " + one.body());
    assertEquals(3, json(one).get("data").size());
    HttpResponse<String> r = api.get("/api/market-summary");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(List.of("AAPL", "BTC/USD", "MSFT"), body.get("symbols").findValuesAsText("symbol"));
    assertEquals("105.5000", body.at("/symbols/0/lastPrice").decimalValue().toPlainString());
    assertEquals(1, body.get("errors").size(), body.toString());
    assertEquals("HUGE", body.at("/errors/0/symbol").asText());
    assertEquals("invalid_stored_data", body.at("/errors/0/type").asText());
    assertTrue(body.at("/errors/0/message").asText().contains("sum beyond"), body.toString());
  }

  @Test
  void a_query_that_fails_after_the_response_started_still_ends_in_one_well_formed_document() throws Exception {
    List<io.tickvault.domain.Bar> hours = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) { // 600 hourly candles: far more than the response buffer holds
      hours.add(Bars.bar("HUGE", Instant.parse("2024-12-01T00:00:00Z").plusSeconds(3600L * i).toString(), "10.0000",
          SYN));
    }
    workspace.production().write(SYN, Timeframe.MIN_1, hours.iterator());
    writeOverflowingRowsBehindTheGatesBack(); // 2025-01-16, after all of them
    HttpResponse<String> r = api.get("/api/market-data/history/HUGE?interval=1h");
    if (!prodUrl.startsWith("jdbc:postgresql:")) {
      // SQLite materialises the ordered groups first: the query fails before any byte is sent
      assertError(r, 500, "invalid_stored_data", "volume > 100000000000000");
      return;
    }
    // PostgreSQL streams the groups: the overflow shows up after 600 candles were sent
    assertEquals(200, r.statusCode(), "the status was sent with the first candles");
    JsonNode body = json(r); // one document, or this fails
    assertEquals(List.of("data", "error", "metadata"), fieldNames(body));
    assertEquals(600, body.get("data").size());
    assertEquals(600, body.at("/metadata/count").asLong());
    assertEquals(500, body.at("/error/status").asInt());
    assertEquals("invalid_stored_data", body.at("/error/type").asText());
    assertTrue(body.at("/error/message").asText().contains("volume > 100000000000000"), r.body());
  }

  // ---- issue 10 §6: paging and one metadata block ---------------------------------------------

  @Test
  void history_pages_with_limit_and_the_cursor_of_the_next_page_until_every_candle_was_sent_once() {
    workspace.production().write(SYN, Timeframe.MIN_1, Bars.minutes("PAGE", "2025-01-16T14:30:00Z", 25, SYN)
        .iterator());
    List<String> times = new java.util.ArrayList<>();
    String next = "/api/market-data/history/PAGE?interval=5m&from=2025-01-16&to=2025-01-16&limit=2";
    int pages = 0;
    while (next != null) {
      HttpResponse<String> r = api.get(next);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = json(r);
      JsonNode m = body.get("metadata");
      assertEquals(2, m.get("limit").asInt());
      assertEquals(body.get("data").size(), m.get("count").asInt());
      assertEquals(pages == 0, m.get("cursor").isNull(), "the first page has no cursor");
      assertEquals("2025-01-16T00:00:00Z", m.get("from").asText(), "every page names the range asked for");
      body.get("data").forEach(c -> times.add(c.get("time").asText()));
      next = m.get("next").isNull() ? null : m.get("next").asText();
      assertEquals(m.get("nextCursor").isNull(), next == null);
      if (next != null) {
        assertTrue(next.contains("&cursor=" + m.get("nextCursor").asText().replace(":", "%3A")), next);
      }
      pages++;
    }
    assertEquals(3, pages, "5 candles of 5 minutes in pages of 2");
    assertEquals(List.of("2025-01-16T14:30:00Z", "2025-01-16T14:35:00Z", "2025-01-16T14:40:00Z",
        "2025-01-16T14:45:00Z", "2025-01-16T14:50:00Z"), times);
    // a candle is never split across pages: the second page's first candle sums all of its five bars
    JsonNode second = json(api.get("/api/market-data/history/PAGE?interval=5m&limit=2&cursor=2025-01-16T14:40:00Z"));
    assertEquals(1010 + 1011 + 1012 + 1013 + 1014, second.at("/data/0/volume").asLong());
    JsonNode whole = json(api.get("/api/market-data/history/PAGE"));
    assertEquals(25, whole.get("data").size(), "25 candles fit the default limit");
    assertEquals(10_000, whole.at("/metadata/limit").asInt());
    assertTrue(whole.at("/metadata/next").isNull());
    assertError(api.get("/api/market-data/history/PAGE?limit=0"), 400, "invalid_input", "invalid limit '0'");
    assertError(api.get("/api/market-data/history/PAGE?limit=1000001"), 400, "invalid_input", "invalid limit");
    assertError(api.get("/api/market-data/history/PAGE?cursor=soon"), 400, "invalid_input", "invalid cursor 'soon'");
    assertError(api.get("/api/market-data/history/PAGE?from=2025-01-16&cursor=2025-01-15T00:00:00Z"), 400,
        "invalid_input", "outside the requested range");
  }

  @Test
  void a_symbol_with_a_slash_pages_through_its_encoded_next_request() {
    HttpResponse<String> r = api.get("/api/market-data/history/BTC%2FUSD?limit=1");
    JsonNode m = json(r).get("metadata");
    assertTrue(m.get("next").isNull(), "one bar, one page: " + r.body());
    workspace.production().write(SYN, Timeframe.MIN_1, List.of(Bars.bar("BTC/USD", "2025-01-15T10:01:00Z",
        "42001.0000", SYN)).iterator());
    m = json(api.get("/api/market-data/history/BTC%2FUSD?limit=1")).get("metadata");
    assertTrue(m.get("next").asText().startsWith("/api/market-data/history/BTC%2FUSD?"), m.toString());
    JsonNode second = json(api.get(m.get("next").asText()));
    assertEquals("2025-01-15T10:01:00Z", second.at("/data/0/time").asText());
  }

  @Test
  void every_endpoint_answers_the_same_metadata_block_under_the_same_name() {
    List<String> block = List.of("mode", "source", "environment", "description", "isLive", "readOnly", "store",
        "lastSync", "ageDays", "stale", "staleAfter");
    JsonNode history = json(api.get("/api/market-data/history/AAPL")).get("metadata");
    JsonNode summary = json(api.get("/api/market-summary")).get("metadata");
    JsonNode sources = json(api.get("/api/sources")).get("metadata");
    JsonNode quality = json(api.get("/api/quality?symbol=AAPL")).get("metadata");
    JsonNode dataSource = json(api.get("/api/data-source"));
    HttpResponse<String> bt = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url()
        + "api/backtest")).header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
        .ofString("{\"symbol\": \"AAPL\", \"strategy\": \"buy-and-hold\"}")));
    assertEquals(200, bt.statusCode(), bt.body());
    JsonNode backtest = json(bt).get("metadata");
    for (JsonNode m : List.of(history, summary, sources, quality, dataSource, backtest)) {
      assertEquals(block, fieldNames(m).subList(0, block.size()), m.toString());
      for (String f : block) {
        assertEquals(summary.get(f), m.get(f), f + " in " + m);
      }
    }
    assertEquals("Live Production Data", history.get("description").asText());
    assertEquals("live", history.get("mode").asText());
    for (String body : List.of(api.get("/api/market-summary").body(), api.get("/api/sources").body())) {
      assertFalse(body.contains("\"provenance\""), body);
    }
  }

  @Test
  void the_live_stream_checks_its_parameters_as_the_history_does_before_the_stream_starts() throws Exception {
    hongKongDaily();
    assertError(api.get("/api/market-data/stream/ZZZ?interval=1m"), 404, "not_found", "unknown symbol 'ZZZ'");
    assertError(api.get("/api/market-data/stream/AAPL?source=nosuch&interval=1m"), 404, "not_found",
        "no source 'nosuch'");
    assertError(api.get("/api/market-data/stream/0005.HK?source=hkex&interval=5m"), 400, "invalid_input",
        "interval 5m is finer than the 1Day bars of source hkex");
    assertError(api.get("/api/market-data/stream/AAPL?interval=7m"), 400, "invalid_input", "invalid interval '7m'");
    // without an interval: the source's own width, as the history
    String start = rawStart("/api/market-data/stream/0005.HK?source=hkex", ": watching");
    assertTrue(start.startsWith("HTTP/1.1 200"), start);
    assertTrue(start.contains("text/event-stream"), start);
    assertTrue(start.contains(": watching hkex 0005.HK 1d"), start);
  }

  /** The start of a response that does not end (a stream), up to and including the line holding {@code until}. */
  private String rawStart(String path, String until) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        b.append(line).append('\n');
        if (line.contains(until)) {
          break;
        }
      }
      return b.toString();
    }
  }

  /** Asserts the one error shape, the status, the type and part of the message; and no stack trace. */
  static void assertError(HttpResponse<String> r, int status, String type, String messagePart) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().map()
        .toString());
    JsonNode body = json(r);
    assertEquals(List.of("status", "title", "type", "message"), fieldNames(body), r.body());
    assertEquals(status, body.get("status").asInt());
    assertEquals(type, body.get("type").asText(), r.body());
    assertTrue(body.get("message").asText().contains(messagePart), "expected '" + messagePart + "' in " + r.body());
    assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), "no stack trace: " + r.body());
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
