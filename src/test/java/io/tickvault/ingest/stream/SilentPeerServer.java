package io.tickvault.ingest.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A minimal RFC 6455 server over a {@link ServerSocket} that never answers pings: the half-dead
 * peer that the JDK client cannot detect by itself (Jetty answers pings automatically, so the
 * Javalin fake cannot play it). It completes the upgrade, sends the welcome frame, answers each
 * client text message with what {@code answer} returns (null for nothing), and ignores control
 * frames. One thread per connection; test use only.
 */
final class SilentPeerServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Integer> pingsIgnored = new CopyOnWriteArrayList<>();

  SilentPeerServer(String welcome, BiFunction<Integer, String, String> answer) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      int n = 0;
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          sockets.add(s);
          int index = n++;
          Thread t = new Thread(() -> serve(s, index, welcome, answer), "silent-peer-" + index);
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-peer-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri(String path) {
    return URI.create("ws://127.0.0.1:" + server.getLocalPort() + path);
  }

  int connections() {
    return sockets.size();
  }

  /** Pings received and not answered, by connection index. */
  List<Integer> pingsIgnored() {
    return new ArrayList<>(pingsIgnored);
  }

  private void serve(Socket s, int index, String welcome, BiFunction<Integer, String, String> answer) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      String key = null;
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
          key = line.substring(line.indexOf(':') + 1).strip();
        }
      }
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      text(out, welcome);
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return;
        }
        int b1 = in.read();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = (in.read() << 8) | in.read();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | in.read();
          }
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes((int) len);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        int opcode = b0 & 0x0f;
        if (opcode == 0x9) {
          pingsIgnored.add(index); // a dead peer: no pong
        } else if (opcode == 0x8) {
          return;
        } else if (opcode == 0x1) {
          String reply = answer.apply(index, new String(payload, StandardCharsets.UTF_8));
          if (reply != null) {
            text(out, reply);
          }
        }
      }
    } catch (Exception e) {
      // the client went away
    }
  }

  private static void text(OutputStream out, String s) throws IOException {
    byte[] p = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    if (p.length < 126) {
      f.write(p.length);
    } else {
      f.write(126);
      f.write(p.length >> 8);
      f.write(p.length & 0xff);
    }
    f.write(p);
    out.write(f.toByteArray());
    out.flush();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
