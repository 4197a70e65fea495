package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness.Run;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 §5: a CLI that never guesses on the user's behalf. Black box on real SQLite files. */
@Timeout(120)
class NoGuessingTest {
  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
  }

  private Run ok(String... args) {
    Run r = cli.run(args);
    assertEquals(0, r.code(), r.toString());
    return r;
  }

  private Run refused(int code, String... args) {
    Run r = cli.run(args);
    assertEquals(code, r.code(), String.join(" ", args) + "\n" + r);
    return r;
  }

  /** A CSV of {@code n} minute bars of AAPL and MSFT from 2025-01-15 14:30Z with prices times {@code factor}. */
  private Path csv(String name, int n, String factor) throws Exception {
    List<String> lines = new ArrayList<>(List.of("symbol,timestamp,open,high,low,close,volume"));
    Instant t0 = Instant.parse("2025-01-15T14:30:00Z");
    BigDecimal f = new BigDecimal(factor);
    for (String sym : List.of("AAPL", "MSFT")) {
      for (int i = 0; i < n; i++) {
        BigDecimal c = new BigDecimal("100.0000").add(new BigDecimal(i).movePointLeft(2));
        lines.add(sym + "," + t0.plusSeconds(60L * i) + "," + c.multiply(f).toPlainString() + ","
            + c.add(BigDecimal.ONE).multiply(f).toPlainString() + "," + c.subtract(BigDecimal.ONE).multiply(f)
            .toPlainString() + "," + c.multiply(f).toPlainString() + "," + (1000 + i));
      }
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  @Test
  void an_unknown_source_gets_did_you_mean_in_every_command_and_never_advice_to_create_the_typo() throws Exception {
    ok("ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15");
    ok("create");
    csv("a.csv", 3, "1");
    String[][] commands = {
        {"compare", "--source", "synthetc", "--target", "mock"},
        {"compare", "--source", "mock", "--target", "synthetc"},
        {"clean", "--source", "synthetc"},
        {"migrate", "--source", "synthetc", "--target", "mock"},
        {"migrate", "--source", "mock", "--target", "synthetc"},
        {"ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "synthetc"},
        {"import", "csv", "a.csv", "--source", "synthetc"},
        {"sync", "--sources", "synthetc"},
        {"compare", "--source", "Synthetic", "--target", "mock"},
        {"clean", "--source", "SYNTHETC"},
    };
    for (String[] c : commands) {
      Run r = refused(2, c);
      assertTrue(r.err().contains("did you mean 'synthetic'?"), String.join(" ", c) + "\n" + r.err());
      assertFalse(r.err().contains("create --source synthetc") || r.err().contains("vendor source"),
          String.join(" ", c) + "\n" + r.err());
    }
    assertTrue(cli.run(commands[0]).err().startsWith("tickvault: no source 'synthetc' in sqlite:"));
    Run list = ok("list");
    assertFalse(list.out().contains("synthetc"), list.out());
    assertFalse(Files.exists(dir.resolve("data/mirror.db")));
  }

  @Test
  void ingest_into_a_missing_source_does_not_call_it_a_vendor_source() {
    Run r = refused(2, "ingest", "synthetic", "--symbols", "AAPL", "--from", "2025-01-15", "--into", "scenario");
    assertTrue(r.err().contains("no source 'scenario'"), r.err());
    assertTrue(r.err().contains("tickvault create --source scenario --kind generated"), r.err());
    assertFalse(r.err().contains("vendor source"), r.err());
  }

  @Test
  void import_csv_into_a_missing_source_needs_create_and_says_what_it_created() throws Exception {
    csv("a.csv", 3, "1");
    Run none = refused(2, "import", "csv", "a.csv", "--source", "mydata");
    assertTrue(none.err().contains("no store at " + dir.resolve("data/tickvault.db")), none.err());
    assertFalse(Files.exists(dir.resolve("data")), "a refused import created the store");
    Run created = ok("import", "csv", "a.csv", "--source", "mydata", "--create");
    assertTrue(created.out().startsWith("created source mydata (kind vendor, table price_ticks_mydata)\n"),
        created.out());
    Run typo = refused(2, "import", "csv", "a.csv", "--source", "mydat");
    assertTrue(typo.err().contains("no source 'mydat'") && typo.err().contains("did you mean 'mydata'?"), typo.err());
    Run other = refused(2, "import", "csv", "a.csv", "--source", "scenario");
    assertTrue(other.err().contains("add --create"), other.err());
    ok("import", "csv", "a.csv", "--source", "mydata");
    Run gen = ok("import", "csv", "a.csv", "--source", "scenario", "--create", "--kind", "generated");
    assertTrue(gen.out().startsWith("created source scenario (kind generated, "), gen.out());
    Run list = ok("list");
    assertFalse(list.out().contains("mydat "), list.out());
    assertTrue(list.out().matches("(?s).*\\nmydata +vendor +1Min +America/New_York +has data +6 .*"), list.out());
  }

  @Test
  void an_unknown_symbol_is_an_error_and_cleaning_nothing_needs_no_confirm() throws Exception {
    csv("a.csv", 3, "1");
    ok("import", "csv", "a.csv", "--source", "real", "--create");
    ok("import", "csv", "a.csv", "--source", "copy", "--create");
    Run c = refused(2, "compare", "--source", "real", "--target", "copy", "--symbol", "ZZZZ");
    assertTrue(c.err().contains("no symbol 'ZZZZ' in real or copy; symbols there: AAPL, MSFT"), c.err());
    Run near = refused(2, "compare", "--source", "real", "--target", "copy", "--symbol", "APPL");
    assertTrue(near.err().contains("did you mean 'AAPL'?"), near.err());
    Run k = refused(2, "clean", "--source", "real", "--symbol", "ZZZZ", "--confirm");
    assertTrue(k.err().contains("no symbol 'ZZZZ' in real"), k.err());
    Run zero = ok("clean", "--source", "real", "--symbol", "AAPL", "--before", "2000-01-01");
    assertTrue(zero.out().contains("deleted 0 rows from real (no rows matched"), zero.out());
    Run needs = refused(2, "clean", "--source", "real", "--symbol", "AAPL");
    assertTrue(needs.err().contains("would delete 3 rows"), needs.err());
    assertEquals(0, cli.run("compare", "--source", "real", "--target", "copy").code());
  }

  @Test
  void compare_shows_the_differing_fields_and_points_at_a_split() throws Exception {
    csv("full.csv", 10, "1");
    csv("half.csv", 10, "0.5");
    ok("import", "csv", "full.csv", "--source", "unadjusted", "--create");
    ok("import", "csv", "half.csv", "--source", "adjusted", "--create");
    Run r = refused(3, "compare", "--source", "unadjusted", "--target", "adjusted");
    assertTrue(r.out().contains("AAPL: every price in unadjusted is 2 x the price in adjusted on all 10 common bars"),
        r.out());
    assertTrue(r.out().contains("a split adjusted on one side only"), r.out());
    assertTrue(r.out().contains("AAPL: first differing bars (A | B):\n  2025-01-15 14:30Z  open 100.0000 | 50.0000, "
        + "high 101.0000 | 50.5000, low 99.0000 | 49.5000, close 100.0000 | 50.0000\n"), r.out());
    assertTrue(r.out().contains("  ... and 5 more"), r.out());
    JsonNode doc = Json.MAPPER.readTree(refused(3, "compare", "--source", "adjusted", "--target", "unadjusted",
        "--symbol", "MSFT", "--format", "json", "--from", "2025-01-15T14:33:00Z", "--to", "2025-01-15T14:35:00Z")
        .out());
    JsonNode msft = doc.get("symbols").get(0);
    assertEquals("MSFT", msft.get("symbol").asText());
    assertEquals(2, msft.get("common").asLong(), doc.toString());
    assertEquals(0, new BigDecimal("0.5").compareTo(msft.at("/priceRatio/ratio").decimalValue()), doc.toString());
    assertEquals("2025-01-15T14:33:00Z", msft.at("/firstDifferences/0/timestamp").asText());
    assertEquals("50.0150", msft.at("/firstDifferences/0/fields/close/a").asText());
    assertEquals("100.0300", msft.at("/firstDifferences/0/fields/close/b").asText());
  }

  @Test
  void json_numbers_are_plain_decimals_never_exponent_form() throws Exception {
    // a 10:1 split: the ratio is 10, which a BigDecimal without trailing zeros writes as 1E+1
    csv("full.csv", 3, "1");
    csv("tenth.csv", 3, "0.1");
    ok("import", "csv", "full.csv", "--source", "unadjusted", "--create");
    ok("import", "csv", "tenth.csv", "--source", "adjusted", "--create");
    String out = refused(3, "compare", "--source", "unadjusted", "--target", "adjusted", "--symbol", "AAPL",
        "--format", "json").out();
    assertFalse(out.contains("E+"), out);
    assertTrue(out.matches("(?s).*\"ratio\" : 10\\b.*"), out);
    assertEquals(0, BigDecimal.TEN.compareTo(Json.MAPPER.readTree(out).at("/symbols/0/priceRatio/ratio").decimalValue()),
        out);
  }

  @Test
  void a_price_change_that_is_no_constant_multiple_shows_no_ratio() throws Exception {
    csv("a.csv", 4, "1");
    ok("import", "csv", "a.csv", "--source", "one", "--create");
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("a.csv")));
    lines.set(2, lines.get(2).replace(",100.0100,1001", ",100.0200,1001"));
    Files.write(dir.resolve("b.csv"), lines);
    ok("import", "csv", "b.csv", "--source", "two", "--create");
    Run r = refused(3, "compare", "--source", "one", "--target", "two");
    assertFalse(r.out().contains(" x the price in "), r.out());
    assertTrue(r.out().contains("2025-01-15 14:31Z  close 100.0100 | 100.0200\n"), r.out());
  }
}
