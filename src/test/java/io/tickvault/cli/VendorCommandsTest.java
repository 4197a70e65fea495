package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.ingest.FakeMarket;
import io.tickvault.ingest.FakeVendorServer;
import io.tickvault.ingest.FakeVendorServer.Response;
import io.tickvault.ingest.Fixtures;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault ingest polygon|alpaca} as a black box against local vendor servers. */
class VendorCommandsTest {
  static final String POLYGON_KEY = "pk_live_9Zx8Yw7Vu6Ts5Rq4";
  static final String ALPACA_ID = "AKLIVE1234567890ABCD";
  static final String ALPACA_SECRET = "secretLive0987654321zyxwvutsrqponmlk";

  @TempDir
  Path dir;

  final FakeMarket market = new FakeMarket(LocalDate.parse("2024-01-02"), LocalDate.parse("2024-02-29"), 10);
  FakeVendorServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  CliHarness polygonCli(FakeVendorServer s) {
    server = s;
    return new CliHarness(dir).env("POLYGON_API_KEY", POLYGON_KEY).env("TICKVAULT_POLYGON_URL", s.base().toString())
        .env("TICKVAULT_POLYGON_RATE", "0");
  }

  CliHarness alpacaCli(FakeVendorServer s) {
    server = s;
    return new CliHarness(dir).env("APCA_API_KEY_ID", ALPACA_ID).env("APCA_API_SECRET_KEY", ALPACA_SECRET)
        .env("TICKVAULT_ALPACA_URL", s.base().toString());
  }

  static void noSecrets(Run r) {
    for (String k : new String[] {POLYGON_KEY, ALPACA_ID, ALPACA_SECRET}) {
      assertFalse(r.out().contains(k) || r.err().contains(k), "a key was printed:\n" + r);
    }
  }

  @Test
  void ingest_polygon_writes_prints_a_one_line_summary_and_list_shows_the_run() {
    CliHarness cli = polygonCli(FakeVendorServer.answering(market::polygon));
    Run r = cli.run("ingest", "polygon", "--symbols", "AAPL,MSFT", "--from", "2024-01-02", "--to", "2024-02-29");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().matches("ingested 86 Polygon bars of 2 symbols \\(AAPL, MSFT\\) into polygon, "
        + "2024-01-02\\.\\.2024-02-29 1Day, in [0-9.]+ s \\([0-9,]+ rows/s, 10 requests\\): 86 added, 0 replaced with "
        + "different values, 0 unchanged\n"), r.out());
    assertEquals("", r.err(), "quiet without a terminal");
    noSecrets(r);
    Run l = cli.run("list");
    assertTrue(l.out().contains("polygon") && l.out().contains("86"), l.out());

    Run again = cli.run("ingest", "polygon", "--symbols", "AAPL,MSFT", "--to", "2024-02-29");
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.err().contains("incremental run: each symbol continues from its last stored bar minus 2 days: "
        + "AAPL from 2024-02-27, MSFT from 2024-02-27"), again.err());
    assertTrue(again.out().startsWith("ingested 6 Polygon bars"), again.out());
  }

  @Test
  void ingest_polygon_json_output_parses() throws Exception {
    CliHarness cli = polygonCli(FakeVendorServer.answering(market::polygon));
    Run r = cli.run("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-02-26", "--to", "2024-02-29",
        "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertEquals("polygon", doc.get("source").asText());
    assertEquals(4, doc.get("rows").asLong());
    assertEquals("2024-02-29T05:00:00Z", doc.at("/symbols/0/last").asText());
  }

  @Test
  void a_missing_key_is_a_usage_error_naming_the_settings() {
    Run r = new CliHarness(dir).run("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-01-02");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("no Polygon API key: set POLYGON_API_KEY (or MASSIVE_API_KEY)"), r.err());
    Run a = new CliHarness(dir).env("APCA_API_KEY_ID", ALPACA_ID).run("ingest", "alpaca", "--symbols", "AAPL",
        "--from", "2024-01-02");
    assertEquals(ExitCodes.USAGE, a.code(), a.toString());
    assertTrue(a.err().contains("set APCA_API_SECRET_KEY"), a.err());
    noSecrets(a);
  }

  @Test
  void a_refused_key_exits_4_with_the_vendor_message_and_no_key() {
    CliHarness cli = polygonCli(FakeVendorServer.scripted(Response.json(401,
        Fixtures.read("polygon/error-401-unknown-key.json"))));
    Run r = cli.run("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-01-02", "--to", "2024-01-05");
    assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
    assertTrue(r.err().startsWith("tickvault: Polygon refused the API key for bars of AAPL (HTTP 401: Unknown API "
        + "Key); check POLYGON_API_KEY"), r.err());
    assertEquals(1, server.requests().size());
    noSecrets(r);
  }

  @Test
  void ingest_alpaca_writes_and_refuses_to_mix_feeds_suggesting_a_separate_source() {
    CliHarness cli = alpacaCli(FakeVendorServer.answering(market::alpaca));
    Run r = cli.run("ingest", "alpaca", "--symbols", "AAPL,MSFT", "--from", "2024-02-01", "--to", "2024-02-29");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("ingested 42 Alpaca bars of 2 symbols (AAPL, MSFT) into alpaca [feed iex], "
        + "2024-02-01..2024-02-29 1Day"), r.out());
    noSecrets(r);
    Run sip = cli.run("ingest", "alpaca", "--symbols", "AAPL", "--from", "2024-02-01", "--to", "2024-02-29", "--feed",
        "sip");
    assertEquals(ExitCodes.USAGE, sip.code(), sip.toString());
    assertTrue(sip.err().contains("one source never mixes feeds") && sip.err().contains("--into alpaca_sip"),
        sip.err());
    Run into = cli.run("ingest", "alpaca", "--symbols", "AAPL", "--from", "2024-02-01", "--to", "2024-02-29",
        "--feed", "SIP", "--adjustment", "split", "--into", "alpaca_sip");
    assertEquals(0, into.code(), into.toString());
    assertTrue(into.out().contains("into alpaca_sip [feed sip]"), into.out());
    assertEquals("split", server.requests().get(server.requests().size() - 1).query().get("adjustment"));
  }

  @Test
  void bad_options_are_usage_errors() {
    CliHarness cli = polygonCli(FakeVendorServer.scripted());
    Run tf = cli.run("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-01-02", "--timeframe", "2Min");
    assertEquals(ExitCodes.USAGE, tf.code());
    assertTrue(tf.err().contains("invalid timeframe '2Min'"), tf.err());
    Run order = cli.run("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-02-02", "--to", "2024-01-02");
    assertEquals(ExitCodes.USAGE, order.code());
    assertTrue(order.err().contains("--from 2024-02-02 is after --to 2024-01-02"), order.err());
    Run rate = cli.run("ingest", "polygon", "--symbols", "AAPL", "--from", "2024-01-02", "--rate", "fast");
    assertEquals(ExitCodes.USAGE, rate.code());
    Run url = cli.env("TICKVAULT_POLYGON_URL", "ftp://user:pw@example.com").run("ingest", "polygon", "--symbols",
        "AAPL", "--from", "2024-01-02");
    assertEquals(ExitCodes.USAGE, url.code());
    assertTrue(url.err().contains("invalid TICKVAULT_POLYGON_URL") && !url.err().contains("pw@"), url.err());
    Run feed = alpacaCli(server).run("ingest", "alpaca", "--symbols", "AAPL", "--from", "2024-01-02", "--feed", "otc");
    assertEquals(ExitCodes.USAGE, feed.code());
    assertTrue(server.requests().isEmpty());
  }

  @Test
  void help_has_examples() {
    CliHarness cli = new CliHarness(dir);
    for (String[] c : new String[][] {{"ingest", "polygon"}, {"ingest", "alpaca"}, {"import", "csv"}}) {
      Run h = cli.run(c[0], c[1], "--help");
      assertEquals(0, h.code());
      assertTrue(h.out().contains("Examples:") && h.out().contains("tickvault " + c[0] + " " + c[1]), h.out());
    }
    assertTrue(cli.run("ingest", "--help").out().contains("alpaca"));
  }
}
