package io.tickvault.server;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.mirror.MirrorException;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sync monitoring view in real headless Chromium, in mirror mode, over a mirror whose log holds a
 * day of six-hourly attempts made with fixed clocks: 24 h ago (first), 18 h ago, 12 h ago (refused:
 * another production store), 6 h ago. The table lists them, the last failure is named with its
 * reason, the age chart's saw-tooth peaks at 12 hours (the missed sync), and Sync now adds a row.
 */
class SyncMonitoringBrowserTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;
  @TempDir
  static Path dir;
  static Browser browser;

  @BeforeAll
  static void fill() {
    browser = new Browser();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Path prod = dir.resolve("prod.db");
    try (BarStore p = Stores.open(prod.toString()); BarStore other = Stores.open(dir.resolve("other.db").toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
      other.createSource(SYN, SourceKind.GENERATED, "another store");
      other.write(SYN, Timeframe.MIN_1, minutes("MSFT", "2025-01-15T14:30:00Z", 5, SYN).iterator());
      for (int hoursAgo : List.of(24, 18, 12, 6)) {
        p.write(SYN, Timeframe.MIN_1, minutes("AAPL", String.format("2025-01-%02dT14:30:00Z", 10 + hoursAgo / 6), 30, SYN)
            .iterator());
        MirrorService m = new MirrorService(dir.resolve("mirror.db"),
            Clock.fixed(now.minus(Duration.ofHours(hoursAgo)), ZoneOffset.UTC));
        if (hoursAgo == 12) {
          assertThrows(MirrorException.class, () -> m.sync(other, SyncOptions.INCREMENTAL));
        } else {
          m.sync(p, SyncOptions.INCREMENTAL);
        }
      }
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

  WebElement byId(String id) {
    return browser.driver.findElement(By.id(id));
  }

  @Test
  void theLogTheAgeSawToothTheLastFailureAndSyncNow() {
    Settings settings = Settings.load(Map.of(Settings.DATA_MODE, "mirror", Settings.DATABASE_URL,
        dir.resolve("prod.db").toString(), Settings.MIRROR, dir.resolve("mirror.db").toString()), dir);
    try (Workspace ws = new Workspace(settings);
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      browser.driver.get(server.url());
      waiting().until(ExpectedConditions.attributeToBe(By.id("sync-panel"), "data-state", "loaded"));
      List<WebElement> rows = browser.driver.findElements(By.cssSelector("#sync-log tbody tr"));
      assertEquals(4, rows.size());
      assertEquals("false", rows.get(1).getAttribute("data-ok"));
      assertTrue(rows.get(1).getText().contains("failed") && rows.get(1).getText().contains("another production store"),
          rows.get(1).getText());
      assertTrue(rows.get(3).getText().contains("first"), rows.get(3).getText());
      String failure = byId("sync-last-failure").getText();
      assertTrue(failure.startsWith("Last failure: ") && failure.contains("made from another production store"),
          failure);

      WebElement chart = byId("sync-age-chart");
      assertEquals("rendered", chart.getAttribute("data-state"));
      double peak = Double.parseDouble(chart.getAttribute("data-max-age-hours"));
      assertTrue(peak > 11.9 && peak < 12.1, "the missed sync shows as a 12-hour tooth: " + peak);
      assertTrue(Integer.parseInt(chart.getAttribute("data-points")) >= 6, chart.getAttribute("data-points"));
      assertTrue(!chart.findElements(By.tagName("canvas")).isEmpty());
      ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
          "document.getElementById('sync-panel').scrollIntoView()");
      browser.screenshot("dashboard-sync-monitoring.png");

      byId("sync-monitor-now").click();
      waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#sync-log tbody tr"), 5));
      WebElement newest = browser.driver.findElement(By.cssSelector("#sync-log tbody tr"));
      assertEquals("true", newest.getAttribute("data-ok"));
      assertTrue(newest.getText().contains("incremental"), newest.getText());
    }
  }
}
