package io.tickvault.ingest.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.ingest.Fixtures;
import io.tickvault.ingest.VendorAuthException;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.testing.TestClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Alpaca client and bar source against a local server replaying documented responses. */
class AlpacaBarSourceTest {
  static final String KEY_ID = "PKTEST8JD7S6A5F4G3H2";
  static final String SECRET = "sk_test_Yq3uVb9Wn2Lx7Rt5Kp1Ms8Dc4Fg6Hj0Z";
  static final Symbol AAPL = Symbol.of("AAPL");
  static final Symbol MSFT = Symbol.of("MSFT");

  final TestClock clock = TestClock.at("2024-02-01T15:00:00Z");
  final List<String> notices = new ArrayList<>();
  FakeVendorServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  AlpacaBarSource source(AlpacaFeed feed, AlpacaAdjustment adj, VendorHttp.Options options) {
    AlpacaClient c = AlpacaClient.create(server.base(), KEY_ID, SECRET, options, clock, clock, notices::add);
    return new AlpacaBarSource(c, feed, adj, clock, notices::add);
  }

  AlpacaBarSource source() {
    return source(AlpacaFeed.IEX, AlpacaAdjustment.RAW, VendorHttp.Options.defaults());
  }

  static BarSource.Request request(List<Symbol> symbols, String from, String to, Timeframe tf) {
    return new BarSource.Request(symbols, LocalDate.parse(from), LocalDate.parse(to), tf);
  }

  static List<BarSource.Page> fetch(AlpacaBarSource s, BarSource.Request r) {
    List<BarSource.Page> pages = new ArrayList<>();
    s.fetch(r, pages::add);
    return pages;
  }

  static List<Bar> bars(List<BarSource.Page> pages) {
    return pages.stream().flatMap(p -> p.bars().stream()).toList();
  }

  @Test
  void follows_next_page_token_with_every_other_parameter_unchanged_and_never_sends_a_null_token() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-page1.json")),
        Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    List<BarSource.Page> pages = fetch(source(), request(List.of(AAPL, MSFT), "2024-01-02", "2024-01-04",
        Timeframe.DAY_1));
    assertEquals(2, pages.size());
    List<FakeVendorServer.Request> reqs = server.requests();
    Map<String, String> q1 = reqs.get(0).query();
    assertEquals("/v2/stocks/bars", reqs.get(0).path());
    assertEquals("AAPL,MSFT", q1.get("symbols"));
    assertEquals("1Day", q1.get("timeframe"));
    assertEquals("2024-01-02T05:00:00Z", q1.get("start"));
    assertEquals("2024-01-05T04:59:59Z", q1.get("end"));
    assertEquals("10000", q1.get("limit"));
    assertEquals("iex", q1.get("feed"));
    assertEquals("raw", q1.get("adjustment"));
    assertFalse(q1.containsKey("page_token"), "no page_token on the first request");
    Map<String, String> q2 = new java.util.LinkedHashMap<>(reqs.get(1).query());
    assertEquals("QUFQTHxEfDIwMjQtMDEtMDNUMDU6MDA6MDAuMDAwMDAwMDAwWg==", q2.remove("page_token"));
    assertEquals(q1, q2, "every other parameter unchanged");
    for (FakeVendorServer.Request r : reqs) {
      assertEquals(KEY_ID, r.header("APCA-API-KEY-ID"));
      assertEquals(SECRET, r.header("APCA-API-SECRET-KEY"));
      assertFalse(r.pathAndQuery().contains(SECRET));
    }
  }

  @Test
  void a_symbol_split_across_two_pages_arrives_complete_and_in_order() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-page1.json")),
        Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    List<Bar> b = bars(fetch(source(), request(List.of(AAPL, MSFT), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    List<Instant> aapl = b.stream().filter(x -> x.symbol().equals(AAPL)).map(Bar::timestamp).toList();
    assertEquals(List.of(Instant.parse("2024-01-02T05:00:00Z"), Instant.parse("2024-01-03T05:00:00Z"),
        Instant.parse("2024-01-04T05:00:00Z")), aapl);
    assertEquals(3, b.stream().filter(x -> x.symbol().equals(MSFT)).count());
    Bar first = b.get(0);
    assertEquals(Bar.ohlcv(AAPL, Instant.parse("2024-01-02T05:00:00Z"), new BigDecimal("187.15"),
        new BigDecimal("188.44"), new BigDecimal("183.885"), new BigDecimal("185.64"), 82488674, 1008871,
        new BigDecimal("185.9465"), SourceName.ALPACA), first); // vwap 185.946542 rounded half-even
  }

  @ParameterizedTest
  @ValueSource(strings = {"alpaca/bars-null.json", "alpaca/bars-empty-object.json", "alpaca/bars-empty-array.json"})
  void empty_bars_in_each_spelling_are_a_page_without_bars(String fixture) {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read(fixture)));
    List<BarSource.Page> pages = fetch(source(), request(List.of(AAPL), "2024-01-06", "2024-01-07", Timeframe.DAY_1));
    assertEquals(1, pages.size());
    assertTrue(pages.get(0).bars().isEmpty());
  }

  @Test
  void intraday_timestamps_with_nanoseconds_are_read_exactly() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-minute-summer.json")));
    List<Bar> b = bars(fetch(source(), request(List.of(Symbol.of("SPY")), "2023-09-27", "2023-09-27",
        Timeframe.MIN_1)));
    assertEquals(List.of(Instant.parse("2023-09-27T13:30:00Z"), Instant.parse("2023-09-27T13:31:00Z")),
        b.stream().map(Bar::timestamp).toList());
    assertEquals("2023-09-27T04:00:00Z", server.requests().get(0).query().get("start"));
    assertEquals("1Min", server.requests().get(0).query().get("timeframe"));
  }

  @Test
  void a_vwap_with_more_than_four_decimals_is_rounded_half_even_and_counted() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-minute-summer.json")));
    List<BarSource.Page> pages = fetch(source(), request(List.of(Symbol.of("SPY")), "2023-09-27", "2023-09-27",
        Timeframe.MIN_1));
    List<Bar> b = bars(pages);
    assertEquals(new java.math.BigDecimal("426.1134"), b.get(0).vwap()); // 426.113377
    assertEquals(new java.math.BigDecimal("426.1010"), b.get(1).vwap()); // 426.101: exact, not counted
    assertEquals(1, pages.stream().mapToLong(BarSource.Page::roundedVwaps).sum());
  }

  @Test
  void end_is_omitted_when_the_last_day_is_today_so_the_plan_decides() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-empty-object.json")));
    fetch(source(), request(List.of(AAPL), "2024-01-30", "2024-02-01", Timeframe.DAY_1));
    assertNull(server.requests().get(0).query().get("end"));
  }

  @Test
  void feed_and_adjustment_are_sent() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-empty-object.json")));
    fetch(source(AlpacaFeed.SIP, AlpacaAdjustment.SPLIT, VendorHttp.Options.defaults()),
        request(List.of(AAPL), "2024-01-02", "2024-01-03", Timeframe.HOUR_1));
    Map<String, String> q = server.requests().get(0).query();
    assertEquals("sip", q.get("feed"));
    assertEquals("split", q.get("adjustment"));
    assertEquals("1Hour", q.get("timeframe"));
  }

  @Test
  void rate_limit_waits_until_the_reset_header() {
    long reset = clock.instant().getEpochSecond() + 7;
    server = FakeVendorServer.scripted(Response.json(429, Fixtures.read("alpaca/error-429.json"))
            .header("X-RateLimit-Limit", "200").header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", Long.toString(reset)),
        Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    assertEquals(4, bars(fetch(source(), request(List.of(AAPL, MSFT), "2024-01-02", "2024-01-04",
        Timeframe.DAY_1))).size());
    assertEquals(List.of(Duration.ofSeconds(7)), clock.sleeps());
    assertEquals(2, server.requests().size());
  }

  @Test
  void an_exhausted_quota_is_waited_for_before_the_next_page() {
    long reset = clock.instant().getEpochSecond() + 5;
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-page1.json"))
            .header("X-RateLimit-Remaining", "0").header("X-RateLimit-Reset", Long.toString(reset)),
        Response.ok(Fixtures.read("alpaca/bars-page2.json")).header("X-RateLimit-Remaining", "199"));
    assertEquals(6, bars(fetch(source(), request(List.of(AAPL, MSFT), "2024-01-02", "2024-01-04",
        Timeframe.DAY_1))).size());
    assertEquals(List.of(Duration.ofSeconds(5)), clock.sleeps());
    assertEquals(2, server.requests().size(), "no 429 provoked");
  }

  @Test
  void rate_limit_without_headers_backs_off() {
    server = FakeVendorServer.scripted(Response.json(429, Fixtures.read("alpaca/error-429.json")),
        Response.json(429, Fixtures.read("alpaca/error-429.json")), Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    assertEquals(4, bars(fetch(source(), request(List.of(AAPL, MSFT), "2024-01-02", "2024-01-04",
        Timeframe.DAY_1))).size());
    assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(6)), clock.sleeps());
  }

  @Test
  void server_error_then_success_retries() {
    server = FakeVendorServer.scripted(Response.json(500, "{\"message\":\"internal server error\"}"),
        Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    assertEquals(4, bars(fetch(source(), request(List.of(AAPL, MSFT), "2024-01-02", "2024-01-04",
        Timeframe.DAY_1))).size());
    assertEquals(List.of(Duration.ofSeconds(1)), clock.sleeps());
  }

  @Test
  void bad_keys_fail_fast_naming_both_key_settings() {
    server = FakeVendorServer.scripted(Response.json(401, Fixtures.read("alpaca/error-401.json")));
    VendorAuthException e = assertThrows(VendorAuthException.class,
        () -> fetch(source(), request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertEquals(1, server.requests().size());
    assertTrue(e.getMessage().contains("APCA_API_KEY_ID") && e.getMessage().contains("APCA_API_SECRET_KEY"),
        e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
  }

  @Test
  void subscription_refusal_fails_fast_suggesting_the_iex_feed() {
    server = FakeVendorServer.scripted(Response.json(403, Fixtures.read("alpaca/error-403-sip.json")));
    VendorAuthException e = assertThrows(VendorAuthException.class,
        () -> fetch(source(AlpacaFeed.SIP, AlpacaAdjustment.RAW, VendorHttp.Options.defaults()),
            request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertEquals(403, e.status());
    assertEquals(1, server.requests().size());
    assertTrue(e.getMessage().contains("subscription does not permit querying recent SIP data")
        && e.getMessage().contains("--feed iex"), e.getMessage());
  }

  @Test
  void a_refused_parameter_is_not_retried() {
    server = FakeVendorServer.scripted(Response.json(422, Fixtures.read("alpaca/error-422.json")));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(source(), request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertEquals(1, server.requests().size());
    assertTrue(e.getMessage().contains("HTTP 422: invalid timeframe [code=42210000]"), e.getMessage());
  }

  @Test
  void a_hanging_connection_times_out() {
    server = FakeVendorServer.scripted(Response.hang());
    AlpacaBarSource s = source(AlpacaFeed.IEX, AlpacaAdjustment.RAW, VendorHttp.Options.defaults()
        .withReadTimeout(Duration.ofMillis(250)).withMaxAttempts(1));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(s, request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertTrue(e.getMessage().contains("no complete response within 250 ms"), e.getMessage());
  }

  @Test
  void malformed_json_is_a_clear_error() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/malformed.json")));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(source(), request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertTrue(e.getMessage().startsWith("Alpaca sent an unreadable response for bars of AAPL (HTTP 200, not valid "
        + "JSON"), e.getMessage());
  }

  @Test
  void symbols_not_asked_for_reach_the_ingest_service_which_counts_and_drops_them() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    List<Bar> b = bars(fetch(source(), request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertEquals(4, b.size());
    assertEquals(3, b.stream().filter(x -> x.symbol().value().equals("MSFT")).count());
  }

  @Test
  void a_repeated_page_token_stops_the_loop() {
    String page = Fixtures.read("alpaca/bars-page1.json");
    server = FakeVendorServer.scripted(Response.ok(page), Response.ok(page));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(source(), request(List.of(AAPL), "2024-01-02", "2024-01-04", Timeframe.DAY_1)));
    assertTrue(e.getMessage().contains("same next_page_token twice"), e.getMessage());
    assertEquals(2, server.requests().size());
  }
}
