package io.tickvault.ingest.stream;

import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Alpaca for whole-process runs of {@code tickvault collect}: its stream sends, on every
 * connection, one frame with a bar of AAPL and of MSFT per minute (minutes from {@link #FIRST},
 * one after the other, every {@code everyMillis}); its REST bars endpoint knows every minute the
 * stream has sent so far. {@code dropAfter} > 0 injects a disconnect: the first connection is
 * dropped without a close frame after that many frames, and {@code gap} minutes pass while no one
 * is connected (REST knows them, the stream never sends them). {@link #main} runs it by hand.
 */
public final class StreamingVendor implements AutoCloseable {
  public static final Instant FIRST = Instant.parse("2026-11-20T14:31:00Z");

  final AtomicInteger sent = new AtomicInteger(); // minutes the vendor has (streamed or passed)
  final MinuteMarket m = new MinuteMarket(Clock.systemUTC());
  final FakeStreamServer ws;
  final FakeVendorServer rest;

  public StreamingVendor(int limit, long everyMillis, int dropAfter, int gap) {
    ws = new FakeStreamServer(VendorScripts.alpaca(CollectorRun.KEY, CollectorRun.SECRET, null, c -> {
      Thread t = new Thread(() -> {
        int here = 0;
        try {
          while (!c.closed() && sent.get() < limit) {
            if (c.index == 0 && dropAfter > 0 && here == dropAfter) {
              sent.addAndGet(gap);
              c.drop();
              return;
            }
            Instant min = FIRST.plus(sent.get(), ChronoUnit.MINUTES);
            c.send("[" + m.alpaca("b", "AAPL", min.toString()) + "," + m.alpaca("b", "MSFT", min.toString()) + "]");
            sent.incrementAndGet();
            here++;
            Thread.sleep(everyMillis);
          }
        } catch (RuntimeException | InterruptedException e) {
          // the connection went away
        }
      }, "fake-stream-" + c.index);
      t.setDaemon(true);
      t.start();
    }));
    rest = FakeVendorServer.answering(this::bars);
  }

  /** Alpaca REST {@code /v2/stocks/bars}: every minute the vendor has so far, from {@code start}. */
  Response bars(FakeVendorServer.Request r) {
    Instant start = Instant.parse(r.query().get("start"));
    int upTo = sent.get();
    StringBuilder b = new StringBuilder("{\"bars\":{");
    String[] syms = r.query().get("symbols").split(",");
    for (int i = 0; i < syms.length; i++) {
      b.append(i > 0 ? "," : "").append('"').append(syms[i]).append("\":[");
      boolean first = true;
      for (int k = 0; k < upTo; k++) {
        Instant t = FIRST.plus(k, ChronoUnit.MINUTES);
        if (!t.isBefore(start)) {
          String one = m.alpaca("b", syms[i], t.toString()).replaceAll("\"T\":\"b\",\"S\":\"[A-Z]+\",", "");
          b.append(first ? "" : ",").append(one);
          first = false;
        }
      }
      b.append(']');
    }
    return Response.ok(b.append("},\"next_page_token\":null}").toString());
  }

  @Override
  public void close() {
    ws.close();
    rest.close();
  }

  /**
   * {@code java -cp ... io.tickvault.ingest.stream.StreamingVendor [everyMillis] [dropAfter] [gap]}:
   * prints the environment for {@code tickvault collect} and serves until killed.
   */
  public static void main(String[] args) throws InterruptedException {
    long every = args.length > 0 ? Long.parseLong(args[0]) : 1000;
    int dropAfter = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int gap = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    StreamingVendor v = new StreamingVendor(100_000, every, dropAfter, gap);
    System.out.println("export APCA_API_KEY_ID=" + CollectorRun.KEY + " APCA_API_SECRET_KEY=" + CollectorRun.SECRET);
    System.out.println("export TICKVAULT_ALPACA_STREAM_URL=" + v.ws.uri("/v2/iex") + " TICKVAULT_ALPACA_URL="
        + v.rest.base());
    System.out.println("fake Alpaca: a frame every " + every + " ms; the first connection drops after " + dropAfter
        + " frames and " + gap + " minutes pass while it is down");
    System.out.flush();
    Thread.currentThread().join();
  }
}
