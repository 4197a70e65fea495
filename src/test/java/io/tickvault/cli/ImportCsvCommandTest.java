package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault import csv} as a black box on the embedded default store. */
class ImportCsvCommandTest {
  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
  }

  void write(String name, String... lines) throws Exception {
    Files.write(dir.resolve(name), List.of(lines));
  }

  @Test
  void says_which_layout_it_recognised_and_summarises() throws Exception {
    write("AAPL.csv", "Date,Open,High,Low,Close,Adj Close,Volume",
        "2024-01-02,187.149994,188.440002,183.889999,185.639999,185.152283,82488700",
        "2024-01-03,184.220001,185.880005,183.429993,184.250000,183.769379,58414500");
    Run r = cli.run("import", "csv", "AAPL.csv", "--source", "yahoo", "--symbol", "AAPL", "--create");
    assertEquals(0, r.code(), r.toString());
    String[] lines = r.out().split("\n");
    assertEquals("created source yahoo (kind vendor, table price_ticks_yahoo)", lines[0]);
    lines = java.util.Arrays.copyOfRange(lines, 1, lines.length);
    assertEquals("layout: Yahoo (Date,Open,High,Low,Close,Adj Close,Volume); ignored columns: Adj Close; times "
        + "without a zone read as America/New_York", lines[0]);
    assertTrue(lines[1].matches("imported 2 rows of 1 symbol \\(AAPL\\) into yahoo \\(created\\), 2024-01-02 05:00Z "
        + "\\.\\. 2024-01-03 05:00Z, in [0-9.]+ s \\([0-9,]+ rows/s\\)"), lines[1]);
    assertTrue(r.err().contains("rounded 7 values to 4 decimal places"), r.err());
    Run l = cli.run("list");
    assertTrue(l.out().contains("yahoo") && l.out().contains("vendor"), l.out());
  }

  @Test
  void a_bad_line_exits_2_naming_the_line_and_skip_bad_rows_lists_them() throws Exception {
    write("b.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL,2024-01-02T14:30:00Z,10,11,9,10.5,100",
        "AAPL,2024-01-02T14:31:00Z,10,11,9,abc,100", "AAPL,2024-01-02T14:32:00Z,10,11,9,10.5,100");
    Run r = cli.run("import", "csv", "b.csv", "--source", "mine", "--create");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertEquals("tickvault: b.csv line 3: close 'abc' is not a number; nothing was imported (fix the line, or add "
        + "--skip-bad-rows to import the other lines and list the skipped ones)\n", r.err());
    Run s = cli.run("import", "csv", "b.csv", "--source", "mine", "--skip-bad-rows", "--create");
    assertEquals(0, s.code(), s.toString());
    assertEquals("skipped 1 bad line:\n  line 3: close 'abc' is not a number\n", s.err());
    assertTrue(s.out().contains("imported 2 rows"), s.out());
  }

  @Test
  void json_output_parses() throws Exception {
    write("t.csv", "t,o,h,l,c,v,n,vw", "1704171600000,187.15,188.44,183.885,185.64,8.2488674e+07,1008871,185.9465");
    Run r = cli.run("import", "csv", "t.csv", "--source", "export", "--symbol", "AAPL", "--format", "json", "--create");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertEquals("vendor_export", doc.get("layout").asText());
    assertEquals(1, doc.get("rows").asLong());
    assertEquals("2024-01-02T05:00:00Z", doc.get("first").asText());
  }

  @Test
  void refusals_and_missing_files_are_usage_errors() throws Exception {
    write("t.csv", "symbol,timestamp,open,high,low,close,volume", "AAPL,2024-01-02T14:30:00Z,10,11,9,10.5,100");
    Run a = cli.run("import", "csv", "t.csv", "--source", "alpaca");
    assertEquals(ExitCodes.USAGE, a.code());
    assertTrue(a.err().contains("refused: alpaca holds only bars downloaded from Alpaca"), a.err());
    Run m = cli.run("import", "csv", "nope.csv", "--source", "mine");
    assertEquals(ExitCodes.USAGE, m.code());
    assertTrue(m.err().contains("cannot import 'nope.csv': no such file"), m.err());
    Run z = cli.run("import", "csv", "t.csv", "--source", "mine", "--timezone", "Mars/Olympus", "--create");
    assertEquals(ExitCodes.USAGE, z.code());
    assertTrue(z.err().contains("invalid --timezone 'Mars/Olympus'"), z.err());
    write("h.csv", "symbol,timestamp,open,high,low,close,volume");
    Run h = cli.run("import", "csv", "h.csv", "--source", "mine", "--create");
    assertEquals(0, h.code(), h.toString());
    assertTrue(h.out().contains("nothing imported: h.csv has no rows after the header"), h.out());
  }
}
