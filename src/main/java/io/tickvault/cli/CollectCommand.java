package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.IngestPlan;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.Sleeper;
import io.tickvault.ingest.VendorHttp;
import io.tickvault.ingest.alpaca.AlpacaAdjustment;
import io.tickvault.ingest.alpaca.AlpacaBarSource;
import io.tickvault.ingest.alpaca.AlpacaClient;
import io.tickvault.ingest.alpaca.AlpacaFeed;
import io.tickvault.ingest.alpaca.AlpacaStreamDialect;
import io.tickvault.ingest.polygon.PolygonBarSource;
import io.tickvault.ingest.polygon.PolygonClient;
import io.tickvault.ingest.polygon.PolygonStreamDialect;
import io.tickvault.ingest.stream.Collector;
import io.tickvault.ingest.stream.CollectorStatus;
import io.tickvault.ingest.stream.StreamDialect;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tickvault collect}: live minute bars from a vendor's WebSocket stream into the vendor's
 * source in production, with REST backfill of every gap (see {@link Collector}). Runs until
 * SIGTERM or Ctrl-C. Not thread-safe: one instance per run.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
    header = "Keep a vendor source in production current from the vendor's live minute-bar stream.",
    description = {"Keep production current: subscribe to minute bars over the vendor's WebSocket stream (Alpaca",
        "stream v2 bars and updated bars; Polygon/Massive AM) and write each bar into the vendor's source as it",
        "arrives (one small transaction per message; a correction replaces the bar). At start-up and after every",
        "reconnect the gap since the last stored bar is backfilled through the vendor's REST API (same feed, raw",
        "prices); the last 15 minutes are fetched again every 5 minutes, and the whole day once after the close.",
        "A connection that pongs but sends no bar for 3 minutes during the regular session is replaced",
        "(pre-market, after hours and holidays are quiet by design). One log line per event on stderr; on a",
        "terminal also a status line. SIGTERM or Ctrl-C finishes the current write and exits 0.",
        "Keys: APCA_API_KEY_ID + APCA_API_SECRET_KEY (Alpaca), POLYGON_API_KEY or MASSIVE_API_KEY (Polygon).",
        "Stream URLs: TICKVAULT_ALPACA_STREAM_URL, TICKVAULT_POLYGON_STREAM_URL (full ws:// or wss:// URL with the",
        "feed path); REST: TICKVAULT_ALPACA_URL, TICKVAULT_POLYGON_URL."},
    footer = {"", "Examples:",
        "  tickvault collect --vendor alpaca --symbols AAPL,MSFT              # IEX feed into 'alpaca'",
        "  tickvault collect --vendor alpaca --symbols SPY --feed sip --into alpaca_sip",
        "  tickvault collect --vendor polygon --symbols AAPL,MSFT,NVDA",
        "  tickvault collect --vendor polygon --symbols AAPL --feed delayed   # 15-minute delayed cluster",
        "  tickvault list                                                      # collector state, last bar per symbol",
        "", "Run it as a service: docs/collect.md has a systemd unit.",
        "", "Exit codes: 0 stopped by SIGTERM/Ctrl-C, 2 bad option or refused target, 4 the vendor refused the key or",
        "plan (or a store is unreachable), 5 another process holds the vendor key (406 / max_connections several",
        "times in a row) or another collector is writing the same source."})
final class CollectCommand extends BaseCommand {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  @Option(names = "--vendor", required = true, paramLabel = "VENDOR", description = "alpaca or polygon.")
  String vendor;

  @Option(names = "--symbols", required = true, paramLabel = "SYMBOLS",
      description = "Comma-separated symbols, e.g. AAPL,MSFT,BRK.B.")
  String symbols;

  @Option(names = "--feed", paramLabel = "FEED",
      description = "Alpaca: iex (default, every plan), sip (all exchanges) or delayed (15-minute delayed SIP). "
          + "Polygon: sip (default, real time) or delayed (the 15-minute delayed cluster).")
  String feed;

  @Option(names = "--into", paramLabel = "SOURCE",
      description = "Write into this vendor source instead of the vendor's own (created as a vendor source if "
          + "missing), e.g. alpaca_sip.")
  String into;

  @Option(names = "--trailing", paramLabel = "DURATION", defaultValue = "15m",
      description = "Window fetched again through REST every 5 minutes for late corrections; at least 15m "
          + "(default: ${DEFAULT-VALUE}).")
  Duration trailing;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Longest wait for a REST answer before retrying (default: TICKVAULT_HTTP_TIMEOUT or 60s).")
  Duration timeout;

  /** Writes new data into production, like {@code ingest}: on a fresh machine it creates the store. */
  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    Settings s = settings();
    String v = vendor.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("alpaca") && !v.equals("polygon")) {
      throw new InvalidInputException("unknown vendor " + Text.quote(vendor) + ": use --vendor alpaca or --vendor "
          + "polygon");
    }
    List<Symbol> syms = IngestPlan.parseSymbols(symbols);
    Duration trail = trailing;
    VendorHttp.Options http = VendorOptions.http(s, timeout);
    StreamDialect dialect;
    BarSource rest;
    URI url;
    SourceName target;
    PrintLog log = new PrintLog(Progress.forTerminal(err()));
    if (v.equals("alpaca")) {
      List<String> missing = VendorOptions.missing(s, Settings.ALPACA_KEY_ID, Settings.ALPACA_SECRET);
      if (!missing.isEmpty()) {
        throw new InvalidInputException("no Alpaca API key: set " + String.join(" and ", missing)
            + " in the environment or in .env (both APCA_API_KEY_ID and APCA_API_SECRET_KEY are needed)");
      }
      String f = feed == null ? "iex" : feed.strip().toLowerCase(Locale.ROOT);
      String path = switch (f) {
        case "iex" -> "iex";
        case "sip" -> "sip";
        case "delayed", "delayed_sip" -> "delayed_sip";
        default -> throw new InvalidInputException("unknown Alpaca feed " + Text.quote(feed) + ": use --feed iex, sip "
            + "or delayed");
      };
      String key = s.require(Settings.ALPACA_KEY_ID);
      String secret = s.require(Settings.ALPACA_SECRET);
      dialect = new AlpacaStreamDialect(key, secret, path);
      AlpacaClient client = AlpacaClient.create(VendorOptions.baseUrl(s, Settings.ALPACA_URL), key, secret, http,
          Sleeper.SYSTEM, Clock.systemUTC(), log::event);
      rest = new AlpacaBarSource(client, path.equals("iex") ? AlpacaFeed.IEX : AlpacaFeed.SIP, AlpacaAdjustment.RAW,
          Clock.systemUTC(), log::event);
      url = streamUrl(s, Settings.ALPACA_STREAM_URL, "wss://stream.data.alpaca.markets/v2/" + path, dialect.redactor());
      target = into == null ? SourceName.ALPACA : SourceName.of(into);
    } else {
      String key = s.polygonKey().orElseThrow(() -> new InvalidInputException("no Polygon API key: set "
          + "POLYGON_API_KEY (or MASSIVE_API_KEY) in the environment or in .env"));
      String f = feed == null ? "sip" : feed.strip().toLowerCase(Locale.ROOT);
      boolean delayed = switch (f) {
        case "sip", "realtime", "real-time" -> false;
        case "delayed" -> true;
        default -> throw new InvalidInputException("unknown Polygon feed " + Text.quote(feed) + ": Polygon streams the "
            + "consolidated tape; use --feed sip (real time, the default) or --feed delayed");
      };
      dialect = new PolygonStreamDialect(key, delayed);
      int rpm = IngestPolygonCommand.requestsPerMinute(s.get(IngestPolygonCommand.RATE).orElse("0"));
      PolygonClient client = PolygonClient.create(VendorOptions.baseUrl(s, Settings.POLYGON_URL), key, rpm, http,
          Sleeper.SYSTEM, Clock.systemUTC(), log::event);
      rest = new PolygonBarSource(client, false, log::event);
      url = streamUrl(s, Settings.POLYGON_STREAM_URL, delayed ? "wss://delayed.massive.com/stocks"
          : "wss://socket.massive.com/stocks", dialect.redactor());
      target = into == null ? SourceName.POLYGON : SourceName.of(into);
    }
    Collector.Options o = Collector.Options.defaults(syms, target, url);
    o = new Collector.Options(o.symbols(), o.target(), o.url(), o.handshakeTimeout(), o.pingInterval(),
        o.pongDeadline(), o.dataTimeout(), o.backoffMin(), o.backoffMax(), o.keyInUseBackoff(), o.keyInUseLimit(),
        trail, o.refetchEvery(), o.tick());
    Collector collector = new Collector(workspace().store(), dialect, rest, o, Clock.systemUTC(), Sleeper.SYSTEM,
        new Random(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), log);
    Signals.onStop(collector::stop);
    Collector.Outcome outcome;
    try {
      outcome = collector.run();
    } finally {
      log.close();
    }
    return switch (outcome) {
      case STOPPED -> ExitCodes.OK;
      case PERMANENT -> ExitCodes.UNAVAILABLE;
      case KEY_IN_USE -> ExitCodes.KEY_IN_USE;
    };
  }

  /** The stream URL setting (or the default) as a ws(s) URI; the message never shows user info. */
  static URI streamUrl(Settings s, String key, String fallback, Redactor redactor) {
    String v = s.get(key).orElse(fallback);
    try {
      URI u = new URI(v);
      if ((!"ws".equalsIgnoreCase(u.getScheme()) && !"wss".equalsIgnoreCase(u.getScheme())) || u.getHost() == null) {
        throw new URISyntaxException(v, "not a ws(s) URL");
      }
      return u;
    } catch (URISyntaxException e) {
      String shown;
      try {
        shown = redactor.url(new URI(v));
      } catch (URISyntaxException | RuntimeException bad) {
        shown = redactor.redact(v.replaceAll("//[^/@]*@", "//"));
      }
      throw new InvalidInputException("invalid " + key + ": expected a full ws:// or wss:// URL including the feed "
          + "path, such as " + fallback + " [value=" + Text.quote(shown) + "]");
    }
  }

  /** Event lines with a UTC timestamp; on a terminal, a status line below them. Collector thread only. */
  private static final class PrintLog implements Collector.Listener {
    private final Progress progress;

    PrintLog(Progress progress) {
      this.progress = progress;
    }

    @Override
    public void event(String line) {
      progress.println(TIME.format(Instant.now()) + " collect: " + line);
    }

    @Override
    public void status(CollectorStatus st) {
      String bars = st.symbols().stream().limit(6).map(sym -> {
        Instant t = st.lastBars().get(sym);
        return sym + " " + (t == null ? "-" : HM.format(t));
      }).collect(Collectors.joining(" "));
      progress.update("collect", Double.NaN, st.state() + " | " + bars + (st.symbols().size() > 6 ? " ..." : "")
          + " | " + st.streamBars() + " bars, " + st.backfilledBars() + " backfilled, " + st.reconnects()
          + (st.reconnects() == 1 ? " reconnect" : " reconnects"));
    }

    void close() {
      progress.close();
    }
  }

}
