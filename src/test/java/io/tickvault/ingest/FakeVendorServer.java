package io.tickvault.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * A local HTTP server (JDK {@code HttpServer} on 127.0.0.1, a free port) that answers like a vendor:
 * from a script of responses or from a function of the request. It records every request. A
 * {@link Response#hang()} response never answers (until the server closes), to test timeouts.
 * Like the vendor, it points to itself: {@link #VENDOR_ORIGIN} in a response body (the host of
 * recorded {@code next_url}s) is sent as this server's own base URL.
 */
public final class FakeVendorServer implements AutoCloseable {

  /** A request as received. */
  public record Request(String method, String path, String rawQuery, Map<String, List<String>> headers) {
    /** Decoded query parameters (first value of each). */
    public Map<String, String> query() {
      Map<String, String> m = new LinkedHashMap<>();
      if (rawQuery == null || rawQuery.isEmpty()) {
        return m;
      }
      for (String p : rawQuery.split("&")) {
        int eq = p.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
        m.putIfAbsent(k, v);
      }
      return m;
    }

    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    public String pathAndQuery() {
      return path + (rawQuery == null ? "" : "?" + rawQuery);
    }
  }

  /** A scripted answer. */
  public record Response(int status, Map<String, String> headers, String body, boolean gzip, boolean hangs) {
    public static Response json(int status, String body) {
      return new Response(status, Map.of("Content-Type", "application/json"), body, false, false);
    }

    public static Response ok(String body) {
      return json(200, body);
    }

    public static Response hang() {
      return new Response(0, Map.of(), "", false, true);
    }

    public Response header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Response(status, h, body, gzip, hangs);
    }

    public Response gzipped() {
      return new Response(status, headers, body, true, hangs);
    }
  }

  /** The origin of recorded Polygon responses, replaced by this server's own in every body sent. */
  public static final String VENDOR_ORIGIN = "https://api.massive.com";

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Function<Request, Response> handler;

  private FakeVendorServer(Function<Request, Response> handler) {
    this(handler, InetAddress.getLoopbackAddress());
  }

  private FakeVendorServer(Function<Request, Response> handler, InetAddress address) {
    this.handler = handler;
    try {
      server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A server on another local address (e.g. 127.0.0.2) answering with {@code handler}. */
  public static FakeVendorServer on(InetAddress address, Function<Request, Response> handler) {
    return new FakeVendorServer(handler, address);
  }

  /** A server answering with {@code handler}. */
  public static FakeVendorServer answering(Function<Request, Response> handler) {
    return new FakeVendorServer(handler);
  }

  /** A server answering the given responses in order; a request beyond them gets a 599 error. */
  public static FakeVendorServer scripted(Response... responses) {
    Deque<Response> queue = new ArrayDeque<>(List.of(responses));
    return new FakeVendorServer(r -> {
      synchronized (queue) {
        Response next = queue.poll();
        return next != null ? next : Response.json(599, "{\"message\":\"unexpected request " + r.pathAndQuery() + "\"}");
      }
    });
  }

  /** http://ADDRESS:PORT (127.0.0.1 unless created {@link #on} another address) */
  public URI base() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort());
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex; InputStream in = ex.getRequestBody()) {
      in.readAllBytes();
      URI u = ex.getRequestURI();
      Request req = new Request(ex.getRequestMethod(), u.getRawPath(), u.getRawQuery(),
          Map.copyOf(ex.getRequestHeaders()));
      requests.add(req);
      Response r = handler.apply(req);
      if (r.hangs()) {
        try {
          closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      // the recorded next_urls point at the vendor's host; a real server's point at itself
      byte[] body = r.body().replace(VENDOR_ORIGIN, base().toString()).getBytes(StandardCharsets.UTF_8);
      if (r.gzip()) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
          gz.write(body);
        }
        body = buf.toByteArray();
        ex.getResponseHeaders().add("Content-Encoding", "gzip");
      }
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
