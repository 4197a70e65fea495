package io.tickvault.ingest.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickvault.domain.SourceName;
import io.tickvault.store.BarStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a collector publishes about itself in production ({@code tickvault_meta}, key
 * {@code collector:<source>}), rewritten on every change of state and at least every
 * {@link #HEARTBEAT}: its state and reason, the last bar start per symbol, counters, and a
 * heartbeat. {@link #health(Instant)} turns it into what {@code list}, {@code /api/sources},
 * {@code /health} and the dashboard show. Immutable and thread-safe.
 *
 * @param state {@code starting}, {@code connecting}, {@code streaming}, {@code backoff},
 *     {@code stopped}, {@code failed} or {@code key_in_use}
 * @param reason why it is in that state (the last reconnect's cause, the failure), or null
 * @param lastBars newest bar start received or backfilled per symbol
 * @param lastData when a bar last arrived on the stream (wall time), or null
 */
public record CollectorStatus(SourceName source, String vendor, String feed, List<String> symbols, String state,
    String reason, long pid, String host, long ingestId, Instant started, Instant heartbeat, Instant lastData,
    Map<String, Instant> lastBars, long reconnects, long streamBars, long backfilledBars, Duration delay) {

  /** How often a running collector rewrites its status at least. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);
  /** A status older than this belongs to a collector that is gone (killed, machine down). */
  public static final Duration GONE_AFTER = Duration.ofSeconds(60);
  /** During a session, a newest bar older than this (plus the feed's delay) is lag. */
  public static final Duration LAG_LIMIT = Duration.ofMinutes(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  public CollectorStatus {
    symbols = List.copyOf(symbols);
    lastBars = Map.copyOf(lastBars);
    delay = delay == null ? Duration.ZERO : delay;
  }

  /** The meta key of a source's collector. */
  public static String key(SourceName source) {
    return "collector:" + source.value();
  }

  /** The newest bar start over all symbols, or null. */
  public Instant newestBar() {
    return lastBars.values().stream().max(Instant::compareTo).orElse(null);
  }

  /** The published status of the source's collector, if one ever ran; unreadable text is ignored. */
  public static Optional<CollectorStatus> read(BarStore store, SourceName source) {
    return store.meta(key(source)).flatMap(CollectorStatus::parse);
  }

  /** Writes this status (production only). */
  public void publish(BarStore store) {
    store.putMeta(key(source), toJson());
  }

  /** Health as seen at {@code now}. */
  public Health health(Instant now) {
    Instant newest = newestBar();
    Long lag = null;
    if (newest != null) {
      lag = Math.max(0, Duration.between(newest.plus(Duration.ofMinutes(1)).plus(delay), now).toSeconds());
    }
    boolean session = SessionCalendar.isOpen(now.minus(delay));
    boolean gone = heartbeat == null || Duration.between(heartbeat, now).compareTo(GONE_AFTER) > 0;
    boolean running = !List.of("stopped", "failed", "key_in_use").contains(state);
    String level;
    String why;
    if (!running) {
      level = "down";
      why = "collector " + state + (reason == null ? "" : ": " + reason);
    } else if (gone) {
      level = "down";
      why = "no heartbeat from the collector (pid " + pid + " on " + host + ") since " + heartbeat
          + "; it was killed or its machine is down";
    } else if (!"streaming".equals(state)) {
      level = "lagging";
      why = "collector " + state + (reason == null ? "" : ": " + reason);
    } else if (session && (lag == null || lag > LAG_LIMIT.toSeconds())) {
      level = "lagging";
      why = newest == null ? "no bar yet during the regular session"
          : "newest bar " + newest + " is " + lag / 60 + " min old during the regular session";
    } else {
      level = "ok";
      why = session ? "streaming" : "streaming (market closed: no bars expected)";
    }
    return new Health(level, why, lag, session, running && !gone);
  }

  /**
   * @param level {@code ok}, {@code lagging} (amber) or {@code down} (red)
   * @param lagSeconds seconds from the end of the newest bar's minute (plus the feed's delay) to now
   */
  public record Health(String level, String reason, Long lagSeconds, boolean sessionOpen, boolean alive) {}

  /** The status and its health as one JSON-ready map (for the API and {@code list --format json}). */
  public Map<String, Object> view(Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    Health h = health(now);
    m.put("state", state);
    m.put("health", h.level());
    m.put("reason", h.reason());
    m.put("lagSeconds", h.lagSeconds());
    m.put("sessionOpen", h.sessionOpen());
    m.put("vendor", vendor);
    m.put("feed", feed);
    m.put("pid", pid);
    m.put("host", host);
    m.put("ingestId", ingestId);
    m.put("started", str(started));
    m.put("heartbeat", str(heartbeat));
    m.put("lastData", str(lastData));
    Map<String, Object> bars = new LinkedHashMap<>();
    for (String s : symbols) {
      bars.put(s, str(lastBars.get(s)));
    }
    m.put("lastBars", bars);
    m.put("reconnects", reconnects);
    m.put("streamBars", streamBars);
    m.put("backfilledBars", backfilledBars);
    return m;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("source", source.value());
    o.put("vendor", vendor);
    o.put("feed", feed);
    var arr = o.putArray("symbols");
    symbols.forEach(arr::add);
    o.put("state", state);
    o.put("reason", reason);
    o.put("pid", pid);
    o.put("host", host);
    o.put("ingestId", ingestId);
    o.put("started", str(started));
    o.put("heartbeat", str(heartbeat));
    o.put("lastData", str(lastData));
    ObjectNode lb = o.putObject("lastBars");
    lastBars.forEach((k, v) -> lb.put(k, v.toString()));
    o.put("reconnects", reconnects);
    o.put("streamBars", streamBars);
    o.put("backfilledBars", backfilledBars);
    o.put("delaySeconds", delay.toSeconds());
    return o.toString();
  }

  static Optional<CollectorStatus> parse(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      Map<String, Instant> lb = new LinkedHashMap<>();
      n.path("lastBars").fields().forEachRemaining(e -> lb.put(e.getKey(), Instant.parse(e.getValue().asText())));
      List<String> syms = new java.util.ArrayList<>();
      n.path("symbols").forEach(s -> syms.add(s.asText()));
      return Optional.of(new CollectorStatus(SourceName.of(n.path("source").asText()), text(n, "vendor"),
          text(n, "feed"), syms, n.path("state").asText(), text(n, "reason"), n.path("pid").asLong(),
          text(n, "host"), n.path("ingestId").asLong(), time(n, "started"), time(n, "heartbeat"),
          time(n, "lastData"), lb, n.path("reconnects").asLong(), n.path("streamBars").asLong(),
          n.path("backfilledBars").asLong(), Duration.ofSeconds(n.path("delaySeconds").asLong())));
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant time(JsonNode n, String f) {
    String t = text(n, f);
    return t == null ? null : Instant.parse(t);
  }
}
