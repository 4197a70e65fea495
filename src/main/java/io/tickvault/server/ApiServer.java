package io.tickvault.server;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.path;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.tickvault.config.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.http.UriCompliance;

/**
 * The tickvault HTTP server: the JSON API of DESIGN.md §6 under {@code /api}, {@code /health},
 * and the dashboard at {@code /} (static files from {@code web/} on the class path, no CDN). It
 * serves the store of the workspace's DATA_MODE; {@code ?source=} picks a source other than
 * DATA_SOURCE.
 *
 * <pre>{@code
 * try (ApiServer server = ApiServer.start(workspace, Clock.systemUTC(), "127.0.0.1", 0)) {
 *   URI api = URI.create(server.url() + "api/sources");
 * }
 * }</pre>
 *
 * Thread-safe. {@link #close()} stops the server and releases {@link #awaitStop()}; it does not
 * close the workspace, which belongs to the caller.
 */
public final class ApiServer implements AutoCloseable {
  private final Javalin app;
  private final String host;
  private final LiveFeed live;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ApiServer(Javalin app, String host, LiveFeed live) {
    this.app = app;
    this.host = host;
    this.live = live;
  }

  /**
   * Starts serving on {@code host:port} ({@code port} 0 picks a free port). The clock decides
   * ages and "now" (tests pass a fixed one). Throws {@link ServerStartException} when the address
   * cannot be bound, e.g. a port in use.
   */
  public static ApiServer start(Workspace workspace, Clock clock, String host, int port) {
    return start(workspace, clock, host, port, false, Duration.ofSeconds(1));
  }

  /**
   * As {@link #start(Workspace, Clock, String, int)}; {@code simulateLive} offers the simulated
   * current candle (mirror mode only, {@code serve --simulate-live}); {@code livePeriod} is how
   * often the live feed reads the change log while a tab watches.
   */
  public static ApiServer start(Workspace workspace, Clock clock, String host, int port, boolean simulateLive,
      Duration livePeriod) {
    DataService data = new DataService(workspace, clock);
    QualityService quality = new QualityService(workspace, clock);
    HostGuard guard = new HostGuard(HostGuard.parseNames(
        workspace.settings().get(io.tickvault.config.Settings.ALLOWED_HOSTS).orElse("")));
    LiveFeed live = new LiveFeed(data, clock, livePeriod);
    Javalin app = Javalin.create(cfg -> configure(cfg, data, quality, guard, host, port, live, simulateLive));
    try {
      app.start();
    } catch (RuntimeException e) { // JavalinBindException, or Jetty's own failure to open the connector
      live.close();
      app.stop();
      throw ServerStartException.of(host, port, e);
    }
    ApiServer server = new ApiServer(app, host, live);
    server.data = data;
    return server;
  }

  private DataService data;
  private Thread scheduled;

  /**
   * Syncs the mirror on a period in a background thread ({@code serve --sync-every}), through the
   * same lock as {@code POST /api/sync}, so a scheduled sync and the Sync now button never run at
   * once. A failed attempt is logged (and in the mirror's sync log) and retried at the next tick.
   * Mirror mode only. Stops with {@link #close()}.
   */
  public synchronized void syncEvery(Duration period) {
    if (data.mode() != io.tickvault.domain.DataMode.MIRROR) {
      throw new io.tickvault.domain.InvalidInputException("--sync-every needs the mirror: run with DATA_MODE=mirror "
          + "(or --mode mirror); this server shows " + data.mode().label());
    }
    io.tickvault.mirror.SyncSchedule schedule = new io.tickvault.mirror.SyncSchedule(period, Clock.systemUTC(),
        d -> stopped.await(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), new java.util.Random());
    scheduled = new Thread(() -> schedule.run(data::scheduledSync, tick -> {
      if (tick.ok()) {
        LOG.info("scheduled sync: {} rows added, {} changed, {} deleted; next at {}", tick.report().rowsAdded(),
            tick.report().rowsChanged(), tick.report().rowsDeleted(), tick.next());
      } else {
        LOG.warn("scheduled sync failed: {}; next attempt at {}", tick.error().getMessage(), tick.next());
      }
    }, () -> stopped.getCount() == 0), "tickvault-scheduled-sync");
    scheduled.setDaemon(true);
    scheduled.start();
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServer.class);

  private static void configure(JavalinConfig cfg, DataService data, QualityService quality, HostGuard guard,
      String host, int port, LiveFeed live, boolean simulateLive) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.jetty.host = host;
    cfg.jetty.port = port;
    // Served on the loopback interface: compression would only cost CPU on large histories.
    cfg.http.compressionStrategy = CompressionStrategy.NONE;
    cfg.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
    // Let an encoded '/' reach the symbol parameter (BTC%2FUSD); paths are still normalised.
    cfg.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(
        UriCompliance.DEFAULT.with("tickvault", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR)));
    cfg.jetty.modifyServletContextHandler(h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
    cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
    cfg.staticFiles.add(s -> {
      s.hostedPath = "/";
      s.directory = "/web";
      s.location = Location.CLASSPATH;
    });
    cfg.routes.apiBuilder(() -> {
      boolean loopback = isLoopback(host);
      before(ctx -> {
        HostGuard.FRAME_HEADERS.forEach(ctx::header); // the dashboard is never framed (clickjacking "Sync now")
        if (loopback) {
          guard.check(ctx); // DNS rebinding: a foreign name resolving to 127.0.0.1, or another origin
        }
      });
      path("api", SourcesRoutes.of(data));
      path("api", MarketDataRoutes.of(data));
      path("api", DataSourceRoutes.of(data));
      path("api", QualityRoutes.of(quality, data));
      path("api", LiveRoutes.of(data, live, simulateLive));
      HealthRoutes.of(data).addEndpoints();
    });
    ApiErrors.register(cfg.routes);
  }

  /**
   * Whether the bind address is loopback: served there, the server answers only requests addressed
   * to a loopback name and sent by no page of another origin ({@link HostGuard}).
   */
  static boolean isLoopback(String host) {
    return HostGuard.isLoopback(host);
  }

  /** The live feed (tests drive its ticks). */
  LiveFeed live() {
    return live;
  }

  /** The port actually bound (useful after starting on port 0). */
  public int port() {
    return app.port();
  }

  /** The dashboard's URL, e.g. {@code http://127.0.0.1:8001/}; wildcard hosts show as localhost. */
  public String url() {
    String h = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "localhost" : host;
    if (h.contains(":")) {
      h = "[" + h + "]";
    }
    return "http://" + h + ":" + port() + "/";
  }

  /** Blocks until {@link #close()} is called (from another thread or a shutdown hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    try {
      live.close();
      app.stop();
    } finally {
      stopped.countDown();
    }
  }
}
