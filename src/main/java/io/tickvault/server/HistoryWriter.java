package io.tickvault.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.tickvault.server.ApiViews.HistoryMetadata;
import io.tickvault.store.Candle;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a history response: {@code {"data": [candle, ...], "metadata": {...}}}, writing each
 * candle to the response as the database produces it, so memory does not grow with the range.
 * The metadata comes last so it can carry the count. A candle is {@code {"time", "open", "high",
 * "low", "close", "volume", "vwap", "tradeCount"}}, time an ISO-8601 UTC instant, prices exact
 * decimals. A page holds at most {@code limit} candles; when more follow, the metadata's
 * {@code nextCursor} is the time of the next candle and {@code next} the request for that page.
 *
 * <p>Failures never produce an invalid document. When the query fails before anything reached the
 * client (the response buffer, about 32 KB, is not yet sent), the buffer is dropped and the error
 * handler answers in the one error shape with its status. When it fails later, the document is
 * finished well-formed: {@code data} with the candles sent, then {@code "error": {status, title,
 * type, message}}, then the metadata (its {@code count} says how many were sent). A client that
 * goes away mid-response is one INFO line in the server log. Stateless.
 */
final class HistoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

  private HistoryWriter() {}

  /** The client closed the connection while the response was written. */
  static final class ClientGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientGone(IOException cause) {
      super("the client closed the connection", cause);
    }
  }

  /** Thrown by the sink to stop the query once the page is full (no stack trace: it is control flow). */
  private static final class PageFull extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Candle next;

    PageFull(Candle next) {
      super(null, null, false, false);
      this.next = next;
    }
  }

  /**
   * {@code producer} streams the candles to the given sink; at most {@code metadata.limit()} are
   * written, and the candle after them, if any, gives the next page's cursor ({@code nextRequest}
   * makes the request for it).
   */
  static void write(Context ctx, HistoryMetadata metadata, ToLongFunction<Consumer<Candle>> producer,
      Function<Instant, String> nextRequest) {
    ctx.contentType("application/json");
    long[] sent = {0};
    JsonGenerator g;
    try {
      OutputStream out = ctx.outputStream();
      g = ApiJson.MAPPER.createGenerator(out);
      // never close an interrupted document as if it were complete
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      g.writeStartObject();
      g.writeArrayFieldStart("data");
    } catch (IOException e) {
      clientGone(ctx, 0, e);
      return;
    }
    try {
      Instant next = null;
      try {
        var unused = producer.applyAsLong(c -> {
          if (sent[0] == metadata.limit()) {
            throw new PageFull(c);
          }
          candle(g, c);
          sent[0]++;
        });
      } catch (PageFull full) {
        next = full.next.time();
      }
      g.writeEndArray();
      g.writeFieldName("metadata");
      ApiJson.MAPPER.writeValue(g, metadata.page(sent[0], next, next == null ? null : nextRequest.apply(next)));
      g.writeEndObject();
      g.close();
    } catch (ClientGone e) {
      clientGone(ctx, sent[0], (IOException) e.getCause());
    } catch (IOException e) {
      clientGone(ctx, sent[0], e);
    } catch (RuntimeException e) {
      if (!ctx.res().isCommitted()) {
        // nothing has reached the client: drop the buffered start, the error handler answers instead
        ctx.res().resetBuffer();
        throw e;
      }
      finishWithError(ctx, g, metadata, sent[0], e);
    }
  }

  /** Ends a document whose beginning was sent: the candles so far, the error, the metadata. */
  private static void finishWithError(Context ctx, JsonGenerator g, HistoryMetadata metadata, long sent,
      RuntimeException e) {
    ApiError error = ApiErrors.of(e);
    LOG.warn("{} {} failed after {} candles were sent (the document ends with its error): {}", ctx.method(),
        ctx.path(), sent, error.message());
    try {
      g.writeEndArray();
      g.writeFieldName("error");
      ApiJson.MAPPER.writeValue(g, error);
      g.writeFieldName("metadata");
      ApiJson.MAPPER.writeValue(g, metadata.page(sent, null, null));
      g.writeEndObject();
      g.close();
    } catch (IOException gone) {
      clientGone(ctx, sent, gone);
    }
  }

  private static void clientGone(Context ctx, long sent, IOException e) {
    LOG.info("{} {}: the client closed the connection after {} candles ({})", ctx.method(), ctx.path(), sent,
        e.getClass().getSimpleName());
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
      throw new ClientGone(e);
    }
  }
}
