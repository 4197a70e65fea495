package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/**
 * Days and durations are parsed by the converters registered once on the command line: a typo in
 * any option of those types is a usage error (exit 2) that names the option and the accepted forms,
 * said before the command runs (so no store is opened or created).
 */
class ConvertersTest {
  @TempDir
  Path dir;

  @Test
  void a_typo_in_a_day_names_the_option_and_the_accepted_form() {
    CliHarness cli = new CliHarness(dir);
    String[][] cases = {
        {"--from", "ingest", "synthetic", "--symbols", "AAPL", "--from", "15/01/2025"},
        {"--to", "ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--to", "2025-13-01"},
        {"--from", "ingest", "polygon", "--symbols", "AAPL", "--from", "yesterday"},
        {"--to", "ingest", "alpaca", "--symbols", "AAPL", "--to", "2025-1-5"},
        {"--from", "backtest", "--symbol", "AAPL", "--strategy", "sma-cross", "--from", "jan"},
        {"--closed", "validate", "--closed", "2025-01-09,2025-02-30"},
        {"--closed", "health", "--closed", "2025-01-09,2025-02-30"},
    };
    for (String[] c : cases) {
      Run r = cli.run(java.util.Arrays.copyOfRange(c, 1, c.length));
      String bad = c[c.length - 1].contains(",") ? "2025-02-30" : c[c.length - 1];
      assertEquals(ExitCodes.USAGE, r.code(), r.toString());
      assertTrue(r.err().startsWith("tickvault: Invalid value for option '" + c[0] + "'"), r.toString());
      assertTrue(r.err().contains(": '" + bad + "' is not a day; " + Converters.DATE_FORMS + "\n"), r.toString());
    }
    assertFalse(Files.exists(dir.resolve("data")), "a usage error opens no store");
  }

  @Test
  void a_typo_in_a_duration_names_the_option_and_the_accepted_forms() {
    CliHarness cli = new CliHarness(dir);
    String[][] cases = {
        {"--max-age", "check", "--max-age", "soon"},
        {"--every", "sync", "--every", "6hours"},
        {"--sync-every", "serve", "--sync-every", "daily"},
        {"--trailing", "ingest", "polygon", "--symbols", "AAPL", "--trailing", "2 days"},
        {"--timeout", "ingest", "alpaca", "--symbols", "AAPL", "--timeout", "1min"},
        {"--trailing", "collect", "--vendor", "alpaca", "--symbols", "AAPL", "--trailing", "15"},
        {"--grace", "health", "--grace", "6 hours"},
        {"--grace-24x7", "health", "--grace-24x7", "an hour"},
    };
    for (String[] c : cases) {
      Run r = cli.run(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertEquals(ExitCodes.USAGE, r.code(), r.toString());
      assertTrue(r.err().startsWith("tickvault: Invalid value for option '" + c[0] + "': '" + c[c.length - 1]
          + "' is not a duration; " + Converters.DURATION_FORMS), r.toString());
    }
    assertFalse(Files.exists(dir.resolve("data")), "a usage error opens no store");
  }

  @Test
  void a_bad_symbol_names_the_option_and_the_refused_character() {
    CliHarness cli = new CliHarness(dir);
    String[][] cases = {
        {"export", "--source", "synthetic", "--symbol", "a\"b"},
        {"clean", "--source", "synthetic", "--symbol", "a\"b"},
        {"migrate", "--source", "synthetic", "--target", "test", "--symbol", "a\"b"},
        {"validate", "--symbol", "a\"b"},
        {"backtest", "--symbol", "a\"b"},
    };
    for (String[] c : cases) {
      Run r = cli.run(c);
      assertEquals(ExitCodes.USAGE, r.code(), r.toString());
      assertTrue(r.err().startsWith("tickvault: Invalid value for option '--symbol': invalid symbol 'a\"b': character "),
          r.toString());
    }
    assertFalse(Files.exists(dir.resolve("data")), "a usage error opens no store");
  }

  @Test
  void the_accepted_forms_parse() {
    assertEquals(LocalDate.of(2025, 1, 15), Converters.date(" 2025-01-15 "));
    assertEquals(Duration.ofMinutes(30), Converters.duration("30m"));
    assertEquals(Duration.ofHours(6), Converters.duration("6h"));
    assertEquals(Duration.ofHours(24), Converters.duration("24h"));
    assertEquals(Duration.ofDays(30), Converters.duration("30d"));
    assertEquals(Duration.ofDays(14), Converters.duration("2w"));
    assertEquals(Duration.ofMinutes(90), Converters.duration("PT90M"));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(TypeConversionException.class,
        () -> Converters.duration("2y")).getMessage().contains("30m, 6h, 24h, 30d"));
  }
}
