package io.tickvault.server;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.testing.TestClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/health/sources}: the document of {@code tickvault health --format json}, on the
 * server's injected clock; a source turns late when the clock passes Monday's close plus the grace;
 * {@code ?source=} picks one (unknown: 404); in mirror mode it says the mirror's age.
 */
class SourceHealthApiTest {
  @TempDir
  Path dir;

  private static final SourceName FEED = SourceName.of("feed");

  private Settings settings(String mode) {
    return Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(), Settings.MIRROR,
        dir.resolve("mirror.db").toString(), Settings.DATA_MODE, mode, Settings.DATA_SOURCE, "feed"), dir);
  }

  private void fill(BarStore prod) {
    prod.createSource(FEED, SourceKind.VENDOR, null, Timeframe.MIN_1, null);
    prod.write(FEED, Timeframe.MIN_1, minutes("AAPL", "2026-11-27T14:30:00Z", 30, FEED).iterator());
  }

  @Test
  void the_states_follow_the_servers_clock() throws Exception {
    TestClock clock = TestClock.at("2026-11-30T20:00:00Z"); // Monday 15:00 New York
    try (Workspace ws = new Workspace(settings("live"))) {
      fill(ws.production());
      try (ApiServer server = ApiServer.start(ws, clock, "127.0.0.1", 0)) {
        ApiClient api = new ApiClient(server.url());
        HttpResponse<String> r = api.get("/api/health/sources");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = ApiClient.json(r);
        assertEquals(true, doc.get("healthy").asBoolean());
        assertEquals("live", doc.get("mode").asText());
        JsonNode feed = doc.get("sources").get(0);
        assertEquals("feed", feed.get("source").asText());
        assertEquals("fresh", feed.get("state").asText());
        assertEquals("2026-11-27", feed.get("lastCompletedSession").asText());

        clock.advance(Duration.ofHours(7)); // Monday 22:00 New York: 16:00 + 6h
        feed = ApiClient.json(api.get("/api/health/sources?source=feed")).get("sources").get(0);
        assertEquals("late", feed.get("state").asText());
        assertEquals(true, feed.get("alert").asBoolean());
        assertEquals("2026-11-30", feed.get("lastCompletedSession").asText());
        assertEquals("2026-12-01T03:00:00Z", feed.get("dueSince").asText());
        assertTrue(feed.get("reason").asText().startsWith("late: newest bar 2026-11-27 14:59Z"), feed.toString());

        assertEquals(404, api.get("/api/health/sources?source=nosuch").statusCode());
      }
    }
  }

  @Test
  void in_mirror_mode_it_reads_the_mirror_and_gives_its_age() throws Exception {
    Instant synced = Instant.parse("2026-11-30T12:00:00Z");
    try (Workspace ws = new Workspace(settings("live"))) {
      fill(ws.production());
      new MirrorService(dir.resolve("mirror.db"), Clock.fixed(synced, ZoneOffset.UTC))
          .sync(ws.production(), SyncOptions.INCREMENTAL);
    }
    try (Workspace ws = new Workspace(settings("mirror"));
         ApiServer server = ApiServer.start(ws, Clock.fixed(Instant.parse("2026-11-30T20:00:00Z"), ZoneOffset.UTC),
             "127.0.0.1", 0)) {
      JsonNode doc = ApiClient.json(new ApiClient(server.url()).get("/api/health/sources"));
      assertEquals("mirror", doc.get("mode").asText());
      assertEquals(synced.toString(), doc.get("mirror").get("lastSync").asText());
      assertEquals(8 * 3600, doc.get("mirror").get("ageSeconds").asLong());
      assertEquals("fresh", doc.get("sources").get(0).get("state").asText());
      assertTrue(doc.get("sources").get(0).get("lastRun").isNull(), "the mirror holds no ingest log");
    }
  }
}
