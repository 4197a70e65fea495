package io.tickvault.ingest.stream;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Request;
import io.tickvault.ingest.FakeVendorServer.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic minute market for stream tests: every symbol has a bar for every minute, its
 * prices derived from the symbol and the minute (exact decimals), unless a correction was set.
 * Serves the same bars as stream frames (Alpaca {@code b}/{@code u}, Polygon {@code AM}) and as
 * the vendors' REST answers, where REST knows only minutes that are complete at the clock's time.
 */
public final class MinuteMarket {
  private static final Pattern POLYGON = Pattern.compile("/v2/aggs/ticker/([^/]+)/range/1/minute/([^/]+)/([^/]+)");

  private final Clock clock;
  private final Map<String, String> closes = new ConcurrentHashMap<>();

  public MinuteMarket(Clock clock) {
    this.clock = clock;
  }

  /** A later close for one minute (a vendor correction), used by both stream and REST. */
  public void correct(String symbol, String minute, String close) {
    closes.put(symbol + "@" + Instant.parse(minute), close);
  }

  private static int seed(String symbol) {
    return Math.abs(symbol.hashCode() % 50) + 100;
  }

  public String open(String sym, Instant t) {
    return seed(sym) + "." + String.format("%02d", t.atZone(java.time.ZoneOffset.UTC).getMinute());
  }

  public String close(String sym, Instant t) {
    String c = closes.get(sym + "@" + t);
    return c != null ? c : seed(sym) + "." + String.format("%02d", t.atZone(java.time.ZoneOffset.UTC).getMinute()) + "5";
  }

  public String high(String sym, Instant t) {
    return new BigDecimal(max(open(sym, t), close(sym, t))).add(new BigDecimal("0.5")).toPlainString();
  }

  public String low(String sym, Instant t) {
    return new BigDecimal(min(open(sym, t), close(sym, t))).subtract(new BigDecimal("0.5")).toPlainString();
  }

  private static String max(String a, String b) {
    return new BigDecimal(a).compareTo(new BigDecimal(b)) >= 0 ? a : b;
  }

  private static String min(String a, String b) {
    return new BigDecimal(a).compareTo(new BigDecimal(b)) <= 0 ? a : b;
  }

  public long volume(String sym, Instant t) {
    return 1000 + t.atZone(java.time.ZoneOffset.UTC).getMinute();
  }

  /** The bar as tickvault should store it. */
  public Bar bar(String sym, String minute, SourceName origin) {
    Instant t = Instant.parse(minute);
    return Bar.ohlcv(Symbol.of(sym), t, new BigDecimal(open(sym, t)), new BigDecimal(high(sym, t)),
        new BigDecimal(low(sym, t)), new BigDecimal(close(sym, t)), volume(sym, t),
        origin.equals(SourceName.POLYGON) ? 0 : 7, null, origin).normalized();
  }

  /** One Alpaca bar message ({@code T} = {@code b} or {@code u}). */
  public String alpaca(String type, String sym, String minute) {
    Instant t = Instant.parse(minute);
    return "{\"T\":\"" + type + "\",\"S\":\"" + sym + "\",\"o\":" + open(sym, t) + ",\"h\":" + high(sym, t) + ",\"l\":"
        + low(sym, t) + ",\"c\":" + close(sym, t) + ",\"v\":" + volume(sym, t) + ",\"t\":\"" + t + "\",\"n\":7}";
  }

  /** One Polygon AM event. */
  public String polygon(String sym, String minute) {
    Instant t = Instant.parse(minute);
    long s = t.toEpochMilli();
    return "{\"ev\":\"AM\",\"sym\":\"" + sym + "\",\"v\":" + volume(sym, t) + ",\"av\":99999,\"op\":100.1,\"o\":"
        + open(sym, t) + ",\"c\":" + close(sym, t) + ",\"h\":" + high(sym, t) + ",\"l\":" + low(sym, t)
        + ",\"a\":100.2,\"z\":5,\"s\":" + s + ",\"e\":" + (s + 60_000) + "}";
  }

  /** Minutes whose bar is complete at the clock's time, from {@code from} (inclusive). */
  private List<Instant> complete(Instant from) {
    Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES); // the current minute is not complete
    Instant first = Instant.parse("2026-11-20T14:30:00Z");
    List<Instant> out = new ArrayList<>();
    for (Instant t = first.isAfter(from) ? first : from.truncatedTo(ChronoUnit.MINUTES); t.isBefore(end);
        t = t.plus(1, ChronoUnit.MINUTES)) {
      out.add(t);
    }
    return out;
  }

  /** Alpaca {@code GET /v2/stocks/bars}: every complete minute since {@code start}. */
  public Response alpacaRest(Request r) {
    Map<String, String> q = r.query();
    StringBuilder b = new StringBuilder("{\"bars\":{");
    String[] syms = q.get("symbols").split(",");
    for (int i = 0; i < syms.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append('"').append(syms[i]).append("\":[");
      List<Instant> ts = complete(Instant.parse(q.get("start")));
      for (int j = 0; j < ts.size(); j++) {
        Instant t = ts.get(j);
        String s = syms[i];
        b.append(j > 0 ? "," : "").append("{\"t\":\"").append(t).append("\",\"o\":").append(open(s, t))
            .append(",\"h\":").append(high(s, t)).append(",\"l\":").append(low(s, t)).append(",\"c\":")
            .append(close(s, t)).append(",\"v\":").append(volume(s, t)).append(",\"n\":7}");
      }
      b.append(']');
    }
    b.append("},\"next_page_token\":null}");
    return Response.ok(b.toString());
  }

  /** Polygon {@code GET /v2/aggs/ticker/S/range/1/minute/FROM/TO}. */
  public Response polygonRest(Request r) {
    Matcher m = POLYGON.matcher(r.path());
    if (!m.matches()) {
      return Response.json(404, "{\"status\":\"NOT_FOUND\"}");
    }
    String s = m.group(1);
    Instant from = java.time.LocalDate.parse(m.group(2)).atStartOfDay(io.tickvault.ingest.MarketTime.NEW_YORK)
        .toInstant();
    StringBuilder b = new StringBuilder("{\"status\":\"OK\",\"ticker\":\"" + s + "\",\"results\":[");
    List<Instant> ts = complete(from);
    for (int j = 0; j < ts.size(); j++) {
      Instant t = ts.get(j);
      b.append(j > 0 ? "," : "").append("{\"t\":").append(t.toEpochMilli()).append(",\"o\":").append(open(s, t))
          .append(",\"h\":").append(high(s, t)).append(",\"l\":").append(low(s, t)).append(",\"c\":")
          .append(close(s, t)).append(",\"v\":").append(volume(s, t)).append("}");
    }
    b.append("],\"resultsCount\":").append(ts.size()).append("}");
    return Response.ok(b.toString());
  }

  /** A REST server for one vendor. */
  public FakeVendorServer rest(boolean alpaca) {
    return FakeVendorServer.answering(alpaca ? this::alpacaRest : this::polygonRest);
  }
}
