package io.tickvault.ingest.stream;

import static org.junit.jupiter.api.Assertions.fail;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.ingest.alpaca.AlpacaAdjustment;
import io.tickvault.ingest.alpaca.AlpacaBarSource;
import io.tickvault.ingest.alpaca.AlpacaClient;
import io.tickvault.ingest.alpaca.AlpacaFeed;
import io.tickvault.ingest.alpaca.AlpacaStreamDialect;
import io.tickvault.ingest.polygon.PolygonBarSource;
import io.tickvault.ingest.polygon.PolygonClient;
import io.tickvault.ingest.polygon.PolygonStreamDialect;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.testing.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** One collector on a background thread, with its event lines, for tests. */
final class CollectorRun implements AutoCloseable {
  static final String KEY = "PKTEST0000000000";
  static final String SECRET = "secret0000secret";
  static final String POLYGON_KEY = "Zq8Tx5Wr2Lm9Qa3V";

  final BarStore store;
  final TestClock clock;
  final Collector collector;
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private Thread thread;
  private volatile Collector.Outcome outcome;
  private volatile Throwable error;

  private CollectorRun(BarStore store, TestClock clock, StreamDialect dialect, BarSource rest, Collector.Options o) {
    this.store = store;
    this.clock = clock;
    this.collector = new Collector(store, dialect, rest, o, clock, clock, new Random(7), HttpClient.newHttpClient(),
        line -> events.add(java.time.LocalTime.now(java.time.ZoneOffset.UTC) + " " + line));
  }

  static Collector.Options options(SourceName target, URI ws, String... symbols) {
    return Collector.Options.defaults(java.util.Arrays.stream(symbols).map(Symbol::of).toList(), target, ws)
        .withTiming(Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(90));
  }

  static CollectorRun alpaca(BarStore store, TestClock clock, URI ws, URI rest, String... symbols) {
    return alpaca(store, clock, rest, options(SourceName.ALPACA, ws, symbols), KEY, SECRET);
  }

  static CollectorRun alpaca(BarStore store, TestClock clock, URI rest, Collector.Options o, String key,
      String secret) {
    AlpacaClient client = AlpacaClient.create(rest, key, secret, VendorHttp.Options.defaults(), clock, clock, m -> { });
    return new CollectorRun(store, clock, new AlpacaStreamDialect(key, secret, "iex"),
        new AlpacaBarSource(client, AlpacaFeed.IEX, AlpacaAdjustment.RAW, clock, m -> { }), o);
  }

  static CollectorRun polygon(BarStore store, TestClock clock, URI ws, URI rest, String key, String... symbols) {
    PolygonClient client = PolygonClient.create(rest, key, 0, VendorHttp.Options.defaults(), clock, clock, m -> { });
    return new CollectorRun(store, clock, new PolygonStreamDialect(key, false),
        new PolygonBarSource(client, false, m -> { }), options(SourceName.POLYGON, ws, symbols));
  }

  CollectorRun start() {
    thread = new Thread(() -> {
      try {
        outcome = collector.run();
      } catch (Throwable t) {
        error = t;
      }
    }, "collector-under-test");
    thread.start();
    return this;
  }

  /** Waits until the run ends by itself; returns its outcome. */
  Collector.Outcome await() throws InterruptedException {
    thread.join(30_000);
    if (thread.isAlive()) {
      StringBuilder stack = new StringBuilder();
      for (StackTraceElement e : thread.getStackTrace()) {
        stack.append("\n  at ").append(e);
      }
      fail("the collector did not end within 30 s; it is at:" + stack + "\nevents:\n" + log());
    }
    if (error != null) {
      throw new AssertionError("collector failed: " + error, error);
    }
    return outcome;
  }

  Collector.Outcome stop() throws InterruptedException {
    collector.stop();
    return await();
  }

  /** Polls until {@code cond} holds (the test's @Timeout bounds the wait). */
  void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
    while (!cond.getAsBoolean()) {
      if (error != null) {
        fail("collector failed while waiting for " + what + ": " + error);
      }
      if (outcome != null) {
        fail("collector ended (" + outcome + ") while waiting for " + what + "; events: " + events);
      }
      Thread.sleep(20);
    }
  }

  List<Bar> bars(SourceName source, String symbol) {
    List<Bar> out = new ArrayList<>();
    if (store.source(source).isEmpty()) {
      return out;
    }
    store.read(source, BarFilter.of(Symbol.of(symbol)), out::add);
    return out;
  }

  boolean logged(String fragment) {
    synchronized (events) {
      return events.stream().anyMatch(e -> e.contains(fragment));
    }
  }

  String log() {
    synchronized (events) {
      return String.join("\n", events);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (thread != null && thread.isAlive()) {
      collector.stop();
      thread.join(20_000);
    }
  }
}
