package io.tickvault.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect --vendor alpaca} against a local server replaying Alpaca stream v2 and a local
 * REST server for the backfill, into a real SQLite production file. The clock is injected: a
 * session minute is 2026-11-20 (a Friday) 14:35Z = 09:35 New York.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlpacaCollectorTest {
  private static final SourceName A = SourceName.ALPACA;
  private static final String EMPTY = "{\"bars\":{},\"next_page_token\":null}";

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
  void batchedFragmentedUpdatedAndOutOfOrderBarsLandAsOneRowPerMinute() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    MinuteMarket m = new MinuteMarket(clock);
    FakeStreamServer.Script script = VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET, null, c -> {
      c.send("[" + m.alpaca("b", "AAPL", "2026-11-20T14:31:00Z") + "," + m.alpaca("b", "MSFT", "2026-11-20T14:31:00Z")
          + "]");
      String frag = "[" + m.alpaca("b", "MSFT", "2026-11-20T14:32:00Z") + "]";
      c.sendFragments(frag.substring(0, 10), frag.substring(10, 40), frag.substring(40));
      c.send("[" + m.alpaca("b", "AAPL", "2026-11-20T14:33:00Z") + "]");
      c.send("[" + m.alpaca("b", "AAPL", "2026-11-20T14:32:00Z") + "]");
      c.send("[{\"T\":\"q\",\"S\":\"AAPL\",\"bp\":1}," + m.alpaca("b", "ZZZZ", "2026-11-20T14:33:00Z") + "]");
      m.correct("AAPL", "2026-11-20T14:31:00Z", "139.77");
      c.send("[" + m.alpaca("u", "AAPL", "2026-11-20T14:31:00Z") + "]");
    });
    try (FakeStreamServer ws = new FakeStreamServer(script);
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL", "MSFT")) {
      run.start();
      run.waitFor("the updated bar", () -> run.bars(A, "AAPL").size() == 3
          && run.bars(A, "AAPL").get(0).close().compareTo(new java.math.BigDecimal("139.77")) == 0);
      assertEquals(Collector.Outcome.STOPPED, run.stop());

      assertEquals(List.of(m.bar("AAPL", "2026-11-20T14:31:00Z", A), m.bar("AAPL", "2026-11-20T14:32:00Z", A),
          m.bar("AAPL", "2026-11-20T14:33:00Z", A)), run.bars(A, "AAPL"));
      assertEquals(List.of(m.bar("MSFT", "2026-11-20T14:31:00Z", A), m.bar("MSFT", "2026-11-20T14:32:00Z", A)),
          run.bars(A, "MSFT"));
      assertTrue(run.bars(A, "ZZZZ").isEmpty(), "a symbol that was not subscribed is not stored");
      assertTrue(run.logged("ignored bars of ZZZZ"), run.log());

      List<String> sent = ws.connections().get(0).received();
      assertEquals("{\"action\":\"auth\",\"key\":\"" + CollectorRun.KEY + "\",\"secret\":\"" + CollectorRun.SECRET
          + "\"}", sent.get(0));
      assertEquals("{\"action\":\"subscribe\",\"bars\":[\"AAPL\",\"MSFT\"],\"updatedBars\":[\"AAPL\",\"MSFT\"]}",
          sent.get(1));
      assertTrue(ws.connections().get(0).closed(), "the socket is closed on stop");
      IngestRecord log = store.ingestLog(A, 1).get(0);
      assertEquals(io.tickvault.store.IngestStatus.OK, log.status());
      assertEquals("alpaca", log.origin());
      assertEquals("iex", log.feed());
      assertEquals("AAPL,MSFT", log.symbols());
      assertTrue(log.detail().contains("stream bars"), log.detail());
      CollectorStatus st = CollectorStatus.read(store, A).orElseThrow();
      assertEquals("stopped", st.state());
      assertEquals(Instant.parse("2026-11-20T14:33:00Z"), st.lastBars().get("AAPL"));
      assertFalse(run.log().contains(CollectorRun.SECRET), "the secret is never printed");
    }
  }

  @Test
  void authenticationFailureIsPermanentAndNamesTheKeysNotTheirValues() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    try (FakeStreamServer ws = new FakeStreamServer(VendorScripts.alpaca("OTHERKEY", "OTHERSECRET", null, c -> { }));
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL")) {
      assertEquals(Collector.Outcome.PERMANENT, run.start().await());
      assertTrue(run.logged("Alpaca error 402 (auth failed)"), run.log());
      assertTrue(run.logged("APCA_API_KEY_ID and APCA_API_SECRET_KEY"), run.log());
      assertFalse(run.log().contains(CollectorRun.SECRET));
      assertFalse(run.log().contains(CollectorRun.KEY));
      assertEquals(1, ws.connections().size(), "a permanent failure is not retried");
      assertEquals(io.tickvault.store.IngestStatus.FAILED, store.ingestLog(A, 1).get(0).status());
      assertEquals("failed", CollectorStatus.read(store, A).orElseThrow().state());
    }
  }

  @Test
  void abruptCloseMidMinuteIsBackfilledExactlyAndDuplicatesCollapse() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:34:10Z");
    MinuteMarket m = new MinuteMarket(clock);
    FakeStreamServer.Script script = VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET, null, c -> {
      if (c.index == 0) {
        c.send("[" + m.alpaca("b", "AAPL", "2026-11-20T14:34:00Z") + "]");
      } else {
        // after the reconnect the vendor sends a minute the backfill also wrote
        c.send("[" + m.alpaca("b", "AAPL", "2026-11-20T14:39:00Z") + "]");
      }
    });
    try (FakeStreamServer ws = new FakeStreamServer(script);
         FakeVendorServer rest = m.rest(true);
         CollectorRun run = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL")) {
      run.start();
      run.waitFor("the start-up backfill and the first stream bar", () -> run.bars(A, "AAPL").size() == 5);
      assertTrue(run.logged("backfill after connecting: 4 bars written, 4 were missing; AAPL 4 min "
          + "2026-11-20T14:30:00Z..2026-11-20T14:33:00Z"), run.log());
      clock.advance(Duration.ofSeconds(380)); // 14:40:30: minutes 14:35..14:39 happen while the link is down
      ws.connections().get(0).drop();
      run.waitFor("the reconnect backfill", () -> run.logged("disconnected") && run.bars(A, "AAPL").size() == 10
          && ws.connections().size() == 2 && run.logged("14:35:00Z..2026-11-20T14:39:00Z"));
      run.waitFor("the duplicate stream bar", () -> run.collector.streamBars() == 2);
      assertEquals(Collector.Outcome.STOPPED, run.stop());

      List<Bar> expected = new java.util.ArrayList<>();
      for (int min = 30; min <= 39; min++) {
        expected.add(m.bar("AAPL", "2026-11-20T14:" + min + ":00Z", A));
      }
      assertEquals(expected, run.bars(A, "AAPL"), "exactly the minutes 14:30..14:39, one row each");
      assertTrue(run.logged("disconnected: the connection closed (code 1006"), run.log());
      assertTrue(run.logged("backfill after connecting: 6 bars written, 5 were missing; AAPL 5 min "
          + "2026-11-20T14:35:00Z..2026-11-20T14:39:00Z"), run.log());
      CollectorStatus st = CollectorStatus.read(store, A).orElseThrow();
      assertEquals(1, st.reconnects());
      assertEquals(9, st.backfilledBars());
    }
  }

  @Test
  void connectionLimitOnReconnectBacksOffLongAndEndsWithKeyInUse() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    FakeStreamServer.Script script = VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET,
        c -> c.index == 0 ? null : "[{\"T\":\"error\",\"code\":406,\"msg\":\"connection limit exceeded\"}]",
        c -> {
          if (c.index == 0) {
            // an ordinary end of the first connection; a close frame, because an abrupt drop asked
            // for inside Jetty's message handler is sometimes lost (the client then waits forever)
            c.close(1011, "server restart");
          }
        });
    try (FakeStreamServer ws = new FakeStreamServer(script);
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.alpaca(store, clock, rest.base(),
             CollectorRun.options(A, ws.uri("/v2/iex"), "AAPL").withKeyInUseLimit(2), CollectorRun.KEY,
             CollectorRun.SECRET)) {
      assertEquals(Collector.Outcome.KEY_IN_USE, run.start().await());
      assertEquals(3, ws.connections().size(), "one good connection, then two refused ones");
      List<Duration> waits = clock.sleeps();
      assertTrue(waits.get(0).compareTo(Duration.ofSeconds(5)) < 0, "an ordinary drop backs off briefly: " + waits);
      assertTrue(waits.get(1).compareTo(Duration.ofSeconds(90)) >= 0, "406 waits at least 90 s: " + waits);
      assertEquals(2, waits.size(), "the second 406 in a row ends the run without another wait: " + waits);
      assertTrue(run.logged("key in use: Alpaca error 406 (connection limit exceeded)"), run.log());
      assertTrue(run.logged("giving up"), run.log());
      assertEquals("key_in_use", CollectorStatus.read(store, A).orElseThrow().state());
    }
  }

  @Test
  void aSecondCollectorForTheSameSourceIsRefusedByTheLock() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z");
    try (FakeStreamServer ws = new FakeStreamServer(VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET, null,
             c -> { }));
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun first = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL");
         BarStore second = Stores.open(dir.resolve("tickvault.db").toString());
         CollectorRun other = CollectorRun.alpaca(second, clock, ws.uri("/v2/iex"), rest.base(), "MSFT")) {
      first.start();
      first.waitFor("streaming", () -> first.logged("connected and subscribed"));
      assertEquals(Collector.Outcome.KEY_IN_USE, other.start().await());
      assertTrue(other.logged("another tickvault collect is writing alpaca"), other.log());
      assertEquals(1, ws.connections().size(), "the refused collector never connects");
      assertEquals(Collector.Outcome.STOPPED, first.stop());
    }
  }
}
