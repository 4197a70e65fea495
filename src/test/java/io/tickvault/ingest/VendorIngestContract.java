package io.tickvault.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.ingest.alpaca.AlpacaAdjustment;
import io.tickvault.ingest.alpaca.AlpacaBarSource;
import io.tickvault.ingest.alpaca.AlpacaClient;
import io.tickvault.ingest.alpaca.AlpacaFeed;
import io.tickvault.ingest.polygon.PolygonBarSource;
import io.tickvault.ingest.polygon.PolygonClient;
import io.tickvault.source.MixingRefusedException;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import io.tickvault.testing.TestClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vendor ingest write path end to end: local vendor servers, the real clients, the service and
 * a real store of each engine (subclasses supply a fresh one).
 */
public abstract class VendorIngestContract {
  static final Symbol AAPL = Symbol.of("AAPL");
  static final Symbol MSFT = Symbol.of("MSFT");
  static final Symbol TSLA = Symbol.of("TSLA");
  static final LocalDate FIRST = LocalDate.parse("2024-01-02");
  static final LocalDate LAST = LocalDate.parse("2024-02-29");

  protected BarStore store;
  final TestClock clock = TestClock.at("2024-03-01T21:00:00Z");
  final List<String> notices = new ArrayList<>();
  final FakeMarket market = new FakeMarket(FIRST, LAST, 10);
  FakeVendorServer server;
  VendorIngestService service;

  /** A fresh, empty store of the engine under test. */
  protected abstract BarStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    service = new VendorIngestService(store, clock);
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    store.close();
  }

  PolygonBarSource polygon() {
    if (server == null) {
      server = FakeVendorServer.answering(market::polygon);
    }
    return new PolygonBarSource(PolygonClient.create(server.base(), "pk_test_key_1234", 0, VendorHttp.Options.defaults(),
        clock, clock, notices::add), true, notices::add);
  }

  AlpacaBarSource alpaca(AlpacaFeed feed) {
    if (server == null) {
      server = FakeVendorServer.answering(market::alpaca);
    }
    return new AlpacaBarSource(AlpacaClient.create(server.base(), "PKTESTKEYID", "secret_test_key", VendorHttp.Options
        .defaults(), clock, clock, notices::add), feed, AlpacaAdjustment.RAW, clock, notices::add);
  }

  static IngestPlan plan(List<Symbol> symbols, LocalDate from, LocalDate to) {
    return new IngestPlan(symbols, from, to, Timeframe.DAY_1, null, null);
  }

  List<Bar> stored(SourceName source, Symbol s) {
    List<Bar> out = new ArrayList<>();
    store.read(source, BarFilter.of(s), out::add);
    return out;
  }

  @Test
  void an_interrupted_polygon_download_is_resumed_by_a_second_run_without_duplicates_or_gaps() {
    PolygonBarSource src = polygon();
    // the outage starts at the third page (its next_url starts at the 21st bar)
    long third = market.bars(AAPL, SourceName.POLYGON).get(20).timestamp().toEpochMilli();
    market.failWhen(r -> r.path().contains("/" + third + "/"));
    VendorException e = assertThrows(VendorException.class, () -> service.ingest(src, plan(List.of(AAPL), FIRST, LAST),
        IngestListener.NONE));
    assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    List<Bar> expected = market.bars(AAPL, SourceName.POLYGON);
    assertEquals(expected.subList(0, 20), stored(SourceName.POLYGON, AAPL), "two complete pages, nothing more");
    IngestRecord failed = store.ingestLog(SourceName.POLYGON, 1).get(0);
    assertEquals(io.tickvault.store.IngestStatus.FAILED, failed.status());
    assertEquals(20, failed.rows());

    market.failWhen(r -> false);
    int before = server.requests().size();
    IngestReport r = service.ingest(polygon(), plan(List.of(AAPL), null, LAST), IngestListener.NONE);
    assertEquals(expected, stored(SourceName.POLYGON, AAPL), "the whole series, each bar once");
    // continued from the last stored bar (2024-01-30) minus 2 days, not from the start
    LocalDate lastStored = MarketTime.dayOf(expected.get(19).timestamp());
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/" + lastStored.minusDays(2) + "/" + LAST,
        server.requests().get(before).path());
    assertEquals(lastStored.minusDays(2), r.from());
    assertEquals(io.tickvault.store.IngestStatus.OK, store.ingestLog(SourceName.POLYGON, 1).get(0).status());
  }

  @Test
  void an_interrupted_alpaca_download_is_resumed_per_symbol_without_duplicates_or_gaps() {
    AlpacaBarSource src = alpaca(AlpacaFeed.IEX);
    // 43 bars per symbol, 10 per page: page 6 (offset 50) holds the 8th..17th bar of MSFT
    market.failWhen(r -> FakeMarket.alpacaOffset(r) == 50);
    List<Symbol> all = List.of(AAPL, MSFT, TSLA);
    assertThrows(VendorException.class, () -> service.ingest(src, plan(all, FIRST, LAST), IngestListener.NONE));
    List<Bar> aapl = market.bars(AAPL, SourceName.ALPACA);
    List<Bar> msft = market.bars(MSFT, SourceName.ALPACA);
    assertEquals(aapl, stored(SourceName.ALPACA, AAPL));
    assertEquals(msft.subList(0, 7), stored(SourceName.ALPACA, MSFT));
    assertEquals(List.of(), stored(SourceName.ALPACA, TSLA));

    market.failWhen(r -> false);
    int before = server.requests().size();
    service.ingest(alpaca(AlpacaFeed.IEX), plan(all, null, LAST), IngestListener.NONE);
    assertEquals(aapl, stored(SourceName.ALPACA, AAPL));
    assertEquals(msft, stored(SourceName.ALPACA, MSFT));
    assertEquals(market.bars(TSLA, SourceName.ALPACA), stored(SourceName.ALPACA, TSLA));
    // one request group per start day: TSLA from the interrupted run's first day, the others from their last bar
    List<String> starts = server.requests().subList(before, server.requests().size()).stream()
        .filter(q -> !q.query().containsKey("page_token")).map(q -> q.query().get("symbols") + "@" + q.query()
            .get("start")).toList();
    assertEquals(List.of("TSLA@2024-01-02T05:00:00Z", "MSFT@2024-01-08T05:00:00Z", "AAPL@2024-02-27T05:00:00Z"),
        starts);
  }

  @Test
  void minute_bars_into_a_daily_source_are_refused_before_any_download_and_a_resume_keeps_the_source_width() {
    // the README's two examples: daily bars of AAPL and MSFT, then AAPL minute bars into the same source
    service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL, MSFT), FIRST, LAST), IngestListener.NONE);
    assertEquals(Timeframe.DAY_1, store.requireSource(SourceName.ALPACA).width());
    long rows = store.stats(SourceName.ALPACA, BarFilter.ALL).rows();
    int requests = server.requests().size();
    io.tickvault.domain.WidthMismatchException e = assertThrows(io.tickvault.domain.WidthMismatchException.class,
        () -> service.ingest(alpaca(AlpacaFeed.IEX), new IngestPlan(List.of(AAPL), null, LAST, Timeframe.MIN_1, null,
            null), IngestListener.NONE));
    assertEquals("alpaca holds 1Day bars; write 1Min bars into another source: --into alpaca_1min (a source holds "
        + "bars of one width, so that daily candles never add daily bars to minute bars); nothing was written",
        e.message("--into"));
    assertEquals(requests, server.requests().size(), "refused before any download");
    assertEquals(rows, store.stats(SourceName.ALPACA, BarFilter.ALL).rows());
    // a resume without --timeframe continues with the source's width
    IngestReport r = service.ingest(alpaca(AlpacaFeed.IEX), new IngestPlan(List.of(AAPL), null, LAST, null, null,
        null), IngestListener.NONE);
    assertEquals(Timeframe.DAY_1, r.timeframe());
    assertTrue(server.requests().get(server.requests().size() - 1).rawQuery().contains("timeframe=1Day"),
        server.requests().get(server.requests().size() - 1).toString());
    assertEquals(rows, store.stats(SourceName.ALPACA, BarFilter.ALL).rows(), "same bars again, none added");
  }

  @Test
  void an_incremental_run_fetches_the_trailing_window_again_and_takes_vendor_corrections() {
    service.ingest(polygon(), plan(List.of(AAPL), FIRST, LAST), IngestListener.NONE);
    market.correct(AAPL, LocalDate.parse("2024-02-28"), "150.01");
    market.correct(AAPL, LocalDate.parse("2024-02-21"), "150.02"); // outside the window: not fetched again
    int before = server.requests().size();
    IngestReport r = service.ingest(polygon(), plan(List.of(AAPL), null, LAST), new IngestListener() {
      @Override
      public void notice(String message) {
        notices.add(message);
      }
    });
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/2024-02-27/2024-02-29", server.requests().get(before).path());
    assertEquals(3, r.rows());
    List<Bar> s = stored(SourceName.POLYGON, AAPL);
    assertEquals(43, s.size());
    assertEquals(new BigDecimal("150.0100"), s.stream().filter(b -> b.timestamp().equals(MarketTime.dayStart(
        LocalDate.parse("2024-02-28")))).findFirst().orElseThrow().close());
    assertTrue(s.stream().noneMatch(b -> b.close().compareTo(new BigDecimal("150.02")) == 0));
    assertTrue(notices.stream().anyMatch(n -> n.contains("AAPL from 2024-02-27")), notices.toString());
  }

  @Test
  void a_longer_trailing_window_is_honoured() {
    service.ingest(polygon(), plan(List.of(AAPL), FIRST, LAST), IngestListener.NONE);
    int before = server.requests().size();
    service.ingest(polygon(), new IngestPlan(List.of(AAPL), null, LAST, Timeframe.DAY_1, null, Duration.ofDays(10)),
        IngestListener.NONE);
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/2024-02-19/2024-02-29", server.requests().get(before).path());
  }

  @Test
  void a_symbol_split_across_alpaca_pages_is_merged_into_one_series() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("alpaca/bars-page1.json")),
        Response.ok(Fixtures.read("alpaca/bars-page2.json")));
    IngestReport r = service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL, MSFT), FIRST,
        LocalDate.parse("2024-01-04")), IngestListener.NONE);
    assertEquals(3, stored(SourceName.ALPACA, AAPL).size());
    assertEquals(3, stored(SourceName.ALPACA, MSFT).size());
    assertEquals(6, r.rows());
    assertEquals(2, r.pages());
    IngestReport.SymbolResult a = r.symbols().get(0);
    assertEquals(AAPL, a.symbol());
    assertEquals(3, a.rows());
    assertEquals(Instant.parse("2024-01-02T05:00:00Z"), a.first());
    assertEquals(Instant.parse("2024-01-04T05:00:00Z"), a.last());
  }

  @Test
  void malformed_json_writes_nothing_and_the_run_is_logged_failed() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/malformed.json")));
    VendorException e = assertThrows(VendorException.class, () -> service.ingest(polygon(), plan(List.of(AAPL), FIRST,
        LAST), IngestListener.NONE));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    // nothing was written, so the source the run would have created was not left behind empty
    assertTrue(store.source(SourceName.POLYGON).filter(x -> x.tableExists()).isEmpty());
    IngestRecord log = store.ingestLog(SourceName.POLYGON, 1).get(0);
    assertEquals(io.tickvault.store.IngestStatus.FAILED, log.status());
    assertEquals(0, log.rows());
    assertTrue(log.detail().contains("not valid JSON"), log.detail());
  }

  @Test
  void a_bar_the_gate_refuses_fails_the_run_naming_it_and_keeps_earlier_pages() {
    server = FakeVendorServer.scripted(Response.ok(Fixtures.read("polygon/aggs-aapl-day-page1.json")),
        Response.ok(Fixtures.read("polygon/aggs-aapl-day-page2.json").replace("\"h\": 183.0872", "\"h\": 170.5")));
    // a data-rule refusal (exit 2), not an unreachable vendor (exit 4)
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.ingest(polygon(),
        plan(List.of(AAPL), FIRST, LocalDate.parse("2024-01-05")), IngestListener.NONE));
    assertTrue(e.getMessage().contains("Polygon sent a bar that tickvault refuses") && e.getMessage().contains(
        "2024-01-04T05:00:00Z") && e.getMessage().contains("2 rows from earlier pages are stored"), e.getMessage());
    assertEquals(2, stored(SourceName.POLYGON, AAPL).size());
  }

  @Test
  void the_ingest_log_records_source_origin_feed_symbols_range_rows_and_status() {
    service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(MSFT, AAPL), LocalDate.parse("2024-02-26"), LAST),
        IngestListener.NONE);
    IngestRecord r = store.ingestLog(SourceName.ALPACA, 1).get(0);
    assertEquals(SourceName.ALPACA, r.source());
    assertEquals("alpaca", r.origin());
    assertEquals("iex", r.feed());
    assertEquals("MSFT,AAPL", r.symbols());
    assertEquals(Instant.parse("2024-02-26T05:00:00Z"), r.rangeFrom());
    assertEquals(Instant.parse("2024-03-01T05:00:00Z"), r.rangeTo());
    assertEquals(8, r.rows());
    assertEquals(io.tickvault.store.IngestStatus.OK, r.status());
    assertTrue(r.detail().contains("feed=iex; adjustment=raw"), r.detail());
    assertEquals(SourceKind.VENDOR, store.requireSource(SourceName.ALPACA).kind());
  }

  @Test
  void one_source_never_mixes_alpaca_feeds() {
    service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL), LocalDate.parse("2024-02-26"), LAST),
        IngestListener.NONE);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.ingest(alpaca(AlpacaFeed.SIP),
        plan(List.of(AAPL), LocalDate.parse("2024-02-26"), LAST), IngestListener.NONE));
    assertTrue(e.getMessage().contains("alpaca already holds Alpaca iex bars") && e.getMessage().contains(
        "--into alpaca_sip"), e.getMessage());
    SourceName sip = SourceName.of("alpaca_sip");
    service.ingest(alpaca(AlpacaFeed.SIP), new IngestPlan(List.of(AAPL), LocalDate.parse("2024-02-26"), LAST,
        Timeframe.DAY_1, sip, null), IngestListener.NONE);
    assertEquals(SourceKind.VENDOR, store.requireSource(sip).kind());
    assertEquals(4, stored(sip, AAPL).size());
    assertEquals(SourceName.ALPACA, stored(sip, AAPL).get(0).origin());
    assertEquals("sip", store.ingestLog(sip, 1).get(0).feed());
    // and back: iex into the sip source is refused too
    assertThrows(InvalidInputException.class, () -> service.ingest(alpaca(AlpacaFeed.IEX), new IngestPlan(List.of(AAPL),
        LocalDate.parse("2024-02-26"), LAST, Timeframe.DAY_1, sip, null), IngestListener.NONE));
  }

  @Test
  void a_feed_can_change_after_the_source_was_emptied() {
    service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL), LocalDate.parse("2024-02-26"), LAST),
        IngestListener.NONE);
    store.delete(SourceName.ALPACA, BarFilter.ALL);
    service.ingest(alpaca(AlpacaFeed.SIP), plan(List.of(AAPL), LocalDate.parse("2024-02-26"), LAST),
        IngestListener.NONE);
    assertEquals(4, stored(SourceName.ALPACA, AAPL).size());
  }

  @Test
  void vendor_bars_go_only_into_vendor_sources_of_their_origin() {
    for (String target : List.of("alpaca", "synthetic", "test", "mock")) {
      MixingRefusedException e = assertThrows(MixingRefusedException.class, () -> service.ingest(polygon(),
          new IngestPlan(List.of(AAPL), FIRST, LAST, Timeframe.DAY_1, SourceName.of(target), null),
          IngestListener.NONE));
      assertTrue(e.getMessage().startsWith("refused: " + target), e.getMessage());
    }
    store.createSource(SourceName.of("scenario"), SourceKind.GENERATED, null);
    assertThrows(MixingRefusedException.class, () -> service.ingest(polygon(), new IngestPlan(List.of(AAPL), FIRST,
        LAST, Timeframe.DAY_1, SourceName.of("scenario"), null), IngestListener.NONE));
    // a vendor source of the user's holding another vendor's rows is refused as well
    SourceName mine = SourceName.of("mine");
    store.createSource(mine, SourceKind.VENDOR, null);
    store.write(mine, Timeframe.DAY_1, market.bars(MSFT, FIRST, FIRST.plusDays(1), SourceName.ALPACA).iterator());
    MixingRefusedException e = assertThrows(MixingRefusedException.class, () -> service.ingest(polygon(),
        new IngestPlan(List.of(AAPL), FIRST, LAST, Timeframe.DAY_1, mine, null), IngestListener.NONE));
    assertTrue(e.getMessage().contains("already holds rows of origin alpaca (2 rows)"), e.getMessage());
    assertEquals(2, store.stats(mine, BarFilter.ALL).rows());
    assertTrue(server == null || server.requests().isEmpty(), "refusals happen before any download");
  }

  @Test
  void without_from_a_symbol_with_no_bars_and_no_earlier_run_needs_from() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.ingest(polygon(),
        plan(List.of(AAPL, MSFT), null, LAST), IngestListener.NONE));
    assertTrue(e.getMessage().contains("no stored bars of AAPL, MSFT in polygon") && e.getMessage().contains(
        "--from"), e.getMessage());
  }

  @Test
  void a_symbol_already_up_to_date_is_skipped() {
    service.ingest(polygon(), plan(List.of(AAPL), FIRST, LAST), IngestListener.NONE);
    IngestReport r = service.ingest(polygon(), plan(List.of(AAPL), null, LocalDate.parse("2024-01-31")),
        IngestListener.NONE);
    assertEquals(0, r.rows());
    assertNull(r.from());
    assertNull(r.symbols().get(0).from());
  }

  @Test
  void progress_reports_each_symbol_up_to_its_whole_range() {
    List<String> events = new ArrayList<>();
    service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL, MSFT), FIRST, LAST), new IngestListener() {
      @Override
      public void progress(Symbol symbol, long rows, Instant through, double fraction) {
        events.add(symbol + " " + rows);
      }

      @Override
      public void symbolDone(Symbol symbol, long rows) {
        events.add(symbol + " done " + rows);
      }
    });
    assertEquals("AAPL 10", events.get(0));
    assertTrue(events.indexOf("AAPL done 43") < events.indexOf("MSFT 7"), events.toString());
    assertEquals("MSFT done 43", events.get(events.size() - 1));
  }

  // ---- issue 8 §6: vendor downloads keep to what was asked; issue 9: 200 answers without the fields --

  static String polygonBody(String ticker, List<LocalDate> days) {
    StringBuilder j = new StringBuilder("{\"ticker\":\"" + ticker + "\",\"status\":\"OK\",\"adjusted\":true,"
        + "\"queryCount\":" + days.size() + ",\"resultsCount\":" + days.size() + ",\"request_id\":\"r\",\"results\":[");
    for (int i = 0; i < days.size(); i++) {
      j.append(i == 0 ? "" : ",").append("{\"v\":1000,\"vw\":100.5,\"o\":100,\"c\":101,\"h\":102,\"l\":99,\"t\":")
          .append(MarketTime.dayStart(days.get(i)).toEpochMilli()).append(",\"n\":10}");
    }
    return j.append("]}").toString();
  }

  @Test
  void polygon_bars_outside_the_range_or_of_another_ticker_are_counted_and_not_stored() {
    LocalDate from = LocalDate.parse("2024-01-03");
    LocalDate to = LocalDate.parse("2024-01-05");
    server = FakeVendorServer.scripted(
        Response.ok(polygonBody("AAPL", List.of(LocalDate.parse("2023-12-29"), from, to, LocalDate.parse("2024-01-08"),
            LocalDate.parse("2031-01-02")))),
        Response.ok(polygonBody("TSLA", List.of(from, to))));
    IngestReport r = service.ingest(polygon(), plan(List.of(AAPL, MSFT), from, to), IngestListener.NONE);
    assertEquals(List.of(MarketTime.dayStart(from), MarketTime.dayStart(to)),
        stored(SourceName.POLYGON, AAPL).stream().map(Bar::timestamp).toList());
    assertEquals(List.of(), stored(SourceName.POLYGON, MSFT));
    assertEquals(List.of(), stored(SourceName.POLYGON, TSLA));
    assertEquals(3, r.outOfRange());
    assertEquals(2, r.unrequested());
    assertEquals(2, r.rows());
    assertEquals(2, r.written().added());
    assertTrue(r.anomalies().contains("3 bars outside the requested range") && r.anomalies().contains("TSLA"),
        r.anomalies());
    IngestRecord log = store.ingestLog(SourceName.POLYGON, 1).get(0);
    assertTrue(log.detail().contains("vendor anomaly") && log.detail().contains("2 added"), log.detail());

    // a later run without --from resumes from what was really stored (2024-01-05), not from the 2031 bar
    server.close();
    server = null;
    int before = 0;
    IngestReport again = service.ingest(polygon(), plan(List.of(AAPL), null, LAST), IngestListener.NONE);
    assertEquals("/v2/aggs/ticker/AAPL/range/1/day/2024-01-03/" + LAST, server.requests().get(before).path());
    assertEquals(LocalDate.parse("2024-01-03"), again.from());
  }

  @Test
  void alpaca_bars_outside_the_range_or_of_an_unrequested_symbol_are_counted_and_not_stored() {
    String body = "{\"bars\":{\"AAPL\":["
        + "{\"t\":\"2024-01-02T05:00:00Z\",\"o\":100,\"h\":102,\"l\":99,\"c\":101,\"v\":1000,\"n\":10,\"vw\":100.5},"
        + "{\"t\":\"2024-01-03T05:00:00Z\",\"o\":100,\"h\":102,\"l\":99,\"c\":101,\"v\":1000,\"n\":10,\"vw\":100.5},"
        + "{\"t\":\"2024-01-09T05:00:00Z\",\"o\":100,\"h\":102,\"l\":99,\"c\":101,\"v\":1000,\"n\":10,\"vw\":100.5}],"
        + "\"XYZ\":[{\"t\":\"2024-01-02T05:00:00Z\",\"o\":5,\"h\":6,\"l\":4,\"c\":5,\"v\":10,\"n\":1,\"vw\":5}]},"
        + "\"next_page_token\":null}";
    server = FakeVendorServer.scripted(Response.ok(body));
    IngestReport r = service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL), FIRST, LocalDate.parse("2024-01-05")),
        IngestListener.NONE);
    assertEquals(2, stored(SourceName.ALPACA, AAPL).size());
    assertEquals(List.of(), stored(SourceName.ALPACA, Symbol.of("XYZ")));
    assertEquals(1, r.outOfRange());
    assertEquals(1, r.unrequested());
    assertEquals(2, r.written().added());
  }

  @Test
  void open_or_close_outside_low_high_from_a_vendor_is_kept_and_reported() {
    LocalDate day = LocalDate.parse("2024-01-03");
    String body = polygonBody("AAPL", List.of(day)).replace("\"o\":100", "\"o\":102.5");
    server = FakeVendorServer.scripted(Response.ok(body));
    IngestReport r = service.ingest(polygon(), plan(List.of(AAPL), day, day), IngestListener.NONE);
    assertEquals(1, r.written().flawed());
    assertEquals(new BigDecimal("102.5000"), stored(SourceName.POLYGON, AAPL).get(0).open());
    assertTrue(store.ingestLog(SourceName.POLYGON, 1).get(0).detail().contains("kept as delivered"));
  }

  @Test
  void a_200_answer_without_the_documented_fields_is_a_vendor_error_and_leaves_no_new_source() {
    for (String body : List.of("{}", "{\"message\":\"service temporarily unavailable\"}")) {
      server = FakeVendorServer.scripted(Response.ok(body));
      VendorException e = assertThrows(VendorException.class, () -> service.ingest(polygon(), plan(List.of(AAPL),
          FIRST, LAST), IngestListener.NONE), body);
      assertTrue(e.getMessage().contains("\"status\""), e.getMessage());
      server.close();
      server = FakeVendorServer.scripted(Response.ok(body));
      e = assertThrows(VendorException.class, () -> service.ingest(alpaca(AlpacaFeed.IEX), plan(List.of(AAPL),
          FIRST, LAST), IngestListener.NONE), body);
      assertTrue(e.getMessage().contains("\"bars\" field is missing"), e.getMessage());
      server.close();
      server = null;
    }
    // nothing was written: neither vendor source was created
    assertTrue(store.source(SourceName.POLYGON).filter(x -> x.tableExists()).isEmpty());
    assertTrue(store.source(SourceName.ALPACA).filter(x -> x.tableExists()).isEmpty());
    assertEquals(io.tickvault.store.IngestStatus.FAILED, store.ingestLog(SourceName.POLYGON, 1).get(0).status());
  }
}
