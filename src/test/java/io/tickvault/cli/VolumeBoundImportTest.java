package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 must-fix 7: a volume no candle could sum is refused by {@code import csv}, naming the line and field. */
class VolumeBoundImportTest {
  @TempDir
  Path dir;

  @Test
  void a_bigint_max_volume_is_refused_naming_the_line_and_nothing_is_imported() throws Exception {
    Files.write(dir.resolve("v.csv"), List.of("symbol,timestamp,open,high,low,close,volume",
        "AAPL,2024-01-02T14:30:00Z,10,11,9,10.5,100",
        "AAPL,2024-01-02T14:31:00Z,10,11,9,10.5,9223372036854775807",
        "AAPL,2024-01-02T14:32:00Z,10,11,9,10.5,100000000000000"));
    CliHarness cli = new CliHarness(dir);
    Run r = cli.run("import", "csv", "v.csv", "--source", "mine", "--create");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().startsWith("tickvault: v.csv line 3: volume 9223372036854775807 is above the largest volume "
        + "of a bar, 100000000000000"), r.err());
    assertTrue(r.err().contains("nothing was imported"), r.err());
    Run skip = cli.run("import", "csv", "v.csv", "--source", "mine", "--create", "--skip-bad-rows");
    assertEquals(0, skip.code(), skip.toString());
    assertTrue(skip.out().contains("imported 2 rows"), skip.out() + skip.err());
  }
}
