package io.tickvault.ingest.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.alpaca.dto.StockBar;
import io.tickvault.ingest.stream.StreamDialect;
import io.tickvault.ingest.stream.StreamEvent;
import io.tickvault.ingest.stream.StreamEvent.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Alpaca Market Data stream v2 (stocks): message authentication
 * ({@code {"action":"auth","key":…,"secret":…}}), one subscription to {@code bars} and
 * {@code updatedBars}, frames that are JSON arrays of messages keyed by {@code T}
 * ({@code success}, {@code subscription}, {@code error}, {@code b}, {@code u}). Prices are read
 * exactly; {@code n} and {@code vw} are optional. Error codes are classified as the vendor
 * documents them: 402/408/409/410/411 permanent, 406 connection limit, 405/400 warnings, the rest
 * transient. Immutable and thread-safe.
 */
public final class AlpacaStreamDialect implements StreamDialect {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String keyId;
  private final String secret;
  private final String feed;
  private final Redactor redactor;

  /** {@code feed}: the stream's feed path ({@code iex}, {@code sip} or {@code delayed_sip}). */
  public AlpacaStreamDialect(String keyId, String secret, String feed) {
    this.keyId = keyId;
    this.secret = secret;
    this.feed = feed;
    this.redactor = new Redactor(List.of(keyId, secret));
  }

  @Override
  public String vendor() {
    return "Alpaca";
  }

  @Override
  public SourceName origin() {
    return SourceName.ALPACA;
  }

  @Override
  public String feed() {
    return feed;
  }

  @Override
  public Duration delay() {
    return feed.startsWith("delayed") ? Duration.ofMinutes(15) : Duration.ZERO;
  }

  @Override
  public Redactor redactor() {
    return redactor;
  }

  @Override
  public String authMessage() {
    ObjectNode o = JSON.objectNode();
    o.put("action", "auth");
    o.put("key", keyId);
    o.put("secret", secret);
    return o.toString();
  }

  @Override
  public String subscribeMessage(Collection<Symbol> symbols) {
    ObjectNode o = JSON.objectNode();
    o.put("action", "subscribe");
    var bars = o.putArray("bars");
    var updated = o.putArray("updatedBars");
    for (Symbol s : symbols) {
      bars.add(s.value());
      updated.add(s.value());
    }
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
      String type = VendorJson.text(m, "T", path);
      out.add(switch (type) {
        case "success" -> success(m, path);
        case "subscription" -> new StreamEvent.Subscribed(symbols(m.get("bars"), path + ".bars"), true);
        case "error" -> error(m);
        case "b", "u" -> bar(m, path, type.equals("u"));
        default -> new StreamEvent.Other(type);
      });
    }
    return out;
  }

  private static StreamEvent success(JsonNode m, String path) {
    String msg = VendorJson.optionalText(m, "msg", path);
    if ("connected".equals(msg)) {
      return new StreamEvent.Connected();
    }
    if ("authenticated".equals(msg)) {
      return new StreamEvent.Authenticated();
    }
    return new StreamEvent.Other("success " + Text.quote(String.valueOf(msg)));
  }

  private StreamEvent error(JsonNode m) {
    JsonNode c = m.get("code");
    int code = c != null && c.canConvertToInt() ? c.asInt() : -1;
    String msg = redactor.redact(m.path("msg").asText(""));
    Kind kind = switch (code) {
      case 402, 408, 409, 410, 411 -> Kind.PERMANENT;
      case 406 -> Kind.KEY_IN_USE;
      case 400, 405 -> Kind.WARN;
      default -> Kind.RECONNECT;
    };
    return new StreamEvent.Failure(kind, String.valueOf(code), msg);
  }

  private static Set<Symbol> symbols(JsonNode list, String path) {
    Set<Symbol> out = new LinkedHashSet<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new VendorJson.Malformed(path + " is not a list");
    }
    for (JsonNode s : list) {
      if (s.isTextual() && !"*".equals(s.asText())) {
        out.add(symbol(s.asText(), path));
      }
    }
    return out;
  }

  private static Symbol symbol(String raw, String path) {
    try {
      return Symbol.of(raw);
    } catch (RuntimeException e) {
      throw new VendorJson.Malformed(path + " has an invalid symbol " + Text.quote(raw));
    }
  }

  private static StreamEvent bar(JsonNode m, String path, boolean update) {
    Symbol sym = symbol(VendorJson.text(m, "S", path), path + ".S");
    StockBar b = StockBar.fromJson(m, path);
    return new StreamEvent.BarReceived(AlpacaAdapters.toBar(sym, b, Timeframe.MIN_1, path), update);
  }
}
