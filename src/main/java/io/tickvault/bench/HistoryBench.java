package io.tickvault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The history step of {@code tickvault bench}: {@code GET /api/market-data/history} of one
 * symbol-year at 1m (every page, as the API pages it: its default limit, following {@code next})
 * and at 1d, through a real server on 127.0.0.1, against the store's own aggregate query for the
 * same range ({@link BarStore#aggregate}, the one candle SQL there is), measured in the same run,
 * alternately, {@code runs} times each; medians compared. Every HTTP run must return exactly the
 * candles the store's query returns, so a fast wrong answer fails the bench. Not thread-safe.
 */
public final class HistoryBench {
  /** A running API server over one store (started by the caller: bench does not depend on server). */
  public interface Server extends AutoCloseable {
    /** The server's base URL, ending in a slash. */
    URI url();
  }

  /** Starts the API server on 127.0.0.1, a free port, over the store at {@code storeUrl}, default source {@code source}. */
  public interface Starter {
    Server start(String storeUrl, SourceName source) throws Exception;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path scratchDir;
  private final Consumer<String> log;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public HistoryBench(Path scratchDir, Consumer<String> log) {
    this.scratchDir = scratchDir;
    this.log = log;
  }

  /**
   * Writes {@code bars} into a scratch source of the store at {@code storeUrl} (a PostgreSQL scratch
   * database, or null for a SQLite file in the scratch folder), serves it, and measures the first
   * symbol's first year at 1m and 1d; {@code engine} names the store in the results.
   */
  public List<Measurement> run(String storeUrl, String engine, List<Bar> bars, Starter starter, int runs)
      throws Exception {
    String url = storeUrl != null ? storeUrl : scratchDir.resolve("history.db").toString();
    SourceName source = BenchRunner.BENCH;
    Symbol symbol = bars.get(0).symbol();
    LocalDate from = bars.get(0).timestamp().atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate to = from.plusYears(1).minusDays(1);
    TimeRange range = TimeRange.ofDays(from, to);
    List<Measurement> out = new ArrayList<>();
    try (BarStore store = Stores.open(url)) {
      store.dropSource(source);
      store.createSource(source, SourceKind.GENERATED, "benchmark scratch");
      log.accept("history (" + engine + "): writing " + bars.size() + " bars...");
      store.write(source, Timeframe.MIN_1, bars.iterator());
      try (Server server = starter.start(url, source)) {
        for (Timeframe width : List.of(Timeframe.MIN_1, Timeframe.DAY_1)) {
          String first = server.url() + "api/market-data/history/" + enc(symbol.value()) + "?source=" + source.value()
              + "&from=" + from + "&to=" + to + "&interval=" + width.apiName();
          log.accept("history (" + engine + "): " + symbol + " " + from + ".." + to + " at " + width.apiName() + ", "
              + runs + " runs of HTTP (every page) and of the store's query...");
          long[] expected = {0};
          long candles = store.aggregate(source, symbol, range, width, c -> expected[0]++); // warm-up
          fetchAll(server.url(), first, candles); // warm-up
          double[] httpSeconds = new double[runs];
          double[] dbSeconds = new double[runs];
          int pages = 0;
          for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            pages = fetchAll(server.url(), first, candles);
            httpSeconds[i] = BenchRunner.seconds(t0);
            long[] n = {0};
            t0 = System.nanoTime();
            store.aggregate(source, symbol, range, width, c -> n[0]++);
            dbSeconds[i] = BenchRunner.seconds(t0);
          }
          out.add(new Measurement("history " + width.apiName() + " " + engine + " (" + pages + " page"
              + (pages == 1 ? "" : "s") + ", p50)", candles, median(httpSeconds), "the store's query, same range",
              candles, median(dbSeconds), 1 / 1.5, "p50 within 1.5x of the store's query (>= 0.67x)"));
        }
      }
      store.dropSource(source);
    } finally {
      if (storeUrl == null) {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
          Files.deleteIfExists(Path.of(url + suffix));
        }
      }
    }
    return out;
  }

  /**
   * Fetches every page of a history request, following each page's {@code metadata.next}; checks
   * that they hold {@code expected} candles in all. Returns the number of pages.
   */
  private int fetchAll(URI base, String first, long expected) throws Exception {
    String next = first;
    long candles = 0;
    int pages = 0;
    while (next != null) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(next)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + next + " answered " + r.statusCode() + ": "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      JsonNode metadata = metadata(r.body());
      if (metadata.has("error")) {
        throw new IllegalStateException("GET " + next + " ended with an error: " + metadata.get("error"));
      }
      candles += metadata.get("metadata").get("count").asLong();
      pages++;
      JsonNode n = metadata.get("metadata").get("next");
      next = n == null || n.isNull() ? null : base.resolve(n.asText()).toString();
    }
    if (candles != expected) {
      throw new IllegalStateException("the history API returned " + candles + " candles for " + first
          + ", the store's query " + expected);
    }
    return pages;
  }

  /**
   * The tail of a history document after its candles ({@code "error"} if any, and {@code
   * "metadata"}), parsed without parsing the candles: the client's cost stays out of the figure.
   */
  private static JsonNode metadata(byte[] body) throws Exception {
    int from = Math.max(0, body.length - 16_384);
    String tail = new String(body, from, body.length - from, StandardCharsets.UTF_8);
    int at = tail.lastIndexOf("],\"");
    if (at < 0) {
      throw new IllegalStateException("not a history document: ..." + tail.substring(Math.max(0, tail.length() - 200)));
    }
    return JSON.readTree("{" + tail.substring(at + 2));
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
