package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.ingest.stream.CollectorStatus;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.testing.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in real headless Chromium: a bar written to production appears on an open
 * chart without a reload; the view's state is in the URL; the OHLCV readout follows the cursor; the
 * symbol search selects; the Live indicator turns amber with the collector's reason; and in mirror
 * mode with {@code --simulate-live} a hollow, labelled simulated candle follows the last synced bar.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LiveDashboardBrowserTest {
  private static final SourceName A = SourceName.ALPACA;

  @TempDir
  static Path dir;
  static Browser browser;

  @BeforeAll
  static void startBrowser() {
    browser = new Browser();
  }

  @AfterAll
  static void stopBrowser() {
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

  private static Workspace workspace(String name, String mode) {
    return new Workspace(Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve(name + ".db").toString(),
        Settings.MIRROR, dir.resolve(name + "-mirror.db").toString(), Settings.DATA_MODE, mode), dir));
  }

  private static void fill(BarStore prod) {
    prod.createSource(A, SourceKind.VENDOR, "Alpaca");
    prod.write(A, io.tickvault.domain.Timeframe.MIN_1, LiveFeedTest.minutes("AAPL", 30, 40).iterator());
    prod.write(A, io.tickvault.domain.Timeframe.MIN_1, LiveFeedTest.minutes("MSFT", 30, 35).iterator());
  }

  @Test
  void aBarWrittenToProductionAppearsOnTheOpenChartWithoutAReload() {
    TestClock clock = TestClock.at("2026-11-20T14:45:00Z");
    try (Workspace ws = workspace("live", "live")) {
      BarStore prod = ws.production();
      fill(prod);
      try (ApiServer server = ApiServer.start(ws, clock, "127.0.0.1", 0, false, Duration.ofMillis(300))) {
        browser.driver.get(server.url() + "?source=alpaca&symbol=AAPL&range=1D&interval=1m");
        waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
        assertEquals("11", byId("chart").getAttribute("data-count"));
        assertTrue(byId("chart-title").getText().startsWith("AAPL · alpaca · 1m"), byId("chart-title").getText());
        waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-live", "on"));
        browser.driver.executeScript("window.__sameDocument = 'yes';");

        prod.write(A, io.tickvault.domain.Timeframe.MIN_1, LiveFeedTest.minutes("AAPL", 41, 42).iterator());
        waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-last-time", "2026-11-20T14:42:00.000Z"));
        assertEquals("13", byId("chart").getAttribute("data-count"));
        assertEquals("yes", browser.driver.executeScript("return window.__sameDocument;"), "no reload");
        String url = (String) browser.driver.executeScript("return window.location.search;");
        assertEquals("?source=alpaca&symbol=AAPL&range=1D&interval=1m", url, "the view is in the URL");

        // OHLCV readout under the cursor
        WebElement chart = byId("chart");
        new Actions(browser.driver).moveToElement(chart, chart.getSize().getWidth() / 4, 0).perform();
        waiting().until(d -> byId("ohlcv").getText().contains(" O 100."));
        assertTrue(byId("ohlcv").getText().matches(".*America/New_York +O [0-9.]+ +H [0-9.]+ +L [0-9.]+ +C [0-9.]+ +V [0-9,]+.*"),
            byId("ohlcv").getText());
        browser.screenshot("dashboard-live-update.png");

        // symbol search
        WebElement search = byId("symbol-search");
        search.sendKeys("msft", Keys.ENTER);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-title"), "MSFT · alpaca"));
        waiting().until(d -> ((String) browser.driver.executeScript("return window.location.search;"))
            .contains("symbol=MSFT"));
        assertFalse(byId("error").isDisplayed(), byId("error").getText());
      }
    }
  }

  @Test
  void liveIndicatorTurnsAmberWithTheCollectorsReason() {
    Instant now = Instant.parse("2026-11-20T14:45:00Z");
    try (Workspace ws = workspace("amber", "live")) {
      BarStore prod = ws.production();
      fill(prod);
      new CollectorStatus(A, "Alpaca", "iex", List.of("AAPL"), "streaming", null, 7, "box", 1, now, now, now,
          Map.of("AAPL", Instant.parse("2026-11-20T14:30:00Z")), 0, 1, 0, Duration.ZERO).publish(prod);
      try (ApiServer server = ApiServer.start(ws, Clock.fixed(now, java.time.ZoneOffset.UTC), "127.0.0.1", 0)) {
        browser.driver.get(server.url() + "?source=alpaca");
        waiting().until(ExpectedConditions.attributeContains(By.id("data-source-indicator"), "class", "lagging"));
        assertEquals("Live Data (collector lagging)", byId("data-source-indicator").getText().replaceAll("^\\W+", ""));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("data-source-details"),
            "min old during the regular session"));
        browser.screenshot("dashboard-live-lagging.png");
      }
    }
  }

  @Test
  void simulatedCandleIsDrawnHollowAndLabelledInTheMirror() {
    try (Workspace ws = workspace("sim", "mirror")) {
      try (BarStore prod = io.tickvault.store.Stores.open(dir.resolve("sim.db").toString())) {
        fill(prod);
        new MirrorService(dir.resolve("sim-mirror.db"), Clock.systemUTC()).sync(prod, SyncOptions.INCREMENTAL);
      }
      try (ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0, true, Duration.ofSeconds(1))) {
        browser.driver.get(server.url() + "?source=alpaca&symbol=AAPL&range=1D&interval=1m");
        waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-simulated", "2026-11-20T14:41:00Z"));
        assertEquals("11", byId("chart").getAttribute("data-count"), "the simulated candle is not one of the data");
        assertTrue(byId("chart-status").getText().contains("simulated candle at 2026-11-20 14:41"),
            byId("chart-status").getText());
        assertEquals("off", byId("chart").getAttribute("data-live"), "no live updates from a mirror");
        browser.screenshot("dashboard-simulated.png");
      }
    }
  }
}
