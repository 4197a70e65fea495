package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain date given to export, migrate, clean and compare is a day of the source's market zone,
 * as in validate, backtest and the API: on a Hong Kong daily source, 2024-03-05 is the bar of 5
 * March in Hong Kong (stored at 2024-03-04T16:00Z), not the next day's bar (which starts on the
 * UTC day 5 March). Before, export answered with the wrong day's bar and said nothing.
 */
class SourceDaysTest {
  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void hongKongDailySource() throws Exception {
    cli = new CliHarness(dir);
    Path csv = dir.resolve("0700.HK.csv");
    Files.writeString(csv, "Date,Open,High,Low,Close,Adj Close,Volume\n"
        + "2024-03-04,291.0,292.8,286.2,288.8,288.8,100\n"
        + "2024-03-05,289.0,290.0,280.0,281.0,281.0,200\n"
        + "2024-03-06,282.0,285.0,281.0,284.0,284.0,300\n", StandardCharsets.UTF_8);
    Run r = cli.run("import", "csv", csv.toString(), "--source", "hkex", "--symbol", "0700.HK",
        "--timezone", "Asia/Hong_Kong", "--create");
    assertEquals(0, r.code(), r.toString());
  }

  @Test
  void export_selects_the_source_day() {
    Run r = cli.run("export", "--source", "hkex", "--from", "2024-03-05", "--to", "2024-03-05", "--format", "csv");
    assertEquals(0, r.code(), r.toString());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[1].startsWith("0700.HK,2024-03-04T16:00:00Z,281.0000,289.0000,"), lines[1]);
    // an ISO date-time is taken as it is
    r = cli.run("export", "--source", "hkex", "--from", "2024-03-05T00:00:00Z", "--format", "csv");
    assertTrue(r.out().contains("2024-03-05T16:00:00Z") && !r.out().contains("2024-03-04T16:00:00Z"), r.out());
  }

  @Test
  void migrate_and_clean_use_the_source_day() {
    Run r = cli.run("create", "--source", "hkcopy", "--kind", "vendor", "--timeframe", "1Day",
        "--timezone", "Asia/Hong_Kong");
    assertEquals(0, r.code(), r.toString());
    r = cli.run("migrate", "--source", "hkex", "--target", "hkcopy", "--from", "2024-03-05", "--to", "2024-03-05");
    assertEquals(0, r.code(), r.toString());
    r = cli.run("export", "--source", "hkcopy", "--format", "csv");
    assertEquals(2, r.out().strip().split("\n").length, r.out());
    assertTrue(r.out().contains("2024-03-04T16:00:00Z,281.0000"), r.out());
    r = cli.run("clean", "--source", "hkex", "--before", "2024-03-05", "--confirm");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("deleted 1 rows from hkex"), r.out()); // only 4 March (Hong Kong)
  }

  @Test
  void compare_refuses_plain_dates_across_zones_and_takes_date_times() {
    Run r = cli.run("create", "--source", "nyse", "--kind", "vendor", "--timeframe", "1Day");
    assertEquals(0, r.code(), r.toString());
    r = cli.run("compare", "--source", "hkex", "--target", "nyse", "--from", "2024-03-05");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("hkex keeps its days in Asia/Hong_Kong and nyse in America/New_York"), r.err());
    r = cli.run("compare", "--source", "hkex", "--target", "nyse", "--from", "2024-03-05T00:00:00Z");
    assertTrue(r.code() == 0 || r.code() == 3, r.toString());
  }
}
