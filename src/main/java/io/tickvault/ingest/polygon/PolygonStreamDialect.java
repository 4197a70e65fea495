package io.tickvault.ingest.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.polygon.dto.Aggregate;
import io.tickvault.ingest.stream.StreamDialect;
import io.tickvault.ingest.stream.StreamEvent;
import io.tickvault.ingest.stream.StreamEvent.Kind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Polygon/Massive stocks WebSocket, per-minute aggregates ({@code AM}): authentication
 * {@code {"action":"auth","params":KEY}}, subscription {@code {"action":"subscribe",
 * "params":"AM.AAPL,AM.MSFT"}}, frames that are JSON arrays of events keyed by {@code ev}. Status
 * messages are matched on {@code status}, never on their text: {@code auth_failed} is permanent,
 * {@code max_connections} means another connection holds the key, {@code auth_timeout} is
 * transient; each {@code success} "subscribed to: AM.X" confirms one topic. An {@code AM} repeated
 * with the same {@code s} is the vendor's correction (the store upserts). {@code s} is the window
 * start in Unix milliseconds; {@code dv} (exact fractional volume), when present, is preferred over
 * {@code v}. Immutable and thread-safe.
 */
public final class PolygonStreamDialect implements StreamDialect {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String key;
  private final boolean delayed;
  private final Redactor redactor;

  public PolygonStreamDialect(String key, boolean delayed) {
    this.key = key;
    this.delayed = delayed;
    this.redactor = new Redactor(List.of(key));
  }

  @Override
  public String vendor() {
    return "Polygon";
  }

  @Override
  public SourceName origin() {
    return SourceName.POLYGON;
  }

  @Override
  public String feed() {
    return null;
  }

  @Override
  public Duration delay() {
    return delayed ? Duration.ofMinutes(15) : Duration.ZERO;
  }

  @Override
  public Redactor redactor() {
    return redactor;
  }

  @Override
  public String authMessage() {
    ObjectNode o = JSON.objectNode();
    o.put("action", "auth");
    o.put("params", key);
    return o.toString();
  }

  @Override
  public String subscribeMessage(Collection<Symbol> symbols) {
    ObjectNode o = JSON.objectNode();
    o.put("action", "subscribe");
    o.put("params", symbols.stream().map(s -> "AM." + s.value()).collect(Collectors.joining(",")));
    return o.toString();
  }

  @Override
  public List<StreamEvent> parse(String frame) {
    JsonNode arr = VendorJson.parseArray(frame);
    List<StreamEvent> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode m = arr.get(i);
      String path = "[" + i + "]";
      if (m == null || !m.isObject()) {
        throw new VendorJson.Malformed(path + " is not an object");
      }
      String ev = VendorJson.text(m, "ev", path);
      out.add(switch (ev) {
        case "status" -> status(m, path);
        case "AM" -> bar(m, path);
        default -> new StreamEvent.Other(ev);
      });
    }
    return out;
  }

  private StreamEvent status(JsonNode m, String path) {
    String status = VendorJson.text(m, "status", path);
    String message = redactor.redact(m.path("message").asText(""));
    return switch (status) {
      case "connected" -> new StreamEvent.Connected();
      case "auth_success" -> new StreamEvent.Authenticated();
      case "auth_failed" -> new StreamEvent.Failure(Kind.PERMANENT, status, message);
      case "max_connections" -> new StreamEvent.Failure(Kind.KEY_IN_USE, status, message);
      case "auth_timeout" -> new StreamEvent.Failure(Kind.RECONNECT, status, message);
      case "success" -> subscribed(message);
      case "error" -> new StreamEvent.Failure(Kind.WARN, status, message);
      default -> new StreamEvent.Other("status " + Text.quote(status));
    };
  }

  /** {@code subscribed to: AM.AAPL}: the one place where the text matters (it names the topic). */
  private static StreamEvent subscribed(String message) {
    String prefix = "subscribed to:";
    if (message.startsWith(prefix)) {
      String topic = message.substring(prefix.length()).strip();
      if (topic.startsWith("AM.") && !topic.equals("AM.*")) {
        try {
          return new StreamEvent.Subscribed(Set.of(Symbol.of(topic.substring(3))), false);
        } catch (RuntimeException e) {
          return new StreamEvent.Other("status success " + Text.quote(message));
        }
      }
    }
    return new StreamEvent.Other("status success " + Text.quote(message));
  }

  private static StreamEvent bar(JsonNode m, String path) {
    String raw = VendorJson.text(m, "sym", path);
    Symbol sym;
    try {
      sym = Symbol.of(raw);
    } catch (RuntimeException e) {
      throw new VendorJson.Malformed(path + ".sym has an invalid symbol " + Text.quote(raw));
    }
    BigDecimal s = VendorJson.decimal(m, "s", path);
    long ms;
    try {
      ms = s.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new VendorJson.Malformed(path + ".s " + s.toPlainString() + " is not a whole number of milliseconds");
    }
    BigDecimal dv = optionalDecimalText(m, "dv", path);
    Aggregate a = new Aggregate(ms, VendorJson.decimal(m, "o", path), VendorJson.decimal(m, "h", path),
        VendorJson.decimal(m, "l", path), VendorJson.decimal(m, "c", path),
        dv != null ? dv : VendorJson.decimal(m, "v", path), VendorJson.optionalDecimal(m, "vw", path), null, false);
    return new StreamEvent.BarReceived(PolygonAdapters.toBar(sym, a, Timeframe.MIN_1, path), false);
  }

  /** {@code dv} is documented as a string decimal; a number is accepted too. */
  private static BigDecimal optionalDecimalText(JsonNode m, String field, String path) {
    JsonNode n = m.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    try {
      return new BigDecimal(n.asText());
    } catch (NumberFormatException e) {
      throw new VendorJson.Malformed(path + "." + field + " is not a decimal: " + Text.quote(n.asText()));
    }
  }
}
