package io.tickvault.server;

import io.tickvault.domain.Timeframe;
import static io.tickvault.server.ApiClient.json;
import static io.tickvault.server.LiveApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.Bars;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API in mirror mode: a real production store synced into a real mirror file by the mirror
 * service, a real server whose clock is set some days after that sync.
 */
class MirrorApiTest {
  static final Instant SYNCED = Instant.parse("2025-01-20T12:00:00Z");

  @TempDir
  Path dir;
  Path production;
  Path mirror;
  Workspace workspace;
  ApiServer server;
  ApiClient api;

  @BeforeEach
  void fillProductionAndSync() {
    production = dir.resolve("prod.db");
    mirror = dir.resolve("mirror.db");
    try (BarStore prod = Stores.open(production.toString())) {
      prod.createSource(SourceName.SYNTHETIC, SourceKind.GENERATED, "generated mock data");
      prod.write(SourceName.SYNTHETIC, Timeframe.MIN_1, Fixtures.bars().iterator());
      new MirrorService(mirror, Clock.fixed(SYNCED, ZoneOffset.UTC)).sync(prod, SyncOptions.INCREMENTAL);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  /** Starts a mirror-mode server whose "now" is {@code days} after the sync; an override "-" unsets a key. */
  void serve(long days, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put(Settings.DATA_MODE, "mirror");
    env.put(Settings.DATABASE_URL, production.toString());
    env.put(Settings.MIRROR, mirror.toString());
    env.putAll(overrides);
    env.values().removeIf("-"::equals);
    workspace = new Workspace(Settings.load(env, dir));
    Clock clock = Clock.fixed(SYNCED.plus(Duration.ofDays(days)), ZoneOffset.UTC);
    server = ApiServer.start(workspace, clock, "127.0.0.1", 0);
    api = new ApiClient(server.url());
  }

  @Test
  void history_from_the_mirror_says_historical_mirror_read_only_and_reads_never_change_the_file() throws Exception {
    serve(2, Map.of());
    byte[] before = sha256(mirror);
    HttpResponse<String> r = api.get("/api/market-data/history/AAPL?interval=1d");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(2, body.get("data").size());
    assertEquals("105.5000", body.at("/data/1/close").decimalValue().toPlainString());
    JsonNode m = body.get("metadata");
    assertEquals("synthetic", m.get("source").asText());
    assertEquals("mirror", m.get("environment").asText());
    assertEquals("Historical Mirror (2 days old)", m.get("description").asText());
    assertEquals(SYNCED.toString(), m.get("lastSync").asText());
    assertEquals("2025-01-15T14:31:00Z", m.get("dataThrough").asText());
    assertFalse(m.get("isLive").asBoolean());
    assertTrue(m.get("readOnly").asBoolean());
    JsonNode summary = json(api.get("/api/market-summary"));
    assertEquals("4.5000", summary.at("/symbols/0/change").decimalValue().toPlainString());
    assertEquals("mirror", summary.at("/metadata/environment").asText());
    JsonNode sources = json(api.get("/api/sources"));
    assertEquals("has data", sources.get("sources").findValues("status").get(3).asText());
    assertEquals(200, api.get("/health").statusCode());
    assertArrayEquals(before, sha256(mirror), "serving the mirror never writes it");
  }

  @Test
  void data_source_of_a_fresh_mirror_shows_its_last_sync_and_offers_no_sync_button() {
    serve(2, Map.of());
    JsonNode ds = json(api.get("/api/data-source"));
    assertEquals("mirror", ds.get("mode").asText());
    assertEquals("mirror", ds.get("environment").asText());
    assertEquals("Historical Mirror (2 days old)", ds.get("description").asText());
    assertEquals(SYNCED.toString(), ds.get("lastSync").asText());
    assertEquals(2, ds.get("ageDays").asLong());
    assertFalse(ds.get("stale").asBoolean());
    assertFalse(ds.get("isLive").asBoolean());
    assertTrue(ds.get("readOnly").asBoolean());
    assertEquals("2025-01-15T15:00:00Z", ds.get("dataThrough").asText());
    assertEquals("Historical Data (last sync: 2 days ago)", ds.at("/indicator/text").asText());
    assertEquals("mirror", ds.at("/indicator/level").asText());
    assertTrue(ds.at("/indicator/canSync").asBoolean(), "production is configured");
    assertEquals("sqlite:" + production, ds.at("/production/location").asText());
  }

  @Test
  void a_mirror_older_than_the_threshold_is_stale() {
    serve(8, Map.of());
    JsonNode ds = json(api.get("/api/data-source"));
    assertEquals("Historical Mirror (8 days old)", ds.get("description").asText());
    assertTrue(ds.get("stale").asBoolean());
    assertEquals("Historical Data (last sync: 8 days ago)", ds.at("/indicator/text").asText());
    assertEquals("stale", ds.at("/indicator/level").asText());
    assertEquals("Historical Mirror (8 days old)",
        json(api.get("/api/market-data/history/MSFT")).at("/metadata/description").asText());
  }

  @Test
  void the_threshold_comes_from_tickvault_stale_after() {
    serve(2, Map.of(Settings.STALE_AFTER, "1d"));
    JsonNode ds = json(api.get("/api/data-source"));
    assertTrue(ds.get("stale").asBoolean());
    assertEquals("1d", ds.get("staleAfter").asText());
  }

  @Test
  void the_sync_log_lists_every_attempt_newest_first_with_the_error_of_a_failed_one() throws Exception {
    serve(1, Map.of());
    JsonNode first = json(api.get("/api/sync/log"));
    assertEquals(1, first.size(), first.toString());
    assertEquals("first", first.at("/0/mode").asText());
    assertTrue(first.at("/0/ok").asBoolean());
    assertEquals(SYNCED.toString(), first.at("/0/started").asText());
    assertEquals("synthetic", first.at("/0/sources/0/source").asText());
    assertEquals(first.at("/0/rowsAdded").asLong(), first.at("/0/sources/0/rowsAdded").asLong());
    // production goes away: the Sync now button fails, and the failure is logged with its reason
    var rw = Files.getPosixFilePermissions(production);
    Files.setPosixFilePermissions(production, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
    try {
      HttpResponse<String> down = api.post("/api/sync");
      org.junit.jupiter.api.Assumptions.assumeTrue(down.statusCode() >= 400,
          "running as real root, which reads any file: no outage to log");
    } finally {
      Files.setPosixFilePermissions(production, rw);
    }
    assertEquals(200, api.post("/api/sync").statusCode());
    JsonNode log = json(api.get("/api/sync/log?limit=2"));
    assertEquals(2, log.size(), log.toString());
    assertTrue(log.at("/0/ok").asBoolean());
    assertFalse(log.at("/1/ok").asBoolean());
    assertFalse(log.at("/1/error").asText().isBlank(), log.toString());
    assertEquals("sqlite:" + production.toAbsolutePath(), log.at("/1/production").asText());
    assertEquals(400, api.get("/api/sync/log?limit=0").statusCode());
  }

  @Test
  void sync_now_copies_new_production_rows_and_resets_the_age() {
    try (BarStore prod = Stores.open(production.toString())) {
      prod.write(SourceName.SYNTHETIC, Timeframe.MIN_1, List.of(Bars.bar("AAPL", "2025-01-16T14:30:00Z", "105.0000", "107.0000",
          "104.0000", "106.2500", 900, SourceName.SYNTHETIC)).iterator());
    }
    serve(8, Map.of());
    assertEquals(4, json(api.get("/api/market-data/history/AAPL")).get("data").size(), "not in the mirror yet");
    HttpResponse<String> r = api.post("/api/sync");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode sync = json(r);
    assertFalse(sync.get("full").asBoolean());
    assertEquals(1, sync.get("rowsAdded").asLong());
    assertEquals(0, sync.get("rowsDeleted").asLong());
    assertEquals(SYNCED.plus(Duration.ofDays(8)).toString(), sync.get("lastSync").asText());
    assertEquals("Historical Data (last sync: 0 days ago)", sync.at("/dataSource/indicator/text").asText());
    JsonNode ds = json(api.get("/api/data-source"));
    assertFalse(ds.get("stale").asBoolean());
    assertEquals("Historical Mirror (0 days old)", ds.get("description").asText());
    JsonNode history = json(api.get("/api/market-data/history/AAPL"));
    assertEquals(5, history.get("data").size());
    assertEquals("106.2500", history.at("/data/4/close").decimalValue().toPlainString());
    assertEquals("2025-01-16T14:30:00Z", history.at("/metadata/dataThrough").asText());
  }

  @Test
  void a_sync_requested_by_a_page_of_another_origin_is_forbidden() throws Exception {
    serve(8, Map.of());
    byte[] before = sha256(mirror);
    HttpResponse<String> r = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "api/sync"))
        .header("Origin", "http://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertError(r, 403, "forbidden", "requested by a page of another origin (http://evil.example)");
    assertArrayEquals(before, sha256(mirror));
    HttpResponse<String> same = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url()
        + "api/sync")).header("Origin", server.url().replaceAll("/$", "")).POST(
        java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, same.statusCode(), same.body());
  }

  @Test
  void sync_without_a_production_store_is_409_and_changes_nothing() throws Exception {
    serve(8, Map.of(Settings.DATABASE_URL, "-")); // and no data/tickvault.db in the working directory
    byte[] before = sha256(mirror);
    assertError(api.post("/api/sync"), 409, "sync_unavailable", "no production store to sync from");
    assertFalse(json(api.get("/api/data-source")).at("/indicator/canSync").asBoolean());
    assertArrayEquals(before, sha256(mirror));
    assertFalse(Files.exists(dir.resolve("data/tickvault.db")), "no production store was created");
  }

  @Test
  void sync_from_another_production_store_is_refused_with_409() throws Exception {
    Path other = dir.resolve("other.db");
    Stores.open(other.toString()).close();
    serve(1, Map.of(Settings.DATABASE_URL, other.toString()));
    var lineage = new MirrorService(mirror, Clock.systemUTC()).lineage().orElseThrow();
    assertError(api.post("/api/sync"), 409, "sync_refused", "made from another production store");
    // the mirror's data and lineage are as they were; the refusal is in its log of attempts
    assertEquals(lineage, new MirrorService(mirror, Clock.systemUTC()).lineage().orElseThrow());
    JsonNode log = json(api.get("/api/sync/log"));
    assertFalse(log.at("/0/ok").asBoolean());
    assertTrue(log.at("/0/error").asText().contains("made from another production store"), log.toString());
  }

  @Test
  void before_the_first_sync_the_indicator_says_never_synced_and_sync_now_creates_the_mirror() throws Exception {
    mirror = dir.resolve("new/mirror.db");
    serve(0, Map.of());
    JsonNode ds = json(api.get("/api/data-source"));
    assertEquals("Historical Data (never synced)", ds.at("/indicator/text").asText());
    assertEquals("stale", ds.at("/indicator/level").asText());
    assertTrue(ds.at("/indicator/canSync").asBoolean());
    assertFalse(ds.get("sourceExists").asBoolean());
    assertTrue(ds.get("lastSync").isNull());
    assertError(api.get("/api/sources"), 503, "store_unavailable", "run `tickvault sync` first");
    HttpResponse<String> r = api.post("/api/sync");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(json(r).get("full").asBoolean());
    assertEquals(Fixtures.bars().size(), json(r).get("rowsAdded").asLong());
    assertTrue(Files.isRegularFile(mirror));
    assertEquals(200, api.get("/api/sources").statusCode());
    assertEquals("Historical Data (last sync: 0 days ago)",
        json(api.get("/api/data-source")).at("/indicator/text").asText());
  }

  @Test
  void hostile_names_are_400_in_mirror_mode_too() {
    serve(1, Map.of());
    assertError(api.get("/api/market-data/history/AAPL?source=x%3B%20DROP%20TABLE%20price_ticks_synthetic%3B%20--"),
        400, "invalid_input", "invalid source name");
    assertError(api.get("/api/market-data/history/a%22b"), 400, "invalid_input", "invalid symbol");
    assertError(api.get("/api/market-data/history/ZZZ"), 404, "not_found", "unknown symbol 'ZZZ' in source synthetic [mirror]");
  }

  static byte[] sha256(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }

}
