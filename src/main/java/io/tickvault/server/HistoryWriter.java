package io.tickvault.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.tickvault.server.ApiViews.HistoryMetadata;
import io.tickvault.store.Candle;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Streams a history response: {@code {"data": [candle, ...], "metadata": {...}}}, writing each
 * candle to the response as the database produces it, so memory does not grow with the range.
 * The metadata comes last so it can carry the count. A candle is {@code {"time", "open", "high",
 * "low", "close", "volume", "vwap", "tradeCount"}}, time an ISO-8601 UTC instant, prices exact
 * decimals. Stateless.
 */
final class HistoryWriter {
  private HistoryWriter() {}

  /** {@code producer} streams the candles to the given sink and returns how many it sent. */
  static void write(Context ctx, HistoryMetadata metadata, ToLongFunction<Consumer<Candle>> producer)
      throws IOException {
    ctx.contentType("application/json");
    OutputStream out = ctx.outputStream();
    try (JsonGenerator g = ApiJson.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      long count = producer.applyAsLong(c -> candle(g, c));
      g.writeEndArray();
      g.writeFieldName("metadata");
      ApiJson.MAPPER.writeValue(g, withCount(metadata, count));
      g.writeEndObject();
    }
  }

  static void candle(JsonGenerator g, Candle c) {
    try {
      g.writeStartObject();
      g.writeStringField("time", c.time().toString());
      g.writeNumberField("open", c.open());
      g.writeNumberField("high", c.high());
      g.writeNumberField("low", c.low());
      g.writeNumberField("close", c.close());
      g.writeNumberField("volume", c.volume());
      g.writeNumberField("vwap", c.vwap());
      g.writeNumberField("tradeCount", c.tradeCount());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("client went away", e);
    }
  }

  private static HistoryMetadata withCount(HistoryMetadata m, long count) {
    return new HistoryMetadata(m.source(), m.environment(), m.description(), m.lastSync(), m.dataThrough(),
        m.isLive(), m.readOnly(), m.symbol(), m.interval(), m.from(), m.to(), count, m.sourceTimeframe(),
        m.timezone());
  }
}
