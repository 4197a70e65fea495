package io.tickvault.ingest.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection on the JDK client, with what that client lacks (STREAMING-APIS.md
 * §3.2): partial text messages are reassembled until the last part; every complete message, the
 * close and any failure become {@link Incoming} items of one queue that the collector's thread
 * drains (the listener never blocks and never touches the database); sends go one at a time (the
 * JDK allows one outstanding send); pongs are counted so the collector can enforce its own pong
 * deadline. Thread-safe.
 */
public final class StreamConnection implements AutoCloseable {
  /** A whole message, the end of the connection, or a pong. */
  public sealed interface Incoming {
    record Text(String text) implements Incoming {}

    /** The server closed ({@code code} 1006 for a dropped TCP connection) or the client failed. */
    record Closed(int code, String reason) implements Incoming {}

    record Pong() implements Incoming {}
  }

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  private final BlockingQueue<Incoming> incoming = new LinkedBlockingQueue<>();
  private final WebSocket socket;
  private final Object sendLock = new Object();

  private StreamConnection(WebSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens the connection; throws {@link java.io.IOException} (with the upgrade's failure as cause)
   * when it cannot be opened within {@code timeout}.
   */
  public static StreamConnection open(HttpClient http, URI uri, Duration timeout) throws java.io.IOException {
    LinkedBlockingQueue<Incoming> q = new LinkedBlockingQueue<>();
    Listener listener = new Listener(q);
    WebSocket ws;
    try {
      ws = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, listener)
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new java.io.IOException(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new java.io.IOException("no answer to the WebSocket upgrade within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while connecting");
    }
    StreamConnection c = new StreamConnection(ws);
    listener.forward(c.incoming);
    return c;
  }

  /** The next item, waiting at most {@code wait}; null when none arrived. */
  public Incoming poll(Duration wait) throws InterruptedException {
    return incoming.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends one text message and waits until it is handed to the network. */
  public void send(String text) throws java.io.IOException {
    synchronized (sendLock) {
      await(socket.sendText(text, true), "send");
    }
  }

  /** Sends a ping (the pong arrives as {@link Incoming.Pong}). */
  public void ping() throws java.io.IOException {
    synchronized (sendLock) {
      await(socket.sendPing(ByteBuffer.wrap(new byte[] {'t', 'v'})), "ping");
    }
  }

  private static void await(CompletableFuture<WebSocket> f, String what) throws java.io.IOException {
    try {
      f.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new java.io.IOException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new java.io.IOException(what + " did not complete within " + SEND_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(what + " interrupted");
    }
  }

  /**
   * Closes properly (a Close frame, so the vendor frees the connection slot at once) and aborts
   * after a short wait if the server does not answer.
   */
  @Override
  public void close() {
    try {
      synchronized (sendLock) {
        if (!socket.isOutputClosed()) {
          socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // fall through to abort
    } finally {
      socket.abort();
    }
  }

  /** Drops the connection at once (no Close frame). */
  public void abort() {
    socket.abort();
  }

  /** Reassembles text parts; queues whole messages. Calls are sequential (JDK contract). */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder parts = new StringBuilder();
    private volatile BlockingQueue<Incoming> out;

    Listener(BlockingQueue<Incoming> initial) {
      this.out = initial;
    }

    /** Moves whatever arrived before the connection object existed to its queue. */
    synchronized void forward(BlockingQueue<Incoming> target) {
      out.drainTo(target);
      out = target;
    }

    private synchronized void put(Incoming i) {
      out.add(i);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      parts.append(data);
      if (last) {
        put(new Incoming.Text(parts.toString()));
        parts.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      // tickvault asks for JSON text; a binary frame is counted as an unknown message
      if (last) {
        put(new Incoming.Text("[{\"T\":\"binary\",\"ev\":\"binary\"}]"));
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      put(new Incoming.Pong());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      put(new Incoming.Closed(statusCode, reason == null ? "" : reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      String m = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
      put(new Incoming.Closed(1006, m));
    }
  }
}
