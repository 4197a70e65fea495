package io.tickvault.ingest.polygon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.tickvault.ingest.RateLimitedException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Polygon client and bar source against a local server replaying documented responses. */
class PolygonBarSourceTest {
  static final String KEY = "pk_test_4f9c2a7e1b";
  static final Symbol AAPL = Symbol.of("AAPL");

  final TestClock clock = TestClock.at("2024-02-01T15:00:00Z");
  final List<String> notices = new ArrayList<>();
  FakeVendorServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  PolygonBarSource source(int rate, VendorHttp.Options options) {
    PolygonClient c = PolygonClient.create(server.base(), KEY, rate, options, clock, clock, notices::add);
    return new PolygonBarSource(c, true, notices::add);
  }

  PolygonBarSource source() {
    return source(0, VendorHttp.Options.defaults());
  }

  static BarSource.Request request(String symbol, String from, String to, Timeframe tf) {
    return new BarSource.Request(List.of(Symbol.of(symbol)), LocalDate.parse(from), LocalDate.parse(to), tf);
  }

  static List<BarSource.Page> fetch(PolygonBarSource s, BarSource.Request r) {
    List<BarSource.Page> pages = new ArrayList<>();
    s.fetch(r, pages::add);
    return pages;
  }

  static List<Bar> bars(List<BarSource.Page> pages) {
    return pages.stream().flatMap(p -> p.bars().stream()).toList();
  }

  static Bar bar(String t, String o, String h, String l, String c, long v, int n, String vw) {
    return Bar.ohlcv(AAPL, Instant.parse(t), new BigDecimal(o), new BigDecimal(h), new BigDecimal(l), new BigDecimal(c),
        v, n, vw == null ? null : new BigDecimal(vw), SourceName.POLYGON);
  }

  @Test
  void follows_next_url_by_path_and_query_against_the_configured_base_with_the_bearer_key() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-aapl-day-page1.json")),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
    List<BarSource.Page> pages = fetch(source(), request("AAPL", "2024-01-02", "2024-01-05", Timeframe.DAY_1));

    assertEquals(2, pages.size());
    List<FakeVendorServer.Request> reqs = server.requests();
    assertEquals(2, reqs.size());
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05?adjusted=true&sort=asc&limit=50000",
        reqs.get(0).pathAndQuery());
    // next_url on the same origin: path and query are kept, adjusted is added
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=bGltaXQ9MiZzb3J0PWFzYw&adjusted=true",
        reqs.get(1).pathAndQuery());
    for (FakeVendorServer.Request r : reqs) {
      assertEquals("Bearer " + KEY, r.header("Authorization"));
      assertFalse(r.pathAndQuery().contains(KEY), "the key never goes into a URL");
    }
    assertEquals(List.of(
        bar("2024-01-02T05:00:00Z", "187.15", "188.44", "183.885", "185.64", 82488674, 1008871, "185.9465"),
        bar("2024-01-03T05:00:00Z", "184.22", "185.88", "183.43", "184.25", 58414460, 656853, "184.3226"),
        bar("2024-01-04T05:00:00Z", "182.15", "183.0872", "180.88", "181.91", 71983570, 712218, "182.2311"),
        bar("2024-01-05T05:00:00Z", "181.99", "182.76", "180.17", "181.18", 62379661, 682283, "181.5545")),
        bars(pages));
  }

  @Test
  void unadjusted_is_sent_on_every_page() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-aapl-day-page1.json")),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
    PolygonClient c = PolygonClient.create(server.base(), KEY, 0, VendorHttp.Options.defaults(), clock, clock,
        notices::add);
    new PolygonBarSource(c, false, notices::add).fetch(request("AAPL", "2024-01-02", "2024-01-05", Timeframe.DAY_1),
        p -> { });
    assertEquals("false", server.requests().get(0).query().get("adjusted"));
    assertEquals("false", server.requests().get(1).query().get("adjusted"));
  }

  @Test
  void volumes_in_any_number_spelling_are_exact_and_fractional_ones_are_rounded_and_counted() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-volume-spellings.json")));
    List<BarSource.Page> pages = fetch(source(), request("AAPL", "2024-01-02", "2024-01-02", Timeframe.MIN_1));
    List<Bar> b = bars(pages);
    assertEquals("/v2/aggs/ticker/AAPL/range/1/minute/2024-01-02/2024-01-02", server.requests().get(0).path());
    assertEquals(1748755L, b.get(0).volume()); // 1748755.0
    assertEquals(24970168L, b.get(1).volume()); // 2.4970168e+07
    assertEquals(1200L, b.get(2).volume());
    assertEquals(25934L, b.get(3).volume()); // 25933.6 rounded half-up
    assertEquals(1, pages.get(0).roundedVolumes());
    // optional n and vw: 0 and none; vwap rounded half-even to 4 places, prices exact
    assertEquals(0, b.get(1).tradeCount());
    assertNull(b.get(1).vwap());
    assertEquals(new BigDecimal("185.1235"), b.get(0).vwap());
    assertEquals(new BigDecimal("185.1"), b.get(0).open());
    assertEquals(Instant.parse("2024-01-02T14:30:00Z"), b.get(0).timestamp());
  }

  @ParameterizedTest
  @ValueSource(strings = {"polygon/aggs-results-missing.json", "polygon/aggs-results-null.json",
      "polygon/aggs-results-empty.json"})
  void empty_results_in_each_spelling_are_a_page_without_bars(String fixture) {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read(fixture)));
    List<BarSource.Page> pages = fetch(source(), request("AAPL", "2024-01-06", "2024-01-07", Timeframe.DAY_1));
    assertEquals(1, pages.size());
    assertTrue(pages.get(0).bars().isEmpty());
    assertEquals(1, server.requests().size());
  }

  @Test
  void delayed_status_is_success_and_noted_once() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-delayed.json")));
    List<Bar> b = bars(fetch(source(), request("MSFT", "2024-01-02", "2024-01-02", Timeframe.DAY_1)));
    assertEquals(1, b.size());
    assertEquals(25258637L, b.get(0).volume());
    assertEquals(1, notices.stream().filter(n -> n.contains("DELAYED")).count(), notices.toString());
  }

  @Test
  void daily_bars_are_stamped_at_new_york_midnight_in_winter_and_summer() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")),
        Response.ok(Fixtures.read("polygon/aggs-day-summer.json")));
    List<Bar> winter = bars(fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertEquals(Instant.parse("2024-01-04T05:00:00Z"), winter.get(0).timestamp());
    List<Bar> summer = bars(fetch(source(), request("SPY", "2023-07-03", "2023-07-03", Timeframe.DAY_1)));
    assertEquals(Instant.parse("2023-07-03T04:00:00Z"), summer.get(0).timestamp());
    assertEquals(34965536L, summer.get(0).volume());
  }

  @Test
  void rate_limit_without_headers_waits_60_seconds_then_succeeds() {
    server = FakeVendorServer.scripted(Response.json(429, Fixtures.read("polygon/error-429.json")),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
    List<Bar> b = bars(fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertEquals(2, b.size());
    assertEquals(List.of(Duration.ofSeconds(60)), clock.sleeps());
    assertEquals(2, server.requests().size());
    assertTrue(notices.stream().anyMatch(n -> n.contains("HTTP 429") && n.contains("retrying in 60 s")), notices.toString());
  }

  @Test
  void rate_limit_with_retry_after_waits_that_long() {
    server = FakeVendorServer.scripted(
        Response.json(429, Fixtures.read("polygon/error-429.json")).header("Retry-After", "17"),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
    assertEquals(2, bars(fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1))).size());
    assertEquals(List.of(Duration.ofSeconds(17)), clock.sleeps());
  }

  @Test
  void rate_limit_that_never_ends_fails_after_the_attempt_budget() {
    Response r429 = Response.json(429, Fixtures.read("polygon/error-429.json"));
    server = FakeVendorServer.scripted(r429, r429, r429);
    PolygonBarSource s = source(0, VendorHttp.Options.defaults().withMaxAttempts(3));
    RateLimitedException e = assertThrows(RateLimitedException.class,
        () -> fetch(s, request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertEquals(3, server.requests().size());
    assertTrue(e.getMessage().contains("attempts=3") && e.getMessage().contains("waited=120 s"), e.getMessage());
  }

  @Test
  void server_error_then_success_retries_with_backoff() {
    server = FakeVendorServer.scripted(Response.json(500, "<html>Internal Server Error</html>"),
        Response.json(502, "Bad Gateway"), Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
    assertEquals(2, bars(fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1))).size());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), clock.sleeps());
    assertEquals(3, server.requests().size());
  }

  @Test
  void unknown_key_fails_fast_naming_the_key_setting() {
    server = FakeVendorServer.scripted(Response.json(401, Fixtures.read("polygon/error-401-unknown-key.json")));
    VendorAuthException e = assertThrows(VendorAuthException.class,
        () -> fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertEquals(401, e.status());
    assertEquals(1, server.requests().size(), "401 is never retried");
    assertTrue(clock.sleeps().isEmpty());
    assertTrue(e.getMessage().contains("Unknown API Key") && e.getMessage().contains("POLYGON_API_KEY"), e.getMessage());
  }

  @Test
  void plan_refusal_fails_fast_naming_the_plan() {
    server = FakeVendorServer.scripted(Response.json(403, Fixtures.read("polygon/error-403-plan.json")));
    VendorAuthException e = assertThrows(VendorAuthException.class,
        () -> fetch(source(), request("AAPL", "2015-01-02", "2015-01-05", Timeframe.DAY_1)));
    assertEquals(403, e.status());
    assertEquals(1, server.requests().size(), "403 is never retried");
    assertTrue(e.getMessage().contains("for your plan") && e.getMessage().contains("doesn't include this data "
        + "timeframe"), e.getMessage());
  }

  @Test
  void error_status_in_a_200_body_is_an_error() {
    server = FakeVendorServer.scripted(Response.ok("{\"status\":\"ERROR\",\"request_id\":\"x\",\"error\":\"boom\"}"));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertTrue(e.getMessage().contains("status ERROR: boom"), e.getMessage());
  }

  @Test
  void paces_requests_to_the_configured_rate() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-aapl-day-page1.json")),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")),
        Response.ok(Fixtures.read("polygon/aggs-delayed.json")));
    PolygonBarSource s = source(PolygonClient.FREE_PLAN_RATE, VendorHttp.Options.defaults());
    s.fetch(new BarSource.Request(List.of(AAPL, Symbol.of("MSFT")), LocalDate.parse("2024-01-02"),
        LocalDate.parse("2024-01-05"), Timeframe.DAY_1), p -> { });
    assertEquals(3, server.requests().size());
    assertEquals(List.of(Duration.ofSeconds(12), Duration.ofSeconds(12)), clock.sleeps());
    assertEquals(1, notices.stream().filter(n -> n.contains("pacing requests to one every 12 s")).count());
  }

  @Test
  void a_hanging_connection_times_out_and_fails_after_the_retries() {
    server = FakeVendorServer.scripted(Response.hang(), Response.hang());
    PolygonBarSource s = source(0, VendorHttp.Options.defaults().withReadTimeout(Duration.ofMillis(300))
        .withMaxAttempts(2));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(s, request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertTrue(e.getMessage().contains("no complete response within 300 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("attempts=2"), e.getMessage());
    assertEquals(2, server.requests().size());
  }

  @Test
  void malformed_json_is_a_clear_error() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/malformed.json")));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(source(), request("AAPL", "2024-01-02", "2024-01-02", Timeframe.DAY_1)));
    assertTrue(e.getMessage().startsWith("Polygon sent an unreadable response for bars of AAPL (HTTP 200, not valid "
        + "JSON at line"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing from it was written"), e.getMessage());
  }

  @Test
  void a_bar_missing_a_required_field_is_named_by_its_path() {
    server = FakeVendorServer.scripted(Response.ok("{\"status\":\"OK\",\"results\":[{\"o\":1,\"h\":1,\"l\":1,\"c\":1,"
        + "\"v\":1,\"t\":1704171600000},{\"o\":1,\"h\":1,\"l\":1,\"v\":1,\"t\":1704258000000}]}"));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(source(), request("AAPL", "2024-01-02", "2024-01-03", Timeframe.DAY_1)));
    assertTrue(e.getMessage().contains("results[1].c is missing"), e.getMessage());
  }

  @Test
  void gzip_bodies_are_decoded() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")).gzipped());
    assertEquals(2, bars(fetch(source(), request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1))).size());
    assertEquals("gzip", server.requests().get(0).header("Accept-Encoding"));
  }

  @Test
  void the_key_never_appears_in_errors_or_notices_even_when_the_vendor_echoes_it() {
    server = FakeVendorServer.answering(r -> {
      String echoed = "{\"status\":\"ERROR\",\"error\":\"bad header " + r.header("Authorization") + "\"}";
      return r.query().containsKey("cursor") ? Response.json(403, echoed) : Response.json(500, echoed);
    });
    PolygonBarSource s = source(0, VendorHttp.Options.defaults().withMaxAttempts(2));
    VendorException e = assertThrows(VendorException.class,
        () -> fetch(s, request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1)));
    assertTrue(e.getMessage().contains("bad header Bearer ****"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
    assertFalse(String.join("\n", notices).contains(KEY));
    assertTrue(notices.stream().anyMatch(n -> n.contains("HTTP 500")), notices.toString());
  }

  @Test
  void a_refused_connection_names_the_base_url_setting() {
    server = FakeVendorServer.scripted();
    java.net.URI base = server.base();
    server.close();
    PolygonClient c = PolygonClient.create(base, KEY, 0, VendorHttp.Options.defaults().withMaxAttempts(2), clock, clock,
        notices::add);
    VendorException e = assertThrows(VendorException.class, () -> new PolygonBarSource(c, true, notices::add)
        .fetch(request("AAPL", "2024-01-04", "2024-01-05", Timeframe.DAY_1), p -> { }));
    assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1") && e.getMessage().contains("TICKVAULT_POLYGON_URL"),
        e.getMessage());
    assertInstanceOf(VendorException.class, e);
    server = null;
  }
}
