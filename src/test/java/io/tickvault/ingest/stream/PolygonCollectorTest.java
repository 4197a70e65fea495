package io.tickvault.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.SourceName;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code collect --vendor polygon} against a local server replaying the Polygon/Massive AM stream. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolygonCollectorTest {
  private static final SourceName P = SourceName.POLYGON;
  private static final String EMPTY = "{\"status\":\"OK\",\"results\":[],\"resultsCount\":0}";

  @TempDir
  Path dir;

  BarStore store;

  @BeforeEach
  void open() {
    store = Stores.open(dir.resolve("tickvault.db").toString());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void perTopicAcksBatchedFramesAndRebroadcastCorrections() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    MinuteMarket m = new MinuteMarket(clock);
    FakeStreamServer.Script script = VendorScripts.polygon(CollectorRun.POLYGON_KEY, null, c -> {
      c.send("[" + m.polygon("AAPL", "2026-11-20T14:31:00Z") + "," + m.polygon("MSFT", "2026-11-20T14:31:00Z") + ","
          + "{\"ev\":\"status\",\"status\":\"error\",\"message\":\"something odd\"}]");
      String f = "[" + m.polygon("AAPL", "2026-11-20T14:32:00Z") + "]";
      c.sendFragments(f.substring(0, 7), f.substring(7));
      m.correct("AAPL", "2026-11-20T14:31:00Z", "142.01");
      c.send("[" + m.polygon("AAPL", "2026-11-20T14:31:00Z") + "]"); // same s: the vendor's correction
    });
    try (FakeStreamServer ws = new FakeStreamServer(script);
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.polygon(store, clock, ws.uri("/stocks"), rest.base(), CollectorRun.POLYGON_KEY,
             "AAPL", "MSFT")) {
      run.start();
      run.waitFor("the correction", () -> run.bars(P, "AAPL").size() == 2
          && run.bars(P, "AAPL").get(0).close().compareTo(new java.math.BigDecimal("142.01")) == 0);
      assertEquals(Collector.Outcome.STOPPED, run.stop());
      assertEquals(List.of(m.bar("AAPL", "2026-11-20T14:31:00Z", P), m.bar("AAPL", "2026-11-20T14:32:00Z", P)),
          run.bars(P, "AAPL"));
      assertEquals(List.of(m.bar("MSFT", "2026-11-20T14:31:00Z", P)), run.bars(P, "MSFT"));
      List<String> sent = ws.connections().get(0).received();
      assertEquals("{\"action\":\"auth\",\"params\":\"" + CollectorRun.POLYGON_KEY + "\"}", sent.get(0));
      assertEquals("{\"action\":\"subscribe\",\"params\":\"AM.AAPL,AM.MSFT\"}", sent.get(1));
      assertTrue(run.logged("connected and subscribed to 2 of 2 symbols"), run.log());
      assertTrue(run.logged("warning: Polygon error error (something odd)"), run.log());
      assertTrue(store.ingestLog(P, 1).get(0).detail().contains("4 stream bars"), store.ingestLog(P, 1).get(0).detail());
    }
  }

  @Test
  void authFailedIsPermanent() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    try (FakeStreamServer ws = new FakeStreamServer(VendorScripts.polygon("THE_RIGHT_KEY", null, c -> { }));
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.polygon(store, clock, ws.uri("/stocks"), rest.base(), CollectorRun.POLYGON_KEY,
             "AAPL")) {
      assertEquals(Collector.Outcome.PERMANENT, run.start().await());
      assertTrue(run.logged("Polygon error auth_failed (authentication failed)"), run.log());
      assertTrue(run.logged("POLYGON_API_KEY (or MASSIVE_API_KEY)"), run.log());
      assertFalse(run.log().contains(CollectorRun.POLYGON_KEY));
      assertEquals(1, ws.connections().size());
    }
  }

  @Test
  void maxConnectionsOnReconnectEndsWithKeyInUseAfterLongWaits() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    FakeStreamServer.Script script = VendorScripts.polygon(CollectorRun.POLYGON_KEY,
        c -> c.index == 0 ? null : "[{\"ev\":\"status\",\"status\":\"max_connections\",\"message\":\"Maximum number "
            + "of websocket connections exceeded.\"}]",
        c -> {
          if (c.index == 0) {
            c.close(1001, "going away");
          }
        });
    try (FakeStreamServer ws = new FakeStreamServer(script);
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.polygon(store, clock, ws.uri("/stocks"), rest.base(), CollectorRun.POLYGON_KEY,
             "AAPL")) {
      assertEquals(Collector.Outcome.KEY_IN_USE, run.start().await());
      assertEquals(4, ws.connections().size(), "one good connection, then three refused (the default limit)");
      List<Duration> waits = clock.sleeps();
      assertEquals(3, waits.size(), waits.toString());
      assertTrue(waits.get(1).compareTo(Duration.ofSeconds(90)) >= 0 && waits.get(2).compareTo(Duration.ofSeconds(90))
          >= 0, waits.toString());
      assertTrue(run.logged("key in use: Polygon error max_connections"), run.log());
    }
  }
}
