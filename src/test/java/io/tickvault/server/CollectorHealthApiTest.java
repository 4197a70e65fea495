package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.ingest.stream.CollectorStatus;
import io.tickvault.store.BarStore;
import io.tickvault.testing.TestClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector's health as the rest of tickvault sees it: {@code /api/sources} shows its state and
 * last bar per symbol, {@code /health} its lag, and the dashboard's Live indicator turns amber when
 * it lags during the session and red when it is down, with the reason. The status is what a
 * collector publishes in production; the server's clock is injected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CollectorHealthApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-20T14:40:00Z"); // Friday 09:40 New York

  @TempDir
  Path dir;
  Workspace workspace;
  ApiServer server;
  ApiClient api;
  TestClock clock;

  @BeforeEach
  void start() {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(),
        Settings.DATA_SOURCE, "alpaca"), dir);
    workspace = new Workspace(settings);
    BarStore prod = workspace.production();
    prod.createSource(SourceName.ALPACA, SourceKind.VENDOR, "real data from Alpaca");
    clock = new TestClock(NOW);
    server = ApiServer.start(workspace, clock, "127.0.0.1", 0);
    api = new ApiClient(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
    workspace.close();
  }

  private void publish(String state, Instant heartbeat, String newest) {
    new CollectorStatus(SourceName.ALPACA, "Alpaca", "iex", List.of("AAPL", "MSFT"), state,
        state.equals("backoff") ? "the connection closed (code 1006)" : null, 4242, "box", 1,
        NOW.minus(Duration.ofHours(1)), heartbeat, heartbeat, Map.of("AAPL", Instant.parse(newest)), 2, 50, 9,
        Duration.ZERO).publish(workspace.production());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = api.get(path);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void sourcesHealthAndIndicatorFollowTheCollector() throws Exception {
    publish("streaming", NOW.minusSeconds(3), "2026-11-20T14:39:00Z");
    JsonNode alpaca = get("/api/sources").get("sources").get(0);
    assertEquals("alpaca", alpaca.get("name").asText());
    JsonNode c = alpaca.get("collector");
    assertEquals("streaming", c.get("state").asText());
    assertEquals("ok", c.get("health").asText());
    assertEquals("2026-11-20T14:39:00Z", c.at("/lastBars/AAPL").asText());
    assertTrue(c.at("/lastBars/MSFT").isNull(), "a symbol without a bar yet is listed with null");
    assertTrue(get("/api/sources").get("sources").get(1).get("collector").isNull(), "no collector for mock");

    JsonNode h = get("/health").get("collectors").get(0);
    assertEquals("alpaca", h.get("source").asText());
    assertEquals("ok", h.get("health").asText());
    assertEquals(0, h.get("lagSeconds").asLong(), "the 14:39 bar ends at 14:40 = now");
    assertEquals("live", get("/api/data-source").at("/indicator/level").asText());

    publish("streaming", NOW.minusSeconds(3), "2026-11-20T14:30:00Z");
    h = get("/health").get("collectors").get(0);
    assertEquals("lagging", h.get("health").asText());
    assertEquals(540, h.get("lagSeconds").asLong());
    JsonNode ind = get("/api/data-source").get("indicator");
    assertEquals("lagging", ind.get("level").asText());
    assertEquals("Live Data (collector lagging)", ind.get("text").asText());
    assertTrue(ind.get("reason").asText().contains("9 min old during the regular session"), ind.toString());

    publish("backoff", NOW.minusSeconds(3), "2026-11-20T14:39:00Z");
    assertEquals("lagging", get("/api/data-source").at("/indicator/level").asText());

    clock.advance(Duration.ofMinutes(3)); // no heartbeat for 3 minutes: killed
    ind = get("/api/data-source").get("indicator");
    assertEquals("down", ind.get("level").asText());
    assertTrue(ind.get("reason").asText().contains("no heartbeat from the collector (pid 4242 on box)"), ind.toString());

    publish("stopped", NOW.plus(Duration.ofMinutes(3)), "2026-11-20T14:39:00Z");
    assertEquals("down", get("/health").at("/collectors/0/health").asText());
    assertEquals("collector stopped", get("/api/data-source").at("/indicator/reason").asText());
  }

  @Test
  void quietAfterTheCloseIsNotLag() throws Exception {
    clock.advance(Duration.ofHours(8)); // 22:40Z = 17:40 New York
    publish("streaming", clock.instant().minusSeconds(2), "2026-11-20T20:59:00Z");
    assertEquals("ok", get("/health").at("/collectors/0/health").asText());
    assertEquals("live", get("/api/data-source").at("/indicator/level").asText());
  }
}
