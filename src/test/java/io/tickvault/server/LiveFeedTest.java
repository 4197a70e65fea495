package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.testing.Bars;
import io.tickvault.testing.TestClock;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live updates over Server-Sent Events through one shared reader, and the simulated candle of
 * {@code serve --simulate-live}. The feed's timer is slowed down to an hour; the test ticks it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SourceName A = SourceName.ALPACA;

  @TempDir
  Path dir;

  static List<Bar> minutes(String sym, int from, int to) {
    List<Bar> out = new ArrayList<>();
    for (int m = from; m <= to; m++) {
      String p = "100." + String.format("%02d", m);
      out.add(Bars.bar(sym, "2026-11-20T14:" + String.format("%02d", m) + ":00Z", p, p, p, p, 100 + m, A));
    }
    return out;
  }

  private Settings settings(String mode) {
    return Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(), Settings.MIRROR,
        dir.resolve("mirror.db").toString(), Settings.DATA_SOURCE, "alpaca", Settings.DATA_MODE, mode), dir);
  }

  /** Reads SSE lines until an event named {@code candles} arrives; returns its data. */
  private static String nextCandles(BufferedReader r) throws Exception {
    String event = null;
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:") && "candles".equals(event)) {
        return line.substring(5).strip();
      }
    }
    throw new AssertionError("the stream ended");
  }

  @Test
  void oneSharedReadServesEveryTabAndCarriesTheNewCandle() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:45:00Z");
    try (Workspace ws = new Workspace(settings("live"))) {
      BarStore prod = ws.production();
      prod.createSource(A, SourceKind.VENDOR, "Alpaca");
      prod.write(A, io.tickvault.domain.Timeframe.MIN_1, minutes("AAPL", 30, 40).iterator());
      try (ApiServer server = ApiServer.start(ws, clock, "127.0.0.1", 0, false, Duration.ofHours(1))) {
        HttpClient http = HttpClient.newHttpClient();
        List<BufferedReader> tabs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(server.url()
              + "api/market-data/stream/AAPL?source=alpaca&interval=1m")).header("Accept", "text/event-stream").build(),
              HttpResponse.BodyHandlers.ofInputStream());
          assertEquals(200, r.statusCode());
          assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
              r.headers().toString());
          tabs.add(new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
        }
        LiveFeed feed = server.live();
        while (feed.watching() < 3) {
          Thread.sleep(20);
        }
        for (BufferedReader tab : tabs) {
          // each tab is answered at once with the candles as of its subscription
          JsonNode e = JSON.readTree(nextCandles(tab));
          JsonNode last = e.get("candles").get(e.get("candles").size() - 1);
          assertEquals("2026-11-20T14:40:00Z", last.get("time").asText());
        }
        long perTab = feed.aggregations();
        assertEquals(3, perTab, "one candle query per subscription");
        // written before any tick ran: the position was taken when the tabs subscribed, so it is a change
        prod.write(A, io.tickvault.domain.Timeframe.MIN_1, minutes("AAPL", 41, 41).iterator());
        feed.tick();
        for (BufferedReader tab : tabs) {
          JsonNode e = JSON.readTree(nextCandles(tab));
          assertEquals("AAPL", e.get("symbol").asText());
          assertEquals("1m", e.get("interval").asText());
          JsonNode last = e.get("candles").get(e.get("candles").size() - 1);
          assertEquals("2026-11-20T14:41:00Z", last.get("time").asText());
          assertEquals("100.41", last.get("close").decimalValue().stripTrailingZeros().toPlainString());
        }
        assertEquals(1, feed.reads(), "one change-log read per tick for all three tabs");
        assertEquals(perTab + 1, feed.aggregations(), "one candle query for the changed symbol, not one per tab");
        prod.write(A, io.tickvault.domain.Timeframe.MIN_1, minutes("MSFT", 41, 41).iterator());
        feed.tick();
        assertEquals(perTab + 1, feed.aggregations(), "a change of another symbol sends nothing to AAPL's tabs");
      }
    }
  }

  @Test
  void simulatedCandleOnlyInMirrorModeAndOnlyWhenAskedFor() throws Exception {
    try (Workspace ws = new Workspace(settings("live"))) {
      BarStore prod = ws.production();
      prod.createSource(A, SourceKind.VENDOR, "Alpaca");
      prod.write(A, io.tickvault.domain.Timeframe.MIN_1, minutes("AAPL", 30, 40).iterator());
      new MirrorService(dir.resolve("mirror.db"), Clock.systemUTC()).sync(prod, SyncOptions.INCREMENTAL);
      try (ApiServer live = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0, true, Duration.ofSeconds(1))) {
        ApiClient api = new ApiClient(live.url());
        assertEquals(404, api.get("/api/market-data/simulated/AAPL?interval=1m").statusCode(), "never in live mode");
        assertTrue(JSON.readTree(api.get("/api/live").body()).get("liveUpdates").asBoolean());
      }
    }
    try (Workspace ws = new Workspace(settings("mirror"))) {
      try (ApiServer plain = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
        assertEquals(404, new ApiClient(plain.url()).get("/api/market-data/simulated/AAPL?interval=1m").statusCode(),
            "not without --simulate-live");
      }
      try (ApiServer sim = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0, true, Duration.ofSeconds(1))) {
        ApiClient api = new ApiClient(sim.url());
        JsonNode cfg = JSON.readTree(api.get("/api/live").body());
        assertTrue(cfg.get("simulateLive").asBoolean());
        assertTrue(!cfg.get("liveUpdates").asBoolean(), "the mirror has no live updates");
        HttpResponse<String> r = api.get("/api/market-data/simulated/AAPL?interval=1m");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        JsonNode c = body.get("data").get(0);
        assertTrue(c.get("simulated").asBoolean());
        assertTrue(body.at("/metadata/simulated").asBoolean());
        assertEquals("2026-11-20T14:41:00Z", c.get("time").asText(), "the minute after the last synced bar");
        assertEquals("100.40", c.get("close").decimalValue().setScale(2).toPlainString(), "from the last close");
        assertEquals(c.get("close").decimalValue(), c.get("open").decimalValue());
        // without an interval: the source's width, as the history (it used to fail with 500)
        HttpResponse<String> plainInterval = api.get("/api/market-data/simulated/AAPL");
        assertEquals(200, plainInterval.statusCode(), plainInterval.body());
        assertEquals("1m", JSON.readTree(plainInterval.body()).at("/metadata/interval").asText());
        assertEquals(404, api.get("/api/market-data/simulated/ZZZ").statusCode());
        // never in the history (or anything built on it) and never stored
        JsonNode h = JSON.readTree(api.get("/api/market-data/history/AAPL?interval=1m").body());
        assertEquals(11, h.get("data").size());
        assertTrue(h.toString().indexOf("simulated") < 0, "the history knows nothing of it");
        assertEquals(11, ws.store().stats(A, io.tickvault.store.BarFilter.ALL).rows());
      }
    }
  }
}
