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
    String days = "' is not a day; " + Converters.DATE_FORMS;
    refused("--from", "'15/01/2025" + days, "ingest", "synthetic", "--symbols", "AAPL", "--from", "15/01/2025");
    refused("--to", "'2025-13-01" + days, "ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--to",
        "2025-13-01");
    refused("--from", "'yesterday" + days, "ingest", "polygon", "--symbols", "AAPL", "--from", "yesterday");
    refused("--to", "'2025-1-5" + days, "ingest", "alpaca", "--symbols", "AAPL", "--to", "2025-1-5");
    refused("--from", "'jan" + days, "backtest", "--symbol", "AAPL", "--strategy", "sma-cross", "--from", "jan");
    refused("--closed", "'2025-02-30" + days, "validate", "--closed", "2025-01-09,2025-02-30");
    refused("--closed", "'2025-02-30" + days, "health", "--closed", "2025-01-09,2025-02-30");
  }

  @Test
  void a_typo_in_a_duration_names_the_option_and_the_accepted_forms() {
    String durations = "' is not a duration; " + Converters.DURATION_FORMS;
    refused("--max-age", "'soon" + durations, "check", "--max-age", "soon");
    refused("--every", "'6hours" + durations, "sync", "--every", "6hours");
    refused("--sync-every", "'daily" + durations, "serve", "--sync-every", "daily");
    refused("--trailing", "'2 days" + durations, "ingest", "polygon", "--symbols", "AAPL", "--trailing", "2 days");
    refused("--timeout", "'1min" + durations, "ingest", "alpaca", "--symbols", "AAPL", "--timeout", "1min");
    refused("--trailing", "'15" + durations, "collect", "--vendor", "alpaca", "--symbols", "AAPL", "--trailing", "15");
    refused("--grace", "'6 hours" + durations, "health", "--grace", "6 hours");
    refused("--grace-24x7", "'an hour" + durations, "health", "--grace-24x7", "an hour");
  }

  @Test
  void a_bad_symbol_names_the_option_and_the_refused_character() {
    String symbol = "invalid symbol 'a\"b': character '\"'";
    refused("--symbol", symbol, "export", "--source", "synthetic", "--symbol", "a\"b");
    refused("--symbol", symbol, "clean", "--source", "synthetic", "--symbol", "a\"b");
    refused("--symbol", symbol, "migrate", "--source", "synthetic", "--target", "test", "--symbol", "a\"b");
    refused("--symbol", symbol, "validate", "--symbol", "a\"b");
    refused("--symbol", symbol, "backtest", "--symbol", "a\"b");
  }

  /** The command is a usage error naming {@code option} and saying {@code why}, and opened no store. */
  private void refused(String option, String why, String... args) {
    Run r = new CliHarness(dir).run(args);
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().startsWith("tickvault: Invalid value for option '" + option + "'"), r.toString());
    assertTrue(r.err().contains(": " + why), r.toString());
    assertFalse(Files.exists(dir.resolve("data")), "a usage error opens no store: " + r);
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
