package io.tickvault.server;

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

  /** The production store's URL. */
  protected String productionUrl() {
    return dir.resolve("prod.db").toString();
  }

  @BeforeEach
  void start() {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, productionUrl()), dir);
    workspace = new Workspace(settings);
    BarStore prod = workspace.production();
    prod.createSource(SYN, SourceKind.GENERATED, "generated mock data");
    prod.createSource(SourceName.ALPACA, SourceKind.VENDOR, "real data from Alpaca");
    long run = prod.startIngest(SYN, "synthetic", null, "AAPL,MSFT,BTC/USD", TimeRange.ALL);
    prod.write(SYN, Fixtures.bars().iterator());
    prod.finishIngest(run, Fixtures.bars().size(), "ok", null);
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
    assertEquals("production", body.at("/provenance/environment").asText());
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
    assertTrue(body.get("period").asText().contains("last UTC day with data"));
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
    assertEquals("2025-01-15T00:00:00Z", d2.get("time").asText());
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

  @Test
  void bad_dates_intervals_and_ranges_are_400_with_a_message() {
    assertError(api.get("/api/market-data/history/AAPL?from=yesterday"), 400, "invalid_input",
        "invalid from 'yesterday'");
    assertError(api.get("/api/market-data/history/AAPL?to=2025-02-30"), 400, "invalid_input", "invalid to");
    assertError(api.get("/api/market-data/history/AAPL?from=%2B999999999-01-01T00:00:00Z"), 400, "invalid_input",
        "outside the supported range");
    assertError(api.get("/api/market-data/history/AAPL?interval=7m"), 400, "invalid_input",
        "invalid interval '7m': use 1m, 5m, 15m, 1h or 1d");
    assertError(api.get("/api/market-data/history/AAPL?from=2025-01-15&to=2025-01-14"), 400, "invalid_input",
        "empty range");
  }

  @Test
  void hostile_source_and_symbol_names_are_400_and_touch_nothing() {
    String drop = "x%3B%20DROP%20TABLE%20price_ticks_alpaca%3B%20--";
    assertError(api.get("/api/market-summary?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/market-data/history/AAPL?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/data-source?source=" + drop), 400, "invalid_input", "invalid source name");
    assertError(api.get("/api/market-data/history/" + drop), 400, "invalid_input", "invalid symbol");
    assertError(api.get("/api/market-data/history/a%22b"), 400, "invalid_input", "invalid symbol 'A\"B'");
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
