package io.tickvault.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickvault collect} as a real process: SIGTERM while bars are streaming in finishes the
 * current write and exits 0 with nothing half-written; {@code kill -9} loses nothing that the next
 * start's backfill does not restore (the lock dies with the process). The fake vendor streams one
 * frame with a bar of AAPL and of MSFT per (past) minute every few milliseconds, and its REST API
 * knows every minute it has streamed so far.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CollectProcessTest {
  private static final Instant FIRST = StreamingVendor.FIRST;
  private static final SourceName A = SourceName.ALPACA;

  @TempDir
  Path dir;

  private Process start(StreamingVendor v, Path db, Path log) throws Exception {
    String java = System.getenv("TICKVAULT_JAVA");
    if (java == null || java.isBlank()) {
      java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.tickvault.app.Main",
        "collect", "--vendor", "alpaca", "--symbols", "AAPL,MSFT");
    pb.environment().put("TICKVAULT_DATABASE_URL", db.toString());
    pb.environment().put("APCA_API_KEY_ID", CollectorRun.KEY);
    pb.environment().put("APCA_API_SECRET_KEY", CollectorRun.SECRET);
    pb.environment().put("TICKVAULT_ALPACA_URL", v.rest.base().toString());
    pb.environment().put("TICKVAULT_ALPACA_STREAM_URL", v.ws.uri("/v2/iex").toString());
    pb.directory(dir.toFile());
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static List<Bar> bars(Path db, String sym) {
    try (BarStore s = Stores.open(db.toString())) {
      List<Bar> out = new ArrayList<>();
      if (s.source(A).isPresent()) {
        s.read(A, BarFilter.of(Symbol.of(sym)), out::add);
      }
      return out;
    }
  }

  private static void waitFor(String what, Process p, Path log, BooleanSupplier cond) throws Exception {
    while (!cond.getAsBoolean()) {
      if (!p.isAlive()) {
        fail("collect ended (exit " + p.exitValue() + ") while waiting for " + what + ":\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  @Test
  void sigtermMidStreamFinishesTheWriteAndExitsZero() throws Exception {
    Path db = dir.resolve("prod.db");
    Path log = dir.resolve("collect.log");
    try (StreamingVendor v = new StreamingVendor(100_000, 5, 0, 0)) {
      Process p = start(v, db, log);
      waitFor("bars", p, log, () -> bars(db, "MSFT").size() >= 20);
      p.destroy(); // SIGTERM while frames keep arriving
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "collect stops on SIGTERM");
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("collect: stopped:"), out);
      List<Bar> aapl = bars(db, "AAPL");
      List<Bar> msft = bars(db, "MSFT");
      assertEquals(aapl.size(), msft.size(), "each frame (AAPL and MSFT of one minute) landed whole or not at all");
      for (int i = 0; i < aapl.size(); i++) {
        Instant t = FIRST.plus(i, ChronoUnit.MINUTES);
        assertEquals(v.m.bar("AAPL", t.toString(), A), aapl.get(i));
        assertEquals(v.m.bar("MSFT", t.toString(), A), msft.get(i));
      }
      try (BarStore s = Stores.open(db.toString())) {
        IngestRecord r = s.ingestLog(A, 1).get(0);
        assertEquals(io.tickvault.store.IngestStatus.OK, r.status(), r.toString());
        assertEquals(aapl.size() * 2L, r.rows());
        assertEquals("stopped", CollectorStatus.read(s, A).orElseThrow().state());
      }
      assertFalse(out.contains(CollectorRun.SECRET) || out.contains(CollectorRun.KEY), "keys are never printed");
    }
  }

  @Test
  void onAFreshMachineCollectCreatesTheStoreAndADroppedConnectionIsBackfilled() throws Exception {
    Path db = dir.resolve("fresh").resolve("prod.db"); // neither the folder nor the store exists
    Path log = dir.resolve("collect.log");
    // the vendor drops the first connection after 10 minutes and streams 5 minutes to nobody
    try (StreamingVendor v = new StreamingVendor(40, 50, 10, 5)) {
      Process p = start(v, db, log);
      // the store is not touched by the test until the collector has reconnected and backfilled
      waitFor("the backfill after the reconnect", p, log, () -> {
        try {
          String out = Files.readString(log, StandardCharsets.UTF_8);
          return out.contains("disconnected:") && out.contains("were missing");
        } catch (java.io.IOException e) {
          return false;
        }
      });
      waitFor("all 40 minutes", p, log, () -> bars(db, "AAPL").size() >= 40 && bars(db, "MSFT").size() >= 40);
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("disconnected: the connection closed (code 1006"), out);
      for (String sym : List.of("AAPL", "MSFT")) {
        List<Bar> got = bars(db, sym);
        assertEquals(40, got.size(), sym);
        for (int i = 0; i < got.size(); i++) {
          assertEquals(v.m.bar(sym, FIRST.plus(i, ChronoUnit.MINUTES).toString(), A), got.get(i),
              sym + " minute " + i + " (the dropped minutes backfilled, no duplicate)");
        }
      }
    }
  }

  @Test
  void killMinus9ThenRestartLosesNothing() throws Exception {
    Path db = dir.resolve("prod.db");
    Path log1 = dir.resolve("first.log");
    Path log2 = dir.resolve("second.log");
    try (StreamingVendor v = new StreamingVendor(400, 5, 0, 0)) {
      Process p = start(v, db, log1);
      waitFor("bars", p, log1, () -> bars(db, "AAPL").size() >= 30);
      p.destroyForcibly(); // kill -9
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      int stored = bars(db, "AAPL").size();
      // the vendor goes on streaming to nobody until it has sent 60 more minutes
      while (v.sent.get() < stored + 60 && v.sent.get() < 400) {
        v.sent.incrementAndGet();
      }
      int missed = v.sent.get();
      Process q = start(v, db, log2);
      waitFor("the backfill of the minutes streamed while it was dead", q, log2,
          () -> bars(db, "AAPL").size() >= missed && bars(db, "MSFT").size() >= missed);
      q.destroy();
      assertTrue(q.waitFor(60, TimeUnit.SECONDS));
      String out = Files.readString(log2, StandardCharsets.UTF_8);
      assertEquals(0, q.exitValue(), out);
      assertTrue(out.contains("backfill after connecting:") && out.contains("were missing"), out);
      for (String sym : List.of("AAPL", "MSFT")) {
        List<Bar> got = bars(db, sym);
        for (int i = 0; i < got.size(); i++) {
          assertEquals(v.m.bar(sym, FIRST.plus(i, ChronoUnit.MINUTES).toString(), A), got.get(i),
              sym + " minute " + i + " (no gap, no duplicate)");
        }
      }
      try (BarStore s = Stores.open(db.toString())) {
        List<IngestRecord> runs = s.ingestLog(A, 2);
        assertEquals(io.tickvault.store.IngestStatus.OK, runs.get(0).status());
        assertEquals(io.tickvault.store.IngestStatus.ABANDONED, runs.get(1).status(), "the killed run, found dead by the restart: "
            + runs.get(1).detail());
        assertTrue(runs.get(1).detail().contains("ended without finishing this run"), runs.get(1).detail());
      }
    }
  }
}
