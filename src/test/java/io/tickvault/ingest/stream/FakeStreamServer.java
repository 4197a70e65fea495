package io.tickvault.ingest.stream;

import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * A local WebSocket server (Javalin's ws handler on 127.0.0.1, a free port) for replaying a vendor's
 * stream protocol. The behaviour is a {@link Script}: what to do when a client connects and when it
 * sends a message. Each connection is a {@link Conn} that records what the client sent and can send
 * whole frames, a frame in several fragments, close with a code, or drop the TCP connection without
 * a close frame. Jetty answers pings by itself (so a "mute" connection still pongs).
 */
public final class FakeStreamServer implements AutoCloseable {

  /** What the fake vendor does. Called on Jetty's threads, one connection at a time. */
  public interface Script {
    void onConnect(Conn c);

    void onMessage(Conn c, String message);
  }

  /** One client connection. */
  public static final class Conn {
    public final int index;
    private final WsContext ctx;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Conn(int index, WsContext ctx) {
      this.index = index;
      this.ctx = ctx;
    }

    /** Messages the client sent on this connection, in order. */
    public List<String> received() {
      return List.copyOf(received);
    }

    public boolean closed() {
      return closed;
    }

    /** Sends one whole text frame and waits until it is written. */
    public synchronized void send(String frame) {
      part(frame, true);
    }

    /** Sends one message as several fragments (a continuation frame per part). */
    public synchronized void sendFragments(String... parts) {
      for (int i = 0; i < parts.length; i++) {
        part(parts[i], i == parts.length - 1);
      }
    }

    private void part(String text, boolean last) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      ctx.session.sendPartialText(text, last, Callback.from(() -> done.complete(null), done::completeExceptionally));
      try {
        done.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("fake server could not send: " + e, e);
      }
    }

    /** Closes with a close frame. */
    public void close(int code, String reason) {
      ctx.closeSession(code, reason);
    }

    /**
     * Drops the TCP connection without a close frame (the client sees 1006). Jetty may lose a
     * disconnect requested inside its own message handler (the connection then stays open and the
     * client waits for data forever; about one run in five under load), so the drop runs on its
     * own thread, outside the handler.
     */
    public void drop() {
      Thread t = new Thread(() -> ctx.session.disconnect(), "fake-stream-drop-" + index);
      t.start();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final Javalin app;
  private final List<Conn> conns = new CopyOnWriteArrayList<>();

  public FakeStreamServer(Script script) {
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(10)));
      cfg.routes.ws("/*", ws -> {
        ws.onConnect(ctx -> {
          ctx.disableAutomaticPings();
          Conn c = new Conn(conns.size(), ctx);
          ctx.attribute("conn", c);
          conns.add(c);
          script.onConnect(c);
        });
        ws.onMessage(ctx -> {
          Conn c = ctx.attribute("conn");
          c.received.add(ctx.message());
          script.onMessage(c, ctx.message());
        });
        ws.onClose(ctx -> {
          Conn c = ctx.attribute("conn");
          if (c != null) {
            c.closed = true;
          }
        });
      });
    });
    app.start("127.0.0.1", 0);
  }

  /** A script from two lambdas. */
  public static Script script(Consumer<Conn> onConnect, BiConsumer<Conn, String> onMessage) {
    return new Script() {
      @Override
      public void onConnect(Conn c) {
        onConnect.accept(c);
      }

      @Override
      public void onMessage(Conn c, String message) {
        onMessage.accept(c, message);
      }
    };
  }

  /** ws://127.0.0.1:PORT/path */
  public URI uri(String path) {
    return URI.create("ws://127.0.0.1:" + app.port() + path);
  }

  public List<Conn> connections() {
    return Collections.unmodifiableList(new ArrayList<>(conns));
  }

  @Override
  public void close() {
    app.stop();
  }
}
