package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault collect}: help, and usage errors that say what to do and create nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CollectCommandTest {
  @TempDir
  Path dir;

  @Test
  void helpHasExamplesAndExitCodes() {
    CliHarness.Run r = new CliHarness(dir).run("collect", "--help");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("tickvault collect --vendor alpaca --symbols AAPL,MSFT"), r.out());
    assertTrue(r.out().contains("5 another process holds the vendor key"), r.out());
    assertTrue(r.out().contains("TICKVAULT_ALPACA_STREAM_URL"), r.out());
  }

  @Test
  void usageErrorsSayWhatToDoAndCreateNothing() throws Exception {
    CliHarness cli = new CliHarness(dir);
    CliHarness.Run r = cli.run("collect", "--vendor", "kraken", "--symbols", "AAPL");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("use --vendor alpaca or --vendor polygon"), r.err());

    r = cli.run("collect", "--vendor", "alpaca", "--symbols", "AAPL");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("no Alpaca API key: set APCA_API_KEY_ID and APCA_API_SECRET_KEY"), r.err());

    CliHarness keyed = new CliHarness(dir).env("APCA_API_KEY_ID", "PKABCDEFGH").env("APCA_API_SECRET_KEY", "s3cr3tvalue")
        .env("POLYGON_API_KEY", "polykey123");
    r = keyed.run("collect", "--vendor", "alpaca", "--symbols", "AAPL", "--feed", "otc");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("use --feed iex, sip or delayed"), r.err());
    r = keyed.run("collect", "--vendor", "polygon", "--symbols", "AAPL", "--feed", "iex");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("use --feed sip (real time, the default) or --feed delayed"), r.err());

    r = keyed.run("collect", "--vendor", "alpaca", "--symbols", "AAPL", "--trailing", "5m");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("at least 15 minutes"), r.err());

    r = keyed.env("TICKVAULT_ALPACA_STREAM_URL", "https://user:pw0rd@stream.example/v2/iex")
        .run("collect", "--vendor", "alpaca", "--symbols", "AAPL");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("invalid TICKVAULT_ALPACA_STREAM_URL: expected a full ws:// or wss:// URL"), r.err());
    assertFalse(r.err().contains("pw0rd"), r.err());

    assertFalse(Files.exists(dir.resolve("data")), "a refused collect creates no store");
  }
}
