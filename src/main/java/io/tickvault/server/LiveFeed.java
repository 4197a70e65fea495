package io.tickvault.server;

import io.javalin.http.sse.SseClient;
import io.tickvault.domain.Chunk;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.Candle;
import io.tickvault.store.ChangeSet;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live chart updates over Server-Sent Events ({@code GET /api/market-data/stream/{symbol}}), with
 * one shared reader: a single timer thread reads the store's change log once per period for all
 * open tabs together, and only for a (source, symbol) that changed aggregates the candles of the
 * recent window once per interval asked for, sending the same event to every tab that watches it.
 * Many tabs cost one change-log read per period, not one query per tab. An event {@code candles}
 * carries {@code {"source", "symbol", "interval", "candles": [...]}}: the candles from the start
 * of the window (at least the last hour, or two candles of the interval) that are complete buckets,
 * oldest first; the client replaces candles with the same time and appends newer ones. A comment
 * every {@link #KEEPALIVE} finds tabs that went away. Thread-safe.
 */
final class LiveFeed implements AutoCloseable {
  static final Duration WINDOW = Duration.ofMinutes(60);
  static final Duration KEEPALIVE = Duration.ofSeconds(15);

  /** What one tab watches. */
  record Key(SourceName source, Symbol symbol, Timeframe interval) {}

  private final DataService data;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  /** The periodic read; {@link #tick} never throws, so it runs until the executor is shut down. */
  private final java.util.concurrent.ScheduledFuture<?> ticking;
  private final Map<Key, List<SseClient>> watchers = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong aggregations = new AtomicLong();
  private long token = -1;
  private long lastKeepAlive = System.nanoTime();

  LiveFeed(DataService data, Clock clock, Duration period) {
    this.data = data;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tickvault-live-feed");
      t.setDaemon(true);
      return t;
    });
    ticking = timer.scheduleWithFixedDelay(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Keeps the request open and sends the key's updates to it until the tab goes away. */
  void watch(SseClient client, Key key) {
    client.keepAlive();
    synchronized (this) {
      // The position in the change log is taken before the tab is answered, so a bar written
      // between the tab's history request and this subscription is in the first event below, and
      // any later one is a change the next tick sends: none falls in between (a first tick used to
      // take such a bar as the starting position and never send it).
      if (token == -1) {
        try {
          token = data.changesSince(-1).token();
        } catch (RuntimeException e) {
          // the store is unreachable for a moment: the first tick takes the position instead
        }
      }
      List<SseClient> list = watchers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
      list.add(client);
    }
    client.onClose(() -> forget(key, client));
    client.sendComment("watching " + key.source() + " " + key.symbol() + " " + key.interval().apiName());
    try {
      send(key, client, "candles", event(key));
    } catch (RuntimeException e) {
      // as in a tick: the next change sends the candles
    }
  }

  private void forget(Key key, SseClient client) {
    watchers.computeIfPresent(key, (k, list) -> {
      list.remove(client);
      return list.isEmpty() ? null : list;
    });
  }

  /** Change-log reads so far (one per period while any tab watches), for tests. */
  long reads() {
    return reads.get();
  }

  /** Candle queries so far (one per changed key and tick, whatever the number of tabs), for tests. */
  long aggregations() {
    return aggregations.get();
  }

  int watching() {
    return watchers.values().stream().mapToInt(List::size).sum();
  }

  /** One read of the change log for every watching tab (the timer calls it; tests may too). */
  synchronized void tick() {
    try {
      if (watchers.isEmpty()) {
        token = -1;
        return;
      }
      ChangeSet cs = data.changesSince(token);
      reads.incrementAndGet();
      boolean first = token == -1;
      token = cs.token();
      if (!first) {
        Set<SourceName> whole = cs.wholeSources();
        Set<String> changed = new HashSet<>();
        for (Chunk c : cs.chunks()) {
          changed.add(c.source().value() + "|" + c.symbol().value());
        }
        for (Map.Entry<Key, List<SseClient>> e : watchers.entrySet()) {
          Key k = e.getKey();
          if (whole.contains(k.source()) || changed.contains(k.source().value() + "|" + k.symbol().value())) {
            String event = event(k);
            for (SseClient c : e.getValue()) {
              send(k, c, "candles", event);
            }
          }
        }
      }
      if (System.nanoTime() - lastKeepAlive > KEEPALIVE.toNanos()) {
        lastKeepAlive = System.nanoTime();
        watchers.forEach((k, list) -> list.forEach(c -> send(k, c, null, "keep-alive")));
      }
    } catch (RuntimeException e) {
      // the store is unreachable for a moment: the next tick tries again; tabs keep their charts
    }
  }

  private void send(Key k, SseClient c, String name, String payload) {
    try {
      if (c.terminated()) {
        forget(k, c);
      } else if (name == null) {
        c.sendComment(payload);
      } else {
        c.sendEvent(name, payload);
      }
    } catch (RuntimeException gone) {
      forget(k, c);
    }
  }

  /** The recent complete candles of a key as the event's JSON. */
  String event(Key k) {
    Duration width = k.interval().duration();
    Duration span = WINDOW.compareTo(width.multipliedBy(3)) >= 0 ? WINDOW : width.multipliedBy(3);
    Instant from = clock.instant().minus(span);
    List<Candle> candles = new ArrayList<>();
    aggregations.incrementAndGet();
    data.history(new HistoryQuery(k.source(), k.symbol(), new TimeRange(from, null), k.interval()), candles::add);
    if (!candles.isEmpty()) {
      candles.remove(0); // the window's first bucket may be cut by the window's start
    }
    try {
      StringWriter w = new StringWriter();
      try (var g = ApiJson.MAPPER.createGenerator(w)) {
        g.writeStartObject();
        g.writeStringField("source", k.source().value());
        g.writeStringField("symbol", k.symbol().value());
        g.writeStringField("interval", k.interval().apiName());
        g.writeArrayFieldStart("candles");
        for (Candle c : candles) {
          HistoryWriter.candle(g, c);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      return w.toString();
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    watchers.values().forEach(list -> list.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // already gone
      }
    }));
    watchers.clear();
  }
}
