package io.tickvault.ingest.stream;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.TickvaultException;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.MarketTime;
import io.tickvault.ingest.Sleeper;
import io.tickvault.ingest.VendorException;
import io.tickvault.ingest.VendorIngestService;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.stream.StreamConnection.Incoming;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestStatus;
import io.tickvault.store.StoreException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code tickvault collect}: keeps a vendor source in production current from the vendor's minute
 * bar stream (STREAMING-APIS.md §5).
 *
 * <p>States: connecting, (welcome, authentication, subscription), streaming, back-off. On every
 * entry into streaming, and so at start-up, the gap since each symbol's last stored bar (its
 * start, inclusive) is backfilled through the vendor's REST {@link BarSource} (same feed, raw
 * prices); a gap whose backfill fails is kept and tried again until it succeeds. While streaming,
 * a trailing window ({@link Options#trailing}) is fetched again every {@link Options#refetchEvery}
 * and the whole day once after the close, so late corrections land. Every frame's bars are
 * written in one small transaction that upserts on (symbol, start): an updated bar, a repeated
 * start, a backfilled minute and a duplicate after a reconnect all collapse to one row.
 *
 * <p>Liveness: a client ping every {@link Options#pingInterval} with a pong deadline, and a data
 * watchdog that expects a bar of some symbol within {@link Options#dataTimeout} only while the
 * regular session is open ({@link SessionCalendar}; a delayed feed's delay is allowed for). Either
 * one, a close, a transient vendor error or a database failure leads to back-off (capped
 * exponential with jitter, reset only after real data), a new connection, re-authentication and
 * the whole subscription again. Bad credentials or plan end the run ({@link Outcome#PERMANENT});
 * the key held by another connection (Alpaca 406, Polygon max_connections) waits at least
 * {@link Options#keyInUseBackoff} and ends the run ({@link Outcome#KEY_IN_USE}) after
 * {@link Options#keyInUseLimit} such answers in a row. A lock in production keeps a second local
 * collector off the same source.
 *
 * <p>{@link #stop()} (SIGTERM, Ctrl-C) lets the current write finish, closes the socket and ends
 * the run with {@link Outcome#STOPPED}. The run is one row of the ingest log; the collector's
 * status is published through {@link CollectorStatus}. Keys never reach a message: vendor texts go
 * through the dialect's redactor. {@link #run()} runs on the caller's thread; {@link #stop()} may
 * be called from any thread.
 */
public final class Collector {

  /** How a run ended. */
  public enum Outcome {
    /** Stopped on request. */
    STOPPED,
    /** The vendor refused the credentials or the plan. */
    PERMANENT,
    /** Another connection or collector holds the key or the source. */
    KEY_IN_USE
  }

  /** Tunables; {@link #defaults(List, SourceName, URI)} gives the documented starting values. */
  public record Options(List<Symbol> symbols, SourceName target, URI url, Duration handshakeTimeout,
      Duration pingInterval, Duration pongDeadline, Duration dataTimeout, Duration backoffMin, Duration backoffMax,
      Duration keyInUseBackoff, int keyInUseLimit, Duration trailing, Duration refetchEvery, Duration tick) {
    public Options {
      symbols = List.copyOf(new LinkedHashSet<>(symbols));
      if (symbols.isEmpty()) {
        throw new InvalidInputException("no symbols given: use --symbols AAPL,MSFT");
      }
      if (trailing.compareTo(Duration.ofMinutes(15)) < 0) {
        throw new InvalidInputException("the trailing re-fetch window must be at least 15 minutes (vendors correct "
            + "bars for up to 15 minutes); got " + trailing.toMinutes() + " min");
      }
    }

    public static Options defaults(List<Symbol> symbols, SourceName target, URI url) {
      return new Options(symbols, target, url, Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(10),
          Duration.ofMinutes(3), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(90), 3,
          Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    public Options withTiming(Duration handshake, Duration tick, Duration backoffMin, Duration keyInUseBackoff) {
      return new Options(symbols, target, url, handshake, pingInterval, pongDeadline, dataTimeout, backoffMin,
          backoffMax, keyInUseBackoff, keyInUseLimit, trailing, refetchEvery, tick);
    }

    public Options withKeyInUseLimit(int limit) {
      return new Options(symbols, target, url, handshakeTimeout, pingInterval, pongDeadline, dataTimeout, backoffMin,
          backoffMax, keyInUseBackoff, limit, trailing, refetchEvery, tick);
    }
  }

  /** Receives one line per event that matters, and every published status. */
  public interface Listener {
    void event(String line);

    default void status(CollectorStatus status) {}
  }

  private final BarStore store;
  private final StreamDialect dialect;
  private final BarSource rest;
  private final Options o;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random random;
  private final HttpClient http;
  private final Listener listener;
  private final Set<Symbol> desired;
  private final CountDownLatch stopLatch = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile long ticks;

  // run state (collector thread only, except the counters the status reads)
  private final Map<Symbol, Instant> lastBars = new LinkedHashMap<>();
  private final Map<Symbol, Instant> gap = new LinkedHashMap<>();
  private final Set<Symbol> unexpected = new HashSet<>();
  private String state = "starting";
  private String reason;
  private long ingestId;
  private Instant started;
  private Instant lastData;
  private Instant lastPublish;
  private long reconnects;
  private volatile long streamBars;
  private long backfilledBars;
  private long rows;
  private int attempt;
  private int keyInUse;
  private Instant nextRefetch;
  private LocalDate closePassDone;
  private StreamConnection conn;

  /**
   * @param sleeper waits between connection attempts; {@link Sleeper#SYSTEM} is replaced by a
   *     wait that {@link #stop()} ends early
   */
  public Collector(BarStore store, StreamDialect dialect, BarSource rest, Options options, Clock clock,
      Sleeper sleeper, Random random, HttpClient http, Listener listener) {
    this.store = store;
    this.dialect = dialect;
    this.rest = rest;
    this.o = options;
    this.clock = clock;
    this.sleeper = sleeper == Sleeper.SYSTEM ? d -> stopLatch.await(d.toMillis(), TimeUnit.MILLISECONDS) : sleeper;
    this.random = random;
    this.http = http;
    this.listener = listener;
    this.desired = new LinkedHashSet<>(options.symbols());
  }

  /** Asks a running collector to finish its current write, close and return {@link Outcome#STOPPED}. */
  public void stop() {
    stopping = true;
    stopLatch.countDown();
  }

  /** Runs until stopped or a permanent failure; see the class comment. */
  public Outcome run() {
    String lockName = "collect-" + o.target().value();
    Optional<AutoCloseable> lock = store.tryLock(lockName);
    if (lock.isEmpty()) {
      String who = CollectorStatus.read(store, o.target()).map(s -> " (pid " + s.pid() + " on " + s.host() + ")")
          .orElse("");
      event("refused: another tickvault collect is writing " + o.target() + who + "; stop it first, or collect into "
          + "another source with --into");
      return Outcome.KEY_IN_USE;
    }
    try (AutoCloseable held = lock.get()) {
      return runLocked();
    } catch (TickvaultException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreException("could not release the collector lock " + lockName + ": " + e.getMessage(), e);
    }
  }

  private Outcome runLocked() {
    new VendorIngestService(store, clock).prepare(o.target(), rest, new io.tickvault.ingest.IngestListener() {
      @Override
      public void notice(String message) {
        event(message);
      }
    });
    started = clock.instant();
    String symbolList = o.symbols().stream().map(Symbol::value).collect(Collectors.joining(","));
    ingestId = store.startIngest(o.target(), dialect.origin().value(), rest.feed(), symbolList,
        new TimeRange(started, null));
    for (Symbol s : o.symbols()) {
      store.last(o.target(), s).ifPresent(b -> lastBars.put(s, b.timestamp()));
    }
    event("collecting " + dialect.vendor() + " minute bars of " + o.symbols().size() + " symbol"
        + (o.symbols().size() == 1 ? "" : "s") + " (" + symbolList + ") into " + o.target()
        + (dialect.feed() == null ? "" : " [feed " + dialect.feed() + "]") + " from "
        + dialect.redactor().url(o.url()) + " [ingest=" + ingestId + "]");
    Outcome outcome = null;
    String failure = null;
    String crashed = null;
    try {
      while (!stopping) {
        try {
          session();
        } catch (Reconnect r) {
          closeConnection(false);
          if (stopping) {
            break;
          }
          reconnects++;
          Duration wait = backoff(r.keyInUse);
          setState("backoff", r.getMessage());
          event((r.keyInUse ? "key in use: " : "disconnected: ") + r.getMessage() + "; reconnecting in "
              + seconds(wait));
          if (r.keyInUse && keyInUse >= o.keyInUseLimit()) {
            outcome = Outcome.KEY_IN_USE;
            failure = dialect.vendor() + " refused " + keyInUse + " connections in a row because another connection "
                + "holds the key (" + r.getMessage() + "); stop the other process using this key, then start collect "
                + "again";
            event("giving up: " + failure);
            break;
          }
          pause(wait);
        } catch (Permanent p) {
          closeConnection(false);
          outcome = Outcome.PERMANENT;
          failure = p.getMessage();
          event("stopped: " + failure);
          break;
        }
      }
    } catch (RuntimeException e) {
      crashed = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw e;
    } finally {
      closeConnection(true);
      Outcome done = outcome == null ? Outcome.STOPPED : outcome;
      if (crashed != null) {
        failure = "failed: " + crashed;
      }
      IngestStatus status = done == Outcome.STOPPED && crashed == null ? IngestStatus.OK : IngestStatus.FAILED;
      String detail = "collect: " + streamBars + " stream bars, " + backfilledBars + " backfilled, " + reconnects
          + (reconnects == 1 ? " reconnect" : " reconnects") + (failure == null ? "; stopped on request" : "; " + failure);
      try {
        store.finishIngest(ingestId, rows, status, detail);
      } catch (RuntimeException e) {
        event("could not record the end of the run in the ingest log: " + e.getMessage());
      }
      state = crashed != null ? "failed" : switch (done) {
        case STOPPED -> "stopped";
        case PERMANENT -> "failed";
        case KEY_IN_USE -> "key_in_use";
      };
      reason = failure == null ? "stopped on request" : failure;
      publish(true);
      if (done == Outcome.STOPPED && crashed == null) {
        event("stopped: " + streamBars + " stream bars, " + backfilledBars + " backfilled bars, " + reconnects
            + (reconnects == 1 ? " reconnect" : " reconnects"));
      }
    }
    return outcome == null ? Outcome.STOPPED : outcome;
  }

  private Duration backoff(boolean keyInUseAnswer) {
    if (keyInUseAnswer) {
      keyInUse++;
      long extra = (long) (random.nextDouble() * o.keyInUseBackoff().toMillis() / 3);
      return o.keyInUseBackoff().plusMillis(extra);
    }
    keyInUse = 0;
    long cap = o.backoffMax().toMillis();
    long base = Math.min(cap, o.backoffMin().toMillis() << Math.min(attempt, 20));
    attempt++;
    // "equal jitter": half fixed, half random, so a storm of clients spreads out but never hot-loops
    return Duration.ofMillis(base / 2 + (long) (random.nextDouble() * (base - base / 2)));
  }

  private void pause(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
    }
  }

  // ---- one connection ------------------------------------------------------------------------

  private void session() {
    setState("connecting", null);
    try {
      conn = StreamConnection.open(http, o.url(), o.handshakeTimeout());
    } catch (IOException e) {
      throw new Reconnect("cannot connect to " + dialect.redactor().url(o.url()) + ": "
          + dialect.redactor().redact(e.getMessage()), false);
    }
    expect(StreamEvent.Connected.class, "the welcome message");
    send(dialect.authMessage(), "authentication");
    expect(StreamEvent.Authenticated.class, "the answer to authentication");
    send(dialect.subscribeMessage(desired), "subscription");
    Set<Symbol> confirmed = awaitSubscription();
    Set<Symbol> missing = new TreeSet<>(desired);
    missing.removeAll(confirmed);
    event("connected and subscribed to " + confirmed.size() + " of " + desired.size() + " symbols"
        + (missing.isEmpty() ? "" : "; NOT confirmed: " + names(missing) + " (their bars may not arrive)"));
    Instant since = clock.instant();
    setState("streaming", missing.isEmpty() ? null : "not confirmed by the vendor: " + names(missing));
    for (Symbol s : desired) {
      gap.putIfAbsent(s, lastBars.get(s));
    }
    backfillGap("after connecting");
    stream(since);
  }

  private void stream(Instant since) {
    Instant lastPing = clock.instant();
    Instant pingSent = null;
    Instant watchFrom = since;
    nextRefetch = clock.instant().plus(o.refetchEvery());
    while (!stopping) {
      Incoming in;
      try {
        in = conn.poll(o.tick());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        return;
      }
      if (in instanceof Incoming.Text t) {
        handleFrame(t.text());
      } else if (in instanceof Incoming.Pong) {
        pingSent = null;
      } else if (in instanceof Incoming.Closed c) {
        throw closed(c);
      }
      Instant now = clock.instant();
      if (pingSent != null && Duration.between(pingSent, now).compareTo(o.pongDeadline()) > 0) {
        throw new Reconnect("no pong within " + seconds(o.pongDeadline()) + " of a ping; the connection is dead",
            false);
      }
      if (pingSent == null && Duration.between(lastPing, now).compareTo(o.pingInterval()) >= 0) {
        lastPing = now;
        pingSent = now;
        try {
          conn.ping();
        } catch (IOException e) {
          throw new Reconnect("ping failed: " + e.getMessage(), false);
        }
      }
      String stale = watchdog(now, lastData == null || lastData.isBefore(watchFrom) ? watchFrom : lastData);
      if (stale != null) {
        throw new Reconnect(stale, false);
      }
      if (!gap.isEmpty() && (retryAt == null || !now.isBefore(retryAt))) {
        backfillGap("retrying the gap");
      }
      if (!now.isBefore(nextRefetch)) {
        refetch(now);
      }
      closePass(now);
      publish(false);
      ticks++;
    }
  }

  /** Bars written from the stream so far; for tests. */
  long streamBars() {
    return streamBars;
  }

  /** Iterations of the streaming loop so far (each checks the deadlines once); for tests. */
  long ticks() {
    return ticks;
  }

  /**
   * The data watchdog: during the regular session (shifted by the feed's delay), no bar of any
   * subscribed symbol for {@link Options#dataTimeout} means a mute connection. Outside the
   * session, silence is normal (pre-market, after hours, holidays); only ping/pong applies.
   */
  String watchdog(Instant now, Instant lastActivity) {
    Instant marketNow = now.minus(dialect.delay());
    Optional<SessionCalendar.Session> s = SessionCalendar.session(MarketTime.dayOf(marketNow));
    if (s.isEmpty() || !s.get().contains(marketNow)) {
      return null;
    }
    Instant from = lastActivity;
    Instant open = s.get().open().plus(dialect.delay());
    if (from.isBefore(open)) {
      from = open;
    }
    if (Duration.between(from, now).compareTo(o.dataTimeout()) > 0) {
      return "no bar for any symbol for " + Duration.between(from, now).toMinutes() + " min during the regular session"
          + " (" + SessionCalendar.newYork(now) + "); the connection answers but is mute";
    }
    return null;
  }

  private Reconnect closed(Incoming.Closed c) {
    return new Reconnect("the connection closed (code " + c.code() + (c.reason().isBlank() ? "" : ", "
        + dialect.redactor().redact(c.reason())) + ")", false);
  }

  private void send(String text, String what) {
    try {
      conn.send(text);
    } catch (IOException e) {
      throw new Reconnect("could not send the " + what + ": " + dialect.redactor().redact(e.getMessage()), false);
    }
  }

  /** Waits for an event of {@code type}, handling failures; bars that come early are written. */
  private void expect(Class<? extends StreamEvent> type, String what) {
    Instant deadline = Instant.now().plus(o.handshakeTimeout());
    while (true) {
      for (StreamEvent e : next(deadline, what)) {
        if (type.isInstance(e)) {
          return;
        }
        handleControl(e);
      }
    }
  }

  private Set<Symbol> awaitSubscription() {
    Set<Symbol> confirmed = new LinkedHashSet<>();
    Instant deadline = Instant.now().plus(o.handshakeTimeout());
    while (!confirmed.containsAll(desired)) {
      List<StreamEvent> events;
      try {
        events = next(deadline, "the subscription confirmation");
      } catch (Reconnect timeout) {
        if (timeout.timedOut && !confirmed.isEmpty()) {
          return confirmed;
        }
        throw timeout;
      }
      for (StreamEvent e : events) {
        if (e instanceof StreamEvent.Subscribed s) {
          if (s.whole()) {
            confirmed.clear();
          }
          confirmed.addAll(s.symbols());
        } else {
          handleControl(e);
        }
      }
    }
    return confirmed;
  }

  /** The events of the next text frame before {@code deadline} (real time). */
  private List<StreamEvent> next(Instant deadline, String what) {
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        Reconnect r = new Reconnect("no " + what + " within " + seconds(o.handshakeTimeout()), false);
        r.timedOut = true;
        throw r;
      }
      Incoming in;
      try {
        in = conn.poll(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new Reconnect("interrupted", false);
      }
      if (stopping) {
        throw new Reconnect("stopping", false);
      }
      if (in instanceof Incoming.Closed c) {
        throw closed(c);
      }
      if (in instanceof Incoming.Text t) {
        return parse(t.text());
      }
    }
  }

  private List<StreamEvent> parse(String frame) {
    try {
      return dialect.parse(frame);
    } catch (VendorJson.Malformed e) {
      event("ignored a frame " + dialect.vendor() + " sent that is not the documented shape: "
          + dialect.redactor().redact(e.getMessage()));
      return List.of();
    }
  }

  private void handleControl(StreamEvent e) {
    if (e instanceof StreamEvent.Failure f) {
      String m = dialect.vendor() + " error " + f.code() + (f.message().isBlank() ? "" : " (" + f.message() + ")");
      switch (f.kind()) {
        case PERMANENT -> throw new Permanent(m + ": the vendor refuses the key or the plan for this feed; check "
            + keyNames() + " and the feed (--feed)");
        case KEY_IN_USE -> throw new Reconnect(m + ": another connection uses this key", true);
        case RECONNECT -> throw new Reconnect(m, false);
        case WARN -> event("warning: " + m);
      }
    } else if (e instanceof StreamEvent.BarReceived b) {
      write(List.of(b));
    } else if (e instanceof StreamEvent.Other x) {
      // unknown message types are expected (new channels, status texts): ignored
      return;
    }
  }

  private String keyNames() {
    return dialect.origin().equals(SourceName.POLYGON) ? "POLYGON_API_KEY (or MASSIVE_API_KEY)"
        : "APCA_API_KEY_ID and APCA_API_SECRET_KEY";
  }

  private void handleFrame(String frame) {
    List<StreamEvent.BarReceived> bars = new ArrayList<>();
    for (StreamEvent e : parse(frame)) {
      if (e instanceof StreamEvent.BarReceived b) {
        bars.add(b);
      } else if (e instanceof StreamEvent.Subscribed) {
        continue;
      } else {
        handleControl(e);
      }
    }
    write(bars);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Writes one frame's bars in one transaction (upsert), keeping only subscribed symbols. */
  private void write(List<StreamEvent.BarReceived> received) {
    List<Bar> bars = new ArrayList<>();
    for (StreamEvent.BarReceived b : received) {
      Symbol s = b.bar().symbol();
      if (!desired.contains(s)) {
        if (unexpected.add(s)) {
          event("ignored bars of " + s + ", which is not subscribed");
        }
        continue;
      }
      bars.add(b.bar());
    }
    if (bars.isEmpty()) {
      return;
    }
    long n = writeBars(bars, "stream");
    streamBars += n;
    rows += n;
    lastData = clock.instant();
    attempt = 0;
    keyInUse = 0;
  }

  /** Writes bars atomically; a bar the gate refuses is reported and the others still land. */
  private long writeBars(List<Bar> bars, String what) {
    try {
      long n = store.write(o.target(), io.tickvault.domain.Timeframe.MIN_1, bars.iterator()).rows();
      bars.forEach(this::seen);
      return n;
    } catch (InvalidInputException bad) {
      long n = 0;
      for (Bar b : bars) {
        try {
          n += store.write(o.target(), io.tickvault.domain.Timeframe.MIN_1, List.of(b).iterator()).rows();
          seen(b);
        } catch (InvalidInputException e) {
          event("refused a " + what + " bar of " + b.symbol() + " at " + b.timestamp() + ": " + e.getMessage());
        }
      }
      return n;
    } catch (StoreException e) {
      throw new Reconnect("writing to " + o.target() + " failed (" + e.getMessage() + "); the bars of this frame "
          + "will be backfilled", false);
    }
  }

  private void seen(Bar b) {
    lastBars.merge(b.symbol(), b.timestamp(), (x, y) -> x.isAfter(y) ? x : y);
  }

  // ---- backfill ------------------------------------------------------------------------------

  /** Backfills each symbol's gap (from its last stored bar before the connection, inclusive). */
  private void backfillGap(String why) {
    Instant now = clock.instant();
    Instant dayStart = MarketTime.dayStart(MarketTime.today(clock));
    Map<Symbol, Instant> from = new LinkedHashMap<>();
    gap.forEach((s, t) -> from.put(s, t == null ? dayStart : t));
    try {
      Fill f = fetch(from, now);
      gap.clear();
      retryAt = null;
      event("backfill " + why + ": " + f.describe() + " (REST, " + rest.options() + ")");
    } catch (VendorException | StoreException e) {
      event("backfill " + why + " failed (" + dialect.redactor().redact(e.getMessage()) + "); the gap is kept and "
          + "fetched again in " + seconds(o.refetchEvery().dividedBy(5)));
      nextRetry(now);
    }
  }

  private Instant retryAt;

  private void nextRetry(Instant now) {
    retryAt = now.plus(o.refetchEvery().dividedBy(5));
  }

  private void refetch(Instant now) {
    nextRefetch = now.plus(o.refetchEvery());
    Map<Symbol, Instant> from = new LinkedHashMap<>();
    for (Symbol s : desired) {
      from.put(s, now.minus(o.trailing()).truncatedTo(ChronoUnit.MINUTES));
    }
    try {
      Fill f = fetch(from, now);
      if (f.added > 0 || f.written > 0) {
        event("trailing re-fetch (" + o.trailing().toMinutes() + " min): " + f.describe());
      }
    } catch (VendorException | StoreException e) {
      event("trailing re-fetch failed (" + dialect.redactor().redact(e.getMessage()) + "); next in "
          + seconds(o.refetchEvery()));
    }
  }

  /** Once a day, after the close, the whole day again (late corrections of the vendor). */
  private void closePass(Instant now) {
    LocalDate day = MarketTime.dayOf(now);
    Optional<SessionCalendar.Session> s = SessionCalendar.session(day);
    if (s.isEmpty() || day.equals(closePassDone)
        || now.isBefore(s.get().close().plus(Duration.ofMinutes(20)).plus(dialect.delay()))) {
      return;
    }
    closePassDone = day;
    Map<Symbol, Instant> from = new LinkedHashMap<>();
    for (Symbol sym : desired) {
      from.put(sym, MarketTime.dayStart(day));
    }
    try {
      Fill f = fetch(from, now);
      event("after-close pass for " + day + ": " + f.describe());
    } catch (VendorException | StoreException e) {
      closePassDone = null;
      event("after-close pass failed (" + dialect.redactor().redact(e.getMessage()) + "); tried again later");
    }
  }

  /** What one REST fetch wrote: rows written, and minutes that were not stored before. */
  private record Fill(long written, long added, Map<Symbol, List<Instant>> addedOf) {
    String describe() {
      if (written == 0) {
        return "nothing missing";
      }
      StringBuilder b = new StringBuilder(written + " bars written, " + added + " were missing");
      addedOf.forEach((s, list) -> {
        if (!list.isEmpty()) {
          b.append("; ").append(s).append(' ').append(list.size()).append(" min ").append(list.get(0))
              .append(list.size() > 1 ? ".." + list.get(list.size() - 1) : "");
        }
      });
      return b.toString();
    }
  }

  /**
   * Fetches minute bars from each symbol's {@code from} (inclusive) to {@code now} (exclusive) and
   * writes them page by page; returns what it wrote and which minutes were new.
   */
  private Fill fetch(Map<Symbol, Instant> from, Instant now) {
    Instant earliest = from.values().stream().min(Instant::compareTo).orElse(now);
    Map<Symbol, Set<Instant>> had = new LinkedHashMap<>();
    for (Map.Entry<Symbol, Instant> e : from.entrySet()) {
      Set<Instant> ts = new HashSet<>();
      store.read(o.target(), new BarFilter(e.getKey(), new TimeRange(e.getValue(), now)), b -> ts.add(b.timestamp()));
      had.put(e.getKey(), ts);
    }
    long[] written = {0, 0};
    Map<Symbol, List<Instant>> addedOf = new LinkedHashMap<>();
    LocalDate first = MarketTime.dayOf(earliest);
    LocalDate last = MarketTime.dayOf(now);
    rest.fetch(new BarSource.Request(new ArrayList<>(from.keySet()), first, last, Timeframe.MIN_1), page -> {
      List<Bar> keep = new ArrayList<>();
      for (Bar b : page.bars()) {
        Instant f = from.get(b.symbol());
        if (f != null && !b.timestamp().isBefore(f) && b.timestamp().isBefore(now)) {
          keep.add(b);
        }
      }
      if (keep.isEmpty()) {
        return;
      }
      long n = writeBars(keep, "backfilled");
      written[0] += n;
      for (Bar b : keep) {
        if (had.get(b.symbol()).add(b.timestamp())) {
          written[1]++;
          addedOf.computeIfAbsent(b.symbol(), k -> new ArrayList<>()).add(b.timestamp());
        }
      }
    });
    rows += written[0];
    backfilledBars += written[1];
    addedOf.values().forEach(l -> l.sort(Instant::compareTo));
    return new Fill(written[0], written[1], addedOf);
  }

  // ---- status and output ---------------------------------------------------------------------

  private void setState(String newState, String why) {
    state = newState;
    reason = why;
    publish(true);
  }

  private void publish(boolean now) {
    Instant t = clock.instant();
    if (!now && lastPublish != null && Duration.between(lastPublish, t).compareTo(CollectorStatus.HEARTBEAT) < 0
        && !Instant.now().isAfter(realPublish.plus(CollectorStatus.HEARTBEAT))) {
      return;
    }
    lastPublish = t;
    realPublish = Instant.now();
    Map<String, Instant> lb = new LinkedHashMap<>();
    lastBars.forEach((s, v) -> lb.put(s.value(), v));
    CollectorStatus st = new CollectorStatus(o.target(), dialect.vendor(), dialect.feed(),
        o.symbols().stream().map(Symbol::value).toList(), state, reason, ProcessHandle.current().pid(), io.tickvault.store.RunOwner.host(),
        ingestId, started, t, lastData, lb, reconnects, streamBars,
        backfilledBars, dialect.delay());
    try {
      st.publish(store);
    } catch (RuntimeException e) {
      // status is advisory; the next heartbeat tries again
    }
    listener.status(st);
  }

  private Instant realPublish = Instant.EPOCH;

  private void event(String line) {
    listener.event(dialect.redactor().redact(line));
  }

  private void closeConnection(boolean unused) {
    StreamConnection c = conn;
    conn = null;
    if (c != null) {
      // a proper Close frame frees the vendor's connection slot at once (no 90 s half-dead session)
      c.close();
    }
  }

  private static String names(Set<Symbol> s) {
    return s.stream().map(Symbol::value).collect(Collectors.joining(", "));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
        d.toMillis() / 1000.0);
  }

  /** A reason to drop the connection and try again. */
  private static final class Reconnect extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean keyInUse;
    boolean timedOut;

    Reconnect(String message, boolean keyInUse) {
      super(message, null, false, false);
      this.keyInUse = keyInUse;
    }
  }

  /** The vendor refuses the key or the plan: stop. */
  private static final class Permanent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Permanent(String message) {
      super(message, null, false, false);
    }
  }
}
