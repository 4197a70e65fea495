package io.tickvault.ingest;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.ingest.FakeVendorServer.Request;
import io.tickvault.ingest.FakeVendorServer.Response;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny deterministic market for end-to-end vendor tests: daily bars (weekdays, stamped at 00:00
 * New York) of a few symbols, served in the documented Polygon and Alpaca formats with paging.
 * {@link #correct(Symbol, LocalDate, String)} changes a close to model a vendor correction;
 * {@link #failWhen} makes matching requests answer HTTP 500 to model an outage mid-download.
 */
public final class FakeMarket {
  private static final Pattern POLYGON = Pattern.compile("/v2/aggs/ticker/([^/]+)/range/1/day/([^/]+)/([^/]+)");

  private final LocalDate first;
  private final LocalDate last;
  private final int pageSize;
  private final Map<String, BigDecimal> corrections = new HashMap<>();
  private volatile Predicate<Request> failWhen = r -> false;
  private final AtomicInteger failures = new AtomicInteger();

  public FakeMarket(LocalDate first, LocalDate last, int pageSize) {
    this.first = first;
    this.last = last;
    this.pageSize = pageSize;
  }

  /** From now on, requests matching {@code p} answer HTTP 500. */
  public void failWhen(Predicate<Request> p) {
    failWhen = p;
  }

  public int failures() {
    return failures.get();
  }

  /** Changes the close (and high, when needed) of one bar. */
  public void correct(Symbol s, LocalDate day, String close) {
    corrections.put(s + "|" + day, new BigDecimal(close));
  }

  /** Every bar the vendor has for {@code s} on days {@code from..to}, with the given origin. */
  public List<Bar> bars(Symbol s, LocalDate from, LocalDate to, SourceName origin) {
    List<Bar> out = new ArrayList<>();
    for (LocalDate d = from.isBefore(first) ? first : from; !d.isAfter(to) && !d.isAfter(last); d = d.plusDays(1)) {
      if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
        continue;
      }
      int k = Math.floorMod((s.value() + d).hashCode(), 5000);
      BigDecimal open = new BigDecimal(100 + k / 100).add(BigDecimal.valueOf(k % 100, 2));
      BigDecimal close = corrections.getOrDefault(s + "|" + d, open.add(new BigDecimal("0.37")));
      BigDecimal high = open.max(close).add(new BigDecimal("1.25"));
      BigDecimal low = open.min(close).subtract(new BigDecimal("0.75"));
      out.add(Bar.ohlcv(s, MarketTime.dayStart(d), open, high, low, close, 1_000_000L + k * 37L, 1000 + k,
          open.add(new BigDecimal("0.1234")), origin).normalized()); // vwap inside [low, high], like a real one
    }
    return out;
  }

  public List<Bar> bars(Symbol s, SourceName origin) {
    return bars(s, first, last, origin);
  }

  // ---- Polygon ---------------------------------------------------------------------------------

  /** Answers {@code /v2/aggs/ticker/{T}/range/1/day/{from}/{to}} (from: a day or, from next_url, ms). */
  public Response polygon(Request r) {
    if (failWhen.test(r)) {
      failures.incrementAndGet();
      return Response.json(500, "{\"status\":\"ERROR\",\"error\":\"internal error\"}");
    }
    Matcher m = POLYGON.matcher(r.path());
    if (!m.matches()) {
      return Response.json(404, "{\"status\":\"NOT_FOUND\",\"message\":\"no such path\"}");
    }
    Symbol s = Symbol.of(m.group(1));
    String f = m.group(2);
    Instant from = f.matches("\\d{10,}") ? Instant.ofEpochMilli(Long.parseLong(f)) : MarketTime.dayStart(
        LocalDate.parse(f));
    LocalDate to = LocalDate.parse(m.group(3));
    List<Bar> all = bars(s, MarketTime.dayOf(from), to, SourceName.POLYGON).stream()
        .filter(b -> !b.timestamp().isBefore(from)).toList();
    List<Bar> page = all.subList(0, Math.min(pageSize, all.size()));
    StringBuilder json = new StringBuilder("{\"ticker\":\"" + s + "\",\"queryCount\":" + page.size()
        + ",\"resultsCount\":" + page.size() + ",\"adjusted\":true,\"status\":\"OK\",\"request_id\":\"r\",\"results\":[");
    for (int i = 0; i < page.size(); i++) {
      Bar b = page.get(i);
      json.append(i == 0 ? "" : ",").append("{\"v\":").append(sci(b.volume())).append(",\"vw\":")
          .append(b.vwap().toPlainString()).append(",\"o\":").append(b.open().toPlainString()).append(",\"c\":")
          .append(b.close().toPlainString()).append(",\"h\":").append(b.high().toPlainString()).append(",\"l\":")
          .append(b.low().toPlainString()).append(",\"t\":").append(b.timestamp().toEpochMilli()).append(",\"n\":")
          .append(b.tradeCount()).append('}');
    }
    json.append(']');
    if (all.size() > page.size()) {
      long next = all.get(page.size()).timestamp().toEpochMilli();
      json.append(",\"next_url\":\"https://api.massive.com/v2/aggs/ticker/").append(s).append("/range/1/day/")
          .append(next).append('/').append(to).append("?cursor=").append(b64("limit=" + pageSize + "&sort=asc&at="
          + next)).append('"');
    }
    return Response.ok(json.append('}').toString());
  }

  /** Volume spelled like Polygon sometimes does: 1.23456e+06. */
  private static String sci(long v) {
    String digits = Long.toString(v);
    return digits.charAt(0) + "." + digits.substring(1) + "e+0" + (digits.length() - 1);
  }

  // ---- Alpaca ----------------------------------------------------------------------------------

  /** Answers {@code /v2/stocks/bars}: all requested symbols, sorted by symbol then time, paged by an offset token. */
  public Response alpaca(Request r) {
    if (failWhen.test(r)) {
      failures.incrementAndGet();
      return Response.json(500, "{\"message\":\"internal server error\"}");
    }
    Map<String, String> q = r.query();
    Instant start = Instant.parse(q.get("start"));
    Instant end = q.containsKey("end") ? Instant.parse(q.get("end")) : MarketTime.dayStart(last.plusDays(1));
    List<Bar> all = new ArrayList<>();
    for (String sym : new java.util.TreeSet<>(List.of(q.get("symbols").split(",")))) {
      for (Bar b : bars(Symbol.of(sym), SourceName.ALPACA)) {
        if (!b.timestamp().isBefore(start) && !b.timestamp().isAfter(end)) {
          all.add(b);
        }
      }
    }
    int offset = q.containsKey("page_token") ? Integer.parseInt(new String(Base64.getDecoder().decode(
        q.get("page_token")), StandardCharsets.UTF_8).split(":")[1]) : 0;
    int endIx = Math.min(offset + pageSize, all.size());
    StringBuilder json = new StringBuilder("{\"bars\":{");
    String current = null;
    for (int i = offset; i < endIx; i++) {
      Bar b = all.get(i);
      if (!b.symbol().value().equals(current)) {
        json.append(current == null ? "" : "],").append('"').append(b.symbol()).append("\":[");
        current = b.symbol().value();
      } else {
        json.append(',');
      }
      json.append("{\"t\":\"").append(b.timestamp()).append("\",\"o\":").append(b.open().toPlainString())
          .append(",\"h\":").append(b.high().toPlainString()).append(",\"l\":").append(b.low().toPlainString())
          .append(",\"c\":").append(b.close().toPlainString()).append(",\"v\":").append(b.volume()).append(",\"n\":")
          .append(b.tradeCount()).append(",\"vw\":").append(b.vwap().toPlainString()).append('}');
    }
    json.append(current == null ? "}" : "]}");
    json.append(",\"next_page_token\":").append(endIx < all.size() ? '"' + b64("offset:" + endIx) + '"' : "null")
        .append('}');
    return Response.ok(json.toString());
  }

  /** The offset a request's page_token points at (0 for the first page). */
  public static int alpacaOffset(Request r) {
    String t = r.query().get("page_token");
    return t == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8)
        .split(":")[1]);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
