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
      char[] buf = new char[32];
      g.writeStartObject();
      g.writeFieldName("time");
      time(g, buf, c.time());
      g.writeFieldName("open");
      decimal(g, buf, c.open());
      g.writeFieldName("high");
      decimal(g, buf, c.high());
      g.writeFieldName("low");
      decimal(g, buf, c.low());
      g.writeFieldName("close");
      decimal(g, buf, c.close());
      g.writeNumberField("volume", c.volume());
      g.writeFieldName("vwap");
      decimal(g, buf, c.vwap());
      g.writeNumberField("tradeCount", c.tradeCount());
      g.writeEndObject();
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }

  /**
   * A price exactly as {@link BigDecimal#toPlainString} writes it, without building the string for
   * the stored scale (4) (most of a long history's serialisation time went there); other scales
   * and null as Jackson writes them.
   */
  static void decimal(JsonGenerator g, char[] buf, java.math.BigDecimal v) throws IOException {
    if (v == null || v.scale() != 4 || v.precision() > 18) {
      g.writeNumber(v);
      return;
    }
    long u = v.unscaledValue().longValue();
    long abs = Math.abs(u);
    int end = buf.length;
    int at = end;
    long frac = abs % 10_000;
    for (int i = 0; i < 4; i++) {
      buf[--at] = (char) ('0' + frac % 10);
      frac /= 10;
    }
    buf[--at] = '.';
    long whole = abs / 10_000;
    do {
      buf[--at] = (char) ('0' + whole % 10);
      whole /= 10;
    } while (whole > 0);
    if (u < 0) {
      buf[--at] = '-';
    }
    g.writeNumber(buf, at, end - at);
  }

  /**
   * An instant exactly as {@link Instant#toString} writes it, without its formatter for whole
   * seconds in years 1000-9999 (every candle's start); others through {@code toString}.
   */
  static void time(JsonGenerator g, char[] buf, Instant t) throws IOException {
    if (t.getNano() != 0) {
      g.writeString(t.toString());
      return;
    }
    java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, java.time.ZoneOffset.UTC);
    if (d.getYear() < 1000 || d.getYear() > 9999) {
      g.writeString(t.toString());
      return;
    }
    digits(buf, 0, d.getYear(), 4);
    buf[4] = '-';
    digits(buf, 5, d.getMonthValue(), 2);
    buf[7] = '-';
    digits(buf, 8, d.getDayOfMonth(), 2);
    buf[10] = 'T';
    digits(buf, 11, d.getHour(), 2);
    buf[13] = ':';
    digits(buf, 14, d.getMinute(), 2);
    buf[16] = ':';
    digits(buf, 17, d.getSecond(), 2);
    buf[19] = 'Z';
    g.writeString(buf, 0, 20);
  }

  private static void digits(char[] buf, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      buf[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
