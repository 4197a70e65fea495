package io.tickvault.server;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.store.RunOwner;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sources table's Health column in real headless Chromium, with the server's clock fixed at
 * Monday 2026-11-30 22:30 New York: a source with Monday's bars is fresh (green), one with Friday's
 * only is late (amber), one whose last run failed or whose running run's process is gone is red,
 * an empty one grey; hovering a cell shows the reason.
 */
class SourceHealthBrowserTest {
  private static final Instant MONDAY_NIGHT = Instant.parse("2026-12-01T03:30:00Z");
  @TempDir
  static Path dir;
  static Browser browser;

  @BeforeAll
  static void fill() throws Exception {
    browser = new Browser();
    Path prod = dir.resolve("prod.db");
    long gone;
    try (BarStore p = Stores.open(prod.toString())) {
      for (String name : new String[] {"fresh", "late", "failed", "gone"}) {
        SourceName n = SourceName.of(name);
        p.createSource(n, SourceKind.VENDOR, null, Timeframe.MIN_1, null);
        p.write(n, Timeframe.MIN_1, minutes("AAPL", name.equals("late") ? "2026-11-27T14:30:00Z"
            : "2026-11-30T14:30:00Z", 30, n).iterator());
      }
      p.createSource(SourceName.of("empty"), SourceKind.VENDOR, null);
      long failed = p.startIngest(SourceName.of("failed"), "failed", null, "AAPL", TimeRange.ALL);
      p.finishIngest(failed, 0, io.tickvault.store.IngestStatus.FAILED, "HTTP 500 from the vendor");
      gone = p.startIngest(SourceName.of("gone"), "gone", null, "AAPL", TimeRange.ALL);
    }
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    String start = dead.info().startInstant().map(Instant::toString).orElse("2000-01-01T00:00:00Z");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + prod); Statement s = c.createStatement()) {
      s.execute("UPDATE tickvault_ingest_log SET owner = 'pid=" + dead.pid() + ";host=" + RunOwner.host() + ";start="
          + start + "' WHERE id = " + gone);
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(60));
  }

  @Test
  void theHealthColumnColoursEachStateAndNamesTheReasonOnHover() {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(),
        Settings.DATA_SOURCE, "fresh"), dir);
    try (Workspace ws = new Workspace(settings);
         ApiServer server = ApiServer.start(ws, Clock.fixed(MONDAY_NIGHT, ZoneOffset.UTC), "127.0.0.1", 0)) {
      browser.driver.get(server.url());
      waiting().until(ExpectedConditions.attributeToBe(By.id("sources-table"), "data-health", "alert"));
      Map<String, String> colours = new LinkedHashMap<>();
      Map<String, WebElement> cells = new LinkedHashMap<>();
      for (String name : new String[] {"fresh", "late", "failed", "gone", "empty"}) {
        WebElement td = browser.driver.findElement(By.cssSelector("#sources-table tr[data-source='" + name
            + "'] td.health"));
        cells.put(name, td);
        colours.put(name, td.getCssValue("color"));
      }
      assertEquals("fresh", cells.get("fresh").getText());
      assertEquals("late", cells.get("late").getText());
      assertEquals("failed", cells.get("failed").getText());
      assertEquals("abandoned", cells.get("gone").getText());
      assertEquals("empty", cells.get("empty").getText());
      // app.css: --live #1f9d55, --stale #c77d00, --down #ef5350, --muted #8a96a6
      assertEquals("rgba(31, 157, 85, 1)", colours.get("fresh"));
      assertEquals("rgba(199, 125, 0, 1)", colours.get("late"));
      assertEquals("rgba(239, 83, 80, 1)", colours.get("failed"));
      assertEquals("rgba(239, 83, 80, 1)", colours.get("gone"));
      assertEquals("rgba(138, 150, 166, 1)", colours.get("empty"));

      new Actions(browser.driver).moveToElement(cells.get("late")).perform();
      String late = cells.get("late").getAttribute("title");
      assertTrue(late.startsWith("late: newest bar 2026-11-27 14:59Z, expected a bar of the last completed session, "
          + "mon 2026-11-30"), late);
      assertTrue(cells.get("failed").getAttribute("title").contains("HTTP 500 from the vendor"),
          cells.get("failed").getAttribute("title"));
      assertTrue(cells.get("gone").getAttribute("title").contains("killed or crashed"),
          cells.get("gone").getAttribute("title"));
      assertTrue(cells.get("fresh").getAttribute("title").startsWith("fresh: newest bar 2026-11-30 14:59Z"),
          cells.get("fresh").getAttribute("title"));
      ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
          "document.getElementById('sources-table').scrollIntoView()");
      browser.screenshot("dashboard-source-health.png");
    }
  }
}
