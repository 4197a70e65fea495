package io.tickvault.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.cli.CliHarness;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.cli.Json;
import io.tickvault.config.Settings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real S&P 500 daily file (2000-01-03..2020-04-17, see sp500-2000.NOTICE.md) imports through the
 * command line and validates against the NYSE calendar with no missing session and no bar on a closed
 * day: twenty years of holidays, 9/11, Reagan, Ford, Hurricane Sandy and G. H. W. Bush included.
 */
class SP500ValidateTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void importsAndValidatesWithNoMissingSession() throws Exception {
    Path csv = dir.resolve("sp500-2000.csv");
    try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("sp500-2000.csv.gz"))) {
      Files.copy(in, csv);
    }
    CliHarness cli = new CliHarness(dir).env(Settings.DATABASE_URL, dir.resolve("t.db").toString());
    Run imp = cli.run("import", "csv", csv.toString(), "--source", "sp500", "--symbol", "SPX", "--create");
    assertEquals(0, imp.code(), imp.toString());
    Run v = cli.run("validate", "--source", "sp500", "--format", "json", "--max-listed", "1000");
    JsonNode doc = Json.MAPPER.readTree(v.out());
    JsonNode spx = doc.get("symbols").get(0);
    assertEquals(5105, spx.get("rows").asLong());
    assertEquals("1Day", doc.get("width").asText());
    assertEquals(0, spx.get("missingSessions").asLong(), v.out());
    assertEquals(0, spx.get("counts").get("non-session-bar").asLong(), v.out());
    assertEquals(0, spx.get("errors").asLong(), v.out());
    assertEquals(5105, spx.get("sessions").asLong(), "every bar is on a session and every session has a bar");
    assertEquals(0, v.code(), v.toString());
    Run text = cli.run("validate", "--source", "sp500");
    assertTrue(text.out().contains("SPX"), text.out());
  }
}
