package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

/** The dashboard in real headless Chromium against a real server and real stores. */
class DashboardBrowserTest {
  @TempDir
  static Path dir;
  static Browser browser;
  static Path production;

  @BeforeAll
  static void startBrowserAndFillProduction() {
    browser = new Browser();
    production = dir.resolve("prod.db");
    try (Workspace ws = new Workspace(settings(Map.of()))) {
      DemoSetup.prepare(ws, line -> {});
    }
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  static Settings settings(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put(Settings.DATABASE_URL, production.toString());
    env.put(Settings.MIRROR, dir.resolve("mirror.db").toString());
    return Settings.load(env, dir);
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(60));
  }

  WebElement byId(String id) {
    return browser.driver.findElement(By.id(id));
  }

  /** Opens the dashboard and waits until the chart has drawn its candles. */
  void openAndWaitForChart(String url) {
    browser.driver.get(url);
    waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
  }

  @Test
  void live_mode_shows_live_data_the_tables_and_a_candlestick_chart() {
    try (Workspace ws = new Workspace(settings(Map.of()));
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      openAndWaitForChart(server.url());
      WebElement indicator = byId("data-source-indicator");
      assertEquals("Live Data", indicator.getText());
      assertTrue(indicator.getAttribute("class").contains("live"), indicator.getAttribute("class"));
      assertFalse(byId("sync-now").isDisplayed(), "no Sync now in live mode");
      WebElement chart = byId("chart");
      assertTrue(Integer.parseInt(chart.getAttribute("data-count")) > 100, chart.getAttribute("data-count"));
      assertFalse(chart.findElements(By.tagName("canvas")).isEmpty(), "the chart draws on canvases");
      assertTrue(byId("chart-title").getText().contains("AAPL · synthetic · 5m · Live Production Data"),
          byId("chart-title").getText());
      List<WebElement> summary = browser.driver.findElements(By.cssSelector("#market-summary tbody tr"));
      assertEquals(DemoSetup.SYMBOLS.size(), summary.size());
      String sources = byId("sources-table").getText();
      assertTrue(sources.contains("synthetic (default)") && sources.contains("has data"), sources);
      assertFalse(byId("error").isDisplayed(), byId("error").getText());

      // another symbol and range: the chart follows
      summary.get(summary.size() - 1).click(); // XOM
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-title"), "XOM"));
      browser.driver.findElement(By.cssSelector("#ranges button[data-range='1D']")).click();
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-title"), "XOM · synthetic · 1m"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-count", "390"));
      Path shot = browser.screenshot("dashboard-live.png");
      assertTrue(Files.isRegularFile(shot));
    }
  }

  @Test
  void errors_from_the_api_are_shown_to_the_user() {
    try (Workspace ws = new Workspace(settings(Map.of(Settings.DATA_SOURCE, "nosuch")));
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      browser.driver.get(server.url());
      waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"),
          "Market summary: unknown source 'nosuch'"));
      assertEquals("failed", byId("chart").getAttribute("data-state"));
      assertEquals("Live Data", byId("data-source-indicator").getText());
    }
  }
}
