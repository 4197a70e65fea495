package io.tickvault.ingest.stream;

import io.tickvault.ingest.stream.FakeStreamServer.Conn;
import io.tickvault.ingest.stream.FakeStreamServer.Script;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The vendors' documented handshakes for {@link FakeStreamServer} (STREAMING-APIS.md §1.11, §2.7):
 * the welcome, the answer to authentication (success, or what {@code authAnswer} says for that
 * connection), the subscription confirmation, then {@code streaming} decides what the connection
 * sends. Frames are the documented literal shapes.
 */
final class VendorScripts {
  private VendorScripts() {}

  /**
   * Alpaca stream v2. {@code authAnswer} returns the frame answering the auth of a connection, or
   * null for the documented success when the key and secret match (else 402).
   */
  static Script alpaca(String key, String secret, Function<Conn, String> authAnswer, Consumer<Conn> streaming) {
    return FakeStreamServer.script(c -> c.send("[{\"T\":\"success\",\"msg\":\"connected\"}]"), (c, m) -> {
      if (m.contains("\"action\":\"auth\"")) {
        String a = authAnswer == null ? null : authAnswer.apply(c);
        if (a != null) {
          c.send(a);
          if (a.contains("\"error\"")) {
            c.close(1008, "error");
          }
        } else if (m.contains("\"key\":\"" + key + "\"") && m.contains("\"secret\":\"" + secret + "\"")) {
          c.send("[{\"T\":\"success\",\"msg\":\"authenticated\"}]");
        } else {
          c.send("[{\"T\":\"error\",\"code\":402,\"msg\":\"auth failed\"}]");
        }
      } else if (m.contains("\"action\":\"subscribe\"")) {
        String bars = m.replaceAll(".*\"bars\":(\\[[^\\]]*\\]).*", "$1");
        c.send("[{\"T\":\"subscription\",\"trades\":[],\"quotes\":[],\"bars\":" + bars + ",\"updatedBars\":" + bars
            + ",\"dailyBars\":[],\"statuses\":[],\"lulds\":[],\"corrections\":[],\"cancelErrors\":[]}]");
        streaming.accept(c);
      }
    });
  }

  /** Polygon/Massive stocks: one {@code success} per subscribed topic. */
  static Script polygon(String key, Function<Conn, String> authAnswer, Consumer<Conn> streaming) {
    return FakeStreamServer.script(
        c -> c.send("[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]"), (c, m) -> {
          if (m.contains("\"action\":\"auth\"")) {
            String a = authAnswer == null ? null : authAnswer.apply(c);
            if (a != null) {
              c.send(a);
              if (a.contains("max_connections") || a.contains("auth_failed")) {
                c.close(1008, "policy");
              }
            } else if (m.contains("\"params\":\"" + key + "\"")) {
              c.send("[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");
            } else {
              c.send("[{\"ev\":\"status\",\"status\":\"auth_failed\",\"message\":\"authentication failed\"}]");
              c.close(1008, "policy");
            }
          } else if (m.contains("\"action\":\"subscribe\"")) {
            String params = m.replaceAll(".*\"params\":\"([^\"]*)\".*", "$1");
            for (String topic : params.split(",")) {
              c.send("[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: " + topic + "\"}]");
            }
            streaming.accept(c);
          }
        });
  }
}
