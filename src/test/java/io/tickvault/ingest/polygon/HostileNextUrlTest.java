package io.tickvault.ingest.polygon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.ingest.Fixtures;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.ingest.VendorUrls;
import io.tickvault.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile Polygon server hands back {@code next_url}s meant to move the key to another host
 * (issue 9, must fix 1). The key may only ever reach the configured base origin: every request
 * the HTTP client makes is recorded through the default {@link ProxySelector} (consulted for
 * every request, before any DNS lookup), and a second server on 127.0.0.2 must receive nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileNextUrlTest {
  static final String KEY = "pk_hostile_7c1d9e2f";

  final TestClock clock = TestClock.at("2024-02-01T15:00:00Z");
  final List<URI> attempted = Collections.synchronizedList(new ArrayList<>());
  ProxySelector saved;
  FakeVendorServer polygon;
  FakeVendorServer other;

  @BeforeEach
  void record() throws IOException {
    saved = ProxySelector.getDefault();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        attempted.add(uri);
        return List.of(Proxy.NO_PROXY);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) { }
    });
    other = FakeVendorServer.on(InetAddress.getByName("127.0.0.2"),
        r -> Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
  }

  @AfterEach
  void restore() {
    ProxySelector.setDefault(saved);
    if (polygon != null) {
      polygon.close();
    }
    other.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "@127.0.0.2/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "@127.0.0.2:OTHERPORT/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "@evil.example/x",
      ".evil.example/x",
      "evil.example/x",
      "v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "http://127.0.0.2:OTHERPORT/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "//127.0.0.2:OTHERPORT/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "http://BASEHOSTPORT@127.0.0.2:OTHERPORT/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05",
      "http://user@BASEHOSTPORT/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "https://BASEHOSTPORT/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "http://127.0.0.1:1/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "http://evil.example/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x",
      "http://BASEHOSTPORT\\@127.0.0.2:OTHERPORT/v2/aggs",
      "http://BASEHOSTPORT/v2/aggs/../../x?cursor=x",
      "/v2/%2e%2e/x?cursor=x",
      "/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=x#frag",
  })
  void a_next_url_off_the_configured_origin_is_a_vendor_error_and_no_other_host_is_asked(String template) {
    String otherPort = Integer.toString(other.base().getPort());
    VendorException e = fetchWithBase(template.replace("OTHERPORT", otherPort));

    assertTrue(e.getMessage().contains("next_url"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
    assertEquals(1, polygon.requests().size(), "only the first page was fetched: " + polygon.requests());
    assertEquals(List.of(), other.requests(), "127.0.0.2 received a request");
    for (URI u : List.copyOf(attempted)) {
      assertEquals(polygon.base().getHost() + ":" + polygon.base().getPort(), u.getHost() + ":" + u.getPort(),
          "a request went to another host: " + u);
    }
    assertEquals(1, attempted.size(), "requests attempted: " + attempted);
  }

  private VendorException fetchWithBase(String template) {
    // BASEHOSTPORT (the fake's own host and port) is known only once it runs
    String[] holder = new String[1];
    polygon = FakeVendorServer.answering(r -> {
      if (r.rawQuery() != null && r.rawQuery().contains("limit=")) {
        return Response.ok(Fixtures.read("polygon/aggs-aapl-day-page1.json")
            .replace(FakeVendorServer.VENDOR_ORIGIN + "/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05"
                + "?cursor=bGltaXQ9MiZzb3J0PWFzYw", holder[0].replace("\\", "\\\\")));
      }
      return Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json"));
    });
    holder[0] = template.replace("BASEHOSTPORT", polygon.base().getHost() + ":" + polygon.base().getPort());
    PolygonClient c = PolygonClient.create(polygon.base(), KEY, 0, VendorHttp.Options.defaults().withMaxAttempts(2),
        clock, clock, m -> { });
    PolygonBarSource s = new PolygonBarSource(c, true, m -> { });
    BarSource.Request req = new BarSource.Request(List.of(Symbol.of("AAPL")), LocalDate.parse("2024-01-02"),
        LocalDate.parse("2024-01-05"), Timeframe.DAY_1);
    return assertThrows(VendorException.class, () -> s.fetch(req, p -> { }), holder[0]);
  }

  @Test
  void a_next_url_given_as_a_path_or_on_the_same_origin_is_followed_with_the_key() {
    fetchOk("/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=abc");
    fetchOk(FakeVendorServer.VENDOR_ORIGIN + "/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=abc");
  }

  private void fetchOk(String nextUrl) {
    attempted.clear();
    if (polygon != null) {
      polygon.close();
    }
    polygon = FakeVendorServer.scripted(
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page1.json")
            .replace(FakeVendorServer.VENDOR_ORIGIN + "/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05"
                + "?cursor=bGltaXQ9MiZzb3J0PWFzYw", nextUrl)),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json")));
    PolygonClient c = PolygonClient.create(polygon.base(), KEY, 0, VendorHttp.Options.defaults(), clock, clock,
        m -> { });
    List<BarSource.Page> pages = new ArrayList<>();
    new PolygonBarSource(c, true, m -> { }).fetch(new BarSource.Request(List.of(Symbol.of("AAPL")),
        LocalDate.parse("2024-01-02"), LocalDate.parse("2024-01-05"), Timeframe.DAY_1), pages::add);
    assertEquals(2, pages.size());
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/1704344400000/2024-01-05?cursor=abc&adjusted=true",
        polygon.requests().get(1).pathAndQuery());
    assertEquals("Bearer " + KEY, polygon.requests().get(1).header("Authorization"));
    assertEquals(List.of(), other.requests());
    assertEquals(2, attempted.size());
  }

  /** The rule itself, on a base without a port (where concatenation turned '@host' into user info). */
  @ParameterizedTest
  @ValueSource(strings = {"@evil.example/x", ".evil.example/x", "@127.0.0.2/v2/aggs/ticker/A/range/1/day/1/2",
      "https://api.massive.com.evil.example/v2/x", "https://api.massive.com:444/v2/x", "http://api.massive.com/v2/x",
      "https://evil.example/v2/x", "https://api.massive.com@evil.example/v2/x", "/proxy/../v2/x", "https://[::1]/v2/x"})
  void the_origin_rule_refuses_every_other_host(String next) {
    URI base = URI.create("https://api.massive.com");
    assertThrows(VendorException.class, () -> VendorUrls.follow(base, next, "Polygon", "next_url", "bars of A"));
  }

  @Test
  void the_origin_rule_keeps_the_path_under_the_base_path_and_compares_default_ports() {
    URI base = URI.create("https://vendor.example/proxy");
    assertEquals(URI.create("https://vendor.example/proxy/v2/x?cursor=1"),
        VendorUrls.follow(base, "https://VENDOR.example:443/proxy/v2/x?cursor=1", "Polygon", "next_url", "w"));
    assertEquals(URI.create("https://vendor.example/proxy/v2/x"),
        VendorUrls.follow(base, "/proxy/v2/x", "Polygon", "next_url", "w"));
    assertThrows(VendorException.class, () -> VendorUrls.follow(base, "/v2/x", "Polygon", "next_url", "w"));
    assertThrows(VendorException.class, () -> VendorUrls.follow(base, "/proxyx/v2", "Polygon", "next_url", "w"));
    assertThrows(io.tickvault.domain.InvalidInputException.class,
        () -> VendorUrls.base(URI.create("https://user:pw@vendor.example"), "TICKVAULT_POLYGON_URL"));
  }
}
