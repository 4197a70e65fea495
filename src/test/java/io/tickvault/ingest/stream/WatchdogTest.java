package io.tickvault.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data watchdog and the session calendar: a connection that answers pings but sends no bar
 * during the regular session is replaced; the same silence before the open or on a holiday is not
 * an outage. The clock is injected and moved by the test; the collector's loop checks it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchdogTest {
  private static final String EMPTY = "{\"bars\":{},\"next_page_token\":null}";

  @TempDir
  Path dir;

  @Test
  void aMuteConnectionDuringTheSessionIsReplaced() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T14:35:20Z"); // Friday 09:35 New York
    try (BarStore store = Stores.open(dir.resolve("p.db").toString());
         FakeStreamServer ws = new FakeStreamServer(VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET, null,
             c -> { }));
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL")) {
      run.start();
      run.waitFor("streaming", () -> run.logged("connected and subscribed"));
      long before = run.collector.ticks();
      run.waitFor("a few quiet checks", () -> run.collector.ticks() > before + 5);
      assertEquals(1, ws.connections().size(), "2 silent minutes are within the limit");
      clock.advance(Duration.ofMinutes(4));
      run.waitFor("a second connection", () -> ws.connections().size() == 2 && run.logged("connected and subscribed")
          && run.events.stream().filter(e -> e.contains("connected and subscribed")).count() == 2);
      assertTrue(run.logged("disconnected: no bar for any symbol for 4 min during the regular session"), run.log());
      assertTrue(run.logged("the connection answers but is mute"), run.log());
      assertTrue(ws.connections().get(0).closed(), "the mute connection was closed properly");
      assertEquals(Collector.Outcome.STOPPED, run.stop());
    }
  }

  @Test
  void aPeerThatStopsAnsweringPingsIsReplacedAfterThePongDeadline() throws Exception {
    TestClock clock = TestClock.at("2026-11-20T12:00:00Z"); // pre-market: only ping/pong can tell
    String welcome = "[{\"T\":\"success\",\"msg\":\"connected\"}]";
    try (BarStore store = Stores.open(dir.resolve("dead.db").toString());
         SilentPeerServer ws = new SilentPeerServer(welcome, (i, m) -> m.contains("\"auth\"")
             ? "[{\"T\":\"success\",\"msg\":\"authenticated\"}]"
             : m.contains("\"subscribe\"") ? "[{\"T\":\"subscription\",\"bars\":[\"AAPL\"]}]" : null);
         FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
         CollectorRun run = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL")) {
      run.start();
      run.waitFor("the streaming loop", () -> run.collector.ticks() > 0);
      clock.advance(Duration.ofSeconds(16));
      run.waitFor("a ping the peer ignores", () -> !ws.pingsIgnored().isEmpty());
      assertEquals(1, ws.connections(), "a ping without its pong is not yet a failure");
      clock.advance(Duration.ofSeconds(11));
      run.waitFor("a new connection", () -> ws.connections() == 2);
      assertTrue(run.logged("disconnected: no pong within 10 s of a ping; the connection is dead"), run.log());
      assertEquals(Collector.Outcome.STOPPED, run.stop());
    }
  }

  @Test
  void quietPreMarketAndHolidayAreNoOutage() throws Exception {
    for (String start : new String[] {"2026-11-20T12:00:00Z", "2026-11-26T15:00:00Z"}) { // 07:00; Thanksgiving 10:00
      TestClock clock = TestClock.at(start);
      Path db = dir.resolve("q" + start.substring(8, 10) + ".db");
      try (BarStore store = Stores.open(db.toString());
           FakeStreamServer ws = new FakeStreamServer(VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET,
               null, c -> { }));
           FakeVendorServer rest = FakeVendorServer.answering(r -> Response.ok(EMPTY));
           CollectorRun run = CollectorRun.alpaca(store, clock, ws.uri("/v2/iex"), rest.base(), "AAPL")) {
        run.start();
        run.waitFor("streaming", () -> run.logged("connected and subscribed"));
        for (int i = 0; i < 8; i++) { // 2 hours of silence, checked every 15 minutes
          clock.advance(Duration.ofMinutes(15));
          long t = run.collector.ticks();
          run.waitFor("checks after the clock moved", () -> run.collector.ticks() > t + 3);
        }
        assertEquals(1, ws.connections().size(), "no reconnect at " + start + ": " + run.log());
        assertFalse(run.logged("mute"), run.log());
        assertEquals(Collector.Outcome.STOPPED, run.stop());
      }
    }
  }

  @Test
  void theWatchdogsCalendarKnowsTheNyseHolidaysAndEarlyCloses() {
    for (String h : new String[] {"2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
        "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25", "2027-12-24", "2022-12-26"}) {
      assertFalse(SessionCalendar.tradingDay(LocalDate.parse(h)), h + " is a holiday");
    }
    for (String d : new String[] {"2026-11-20", "2026-07-02", "2027-12-31", "2026-11-27"}) {
      assertTrue(SessionCalendar.tradingDay(LocalDate.parse(d)), d + " trades");
    }
    assertTrue(SessionCalendar.isOpen(Instant.parse("2026-11-20T14:30:00Z")));
    assertFalse(SessionCalendar.isOpen(Instant.parse("2026-11-20T14:29:59Z")));
    assertFalse(SessionCalendar.isOpen(Instant.parse("2026-11-20T21:00:00Z")));
    assertTrue(SessionCalendar.isOpen(Instant.parse("2026-07-01T19:59:00Z")), "summer time: 15:59 New York");
    assertFalse(SessionCalendar.isOpen(Instant.parse("2026-11-27T18:00:00Z")), "13:00 early close after Thanksgiving");
    assertTrue(SessionCalendar.isOpen(Instant.parse("2026-11-27T17:59:00Z")));
  }
}
