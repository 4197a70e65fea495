package io.tickvault.server;

import io.tickvault.domain.Timeframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceName;
import io.tickvault.testing.Bars;
import io.tickvault.mirror.MirrorService;
import io.tickvault.mirror.SyncOptions;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * The dashboard in real headless Chromium against a real server, a real production store filled
 * with the demo data, and real mirror files. Screenshots go to {@code target/dashboard-*.png}.
 */
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
    Map<String, String> env = new java.util.HashMap<>();
    env.put(Settings.DATABASE_URL, production.toString());
    env.put(Settings.MIRROR, dir.resolve("mirror.db").toString());
    env.putAll(more);
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
      assertFalse(byId("mirror-left-out").isDisplayed(), "no mirror selection note in live mode");
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
  void mirror_mode_warns_when_stale_and_sync_now_brings_it_up_to_date() {
    // a production of its own, synced eight days ago, then changed (one more bar)
    Path prod2 = dir.resolve("prod-for-mirror.db");
    Path mirror = dir.resolve("mirror-stale.db");
    Map<String, String> env = Map.of(Settings.DATABASE_URL, prod2.toString(), Settings.MIRROR, mirror.toString());
    try (Workspace ws = new Workspace(settings(env))) {
      DemoSetup.prepare(ws, line -> {});
    }
    Instant eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).minus(Duration.ofHours(1));
    try (BarStore prod = Stores.open(prod2.toString())) {
      // the mirror keeps to synthetic; production also has mock, which the status says
      prod.createSource(SourceName.MOCK, io.tickvault.domain.SourceKind.GENERATED, "generated");
      prod.write(SourceName.MOCK, Timeframe.MIN_1, List.of(Bars.bar("SPY", "2025-01-06T14:30:00Z", "500.0000", SourceName.MOCK))
          .iterator());
      new MirrorService(mirror, Clock.fixed(eightDaysAgo, ZoneOffset.UTC)).sync(prod,
          new SyncOptions(java.util.Set.of(SourceName.SYNTHETIC), null, false, false));
      prod.write(SourceName.SYNTHETIC, Timeframe.MIN_1, List.of(Bars.bar("AAPL", "2025-02-03T14:30:00Z", "277.0000", "279.0000",
          "276.5000", "278.2500", 50_000, SourceName.SYNTHETIC)).iterator());
    }
    Map<String, String> mirrorMode = new java.util.HashMap<>(env);
    mirrorMode.put(Settings.DATA_MODE, "mirror");
    try (Workspace ws = new Workspace(settings(mirrorMode));
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      openAndWaitForChart(server.url());
      WebElement indicator = byId("data-source-indicator");
      assertEquals("Historical Data (last sync: 8 days ago)", indicator.getText());
      assertTrue(indicator.getAttribute("class").contains("stale"), "warning style: " + indicator.getAttribute("class"));
      assertTrue(byId("chart-title").getText().contains("Historical Mirror (8 days old)"), byId("chart-title").getText());
      assertTrue(byId("data-source-details").getText().contains("stale after 7d"), byId("data-source-details").getText());
      WebElement syncNow = byId("sync-now");
      assertTrue(syncNow.isDisplayed(), "a stale mirror offers Sync now");
      String leftOut = "Not in this mirror: production has 1 source outside this mirror's selection: mock; add it "
          + "with --sources all";
      assertEquals(leftOut, byId("mirror-left-out").getText());
      browser.screenshot("dashboard-mirror-stale.png");

      syncNow.click();
      waiting().until(ExpectedConditions.textToBe(By.id("data-source-indicator"), "Historical Data (last sync: 0 days ago)"));
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-title"),
          "Historical Mirror (0 days old)"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
      assertTrue(byId("data-source-indicator").getAttribute("class").contains("mirror"));
      assertFalse(byId("data-source-indicator").getAttribute("class").contains("stale"));
      assertFalse(byId("sync-now").isDisplayed(), "no Sync now once fresh");
      assertTrue(byId("sync-status").getText().startsWith("Synced: 1 added, 0 changed, 0 deleted"),
          byId("sync-status").getText());
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("market-summary"), "278.25"));
      assertFalse(byId("error").isDisplayed(), byId("error").getText());
      assertEquals(leftOut, byId("mirror-left-out").getText(), "every sync keeps the selection and says so");
      browser.screenshot("dashboard-mirror-synced.png");
    }
  }

  @Test
  void a_hong_kong_daily_series_is_drawn_on_its_own_dates_and_a_minute_source_is_labelled_1m() {
    Path prod = dir.resolve("prod-hk.db");
    java.time.ZoneId hk = java.time.ZoneId.of("Asia/Hong_Kong");
    SourceName hkex = SourceName.of("hkex");
    try (BarStore p = Stores.open(prod.toString())) {
      p.createSource(hkex, io.tickvault.domain.SourceKind.VENDOR, "HKEX daily", Timeframe.DAY_1, hk);
      List<io.tickvault.domain.Bar> bars = new java.util.ArrayList<>();
      String[] days = {"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"};
      for (int i = 0; i < days.length; i++) {
        String c = (60 + i) + ".0000";
        bars.add(Bars.bar("0005.HK", java.time.LocalDate.parse(days[i]).atStartOfDay(hk).toInstant().toString(), c,
            (61 + i) + ".0000", (59 + i) + ".0000", c, 1_000_000L + i, hkex));
      }
      p.write(hkex, Timeframe.DAY_1, bars.iterator());
      p.createSource(SourceName.SYNTHETIC, io.tickvault.domain.SourceKind.GENERATED, null);
      p.write(SourceName.SYNTHETIC, Timeframe.MIN_1, io.tickvault.testing.Bars.minutes("AAPL", "2025-01-15T14:30:00Z",
          30, SourceName.SYNTHETIC).iterator());
    }
    Map<String, String> env = Map.of(Settings.DATABASE_URL, prod.toString(), Settings.DATA_SOURCE, "hkex");
    try (Workspace ws = new Workspace(settings(env));
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      openAndWaitForChart(server.url());
      WebElement chart = byId("chart");
      // the series is charted on the Hong Kong dates, not one day early in UTC
      assertEquals("2024-03-04 00:00", chart.getAttribute("data-first"));
      assertEquals("2024-03-08 00:00", chart.getAttribute("data-last"));
      assertEquals("1d", chart.getAttribute("data-interval"));
      String title = byId("chart-title").getText();
      assertTrue(title.contains("0005.HK · hkex · 1d") && title.contains("1Day bars")
          && title.contains("times in Asia/Hong_Kong"), title);
      assertTrue(byId("chart-status").getText().startsWith("5 1d candles from 2024-03-04 00:00 to 2024-03-08 00:00 "
          + "(Asia/Hong_Kong)"), byId("chart-status").getText());
      String summary = byId("market-summary").getText();
      assertTrue(summary.contains("2024-03-08") && summary.contains("As of (Asia/Hong_Kong)"), summary);
      String sources = byId("sources-table").getText();
      assertTrue(sources.contains("1Day") && sources.contains("Asia/Hong_Kong"), sources);
      assertFalse(byId("error").isDisplayed(), byId("error").getText());
      // intervals finer than the source's bars cannot be picked
      assertFalse(browser.driver.findElement(By.cssSelector("#interval option[value='5m']")).isEnabled());
      Path shot = browser.screenshot("dashboard-hong-kong-daily.png");
      assertTrue(Files.isRegularFile(shot));

      // the switch to UTC: the same candles start the evening before, and the page says so
      new org.openqa.selenium.support.ui.Select(byId("time-zone")).selectByValue("utc");
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-zone", "UTC"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
      assertEquals("2024-03-03 16:00", byId("chart").getAttribute("data-first"));
      assertTrue(byId("chart-title").getText().contains("times in UTC"), byId("chart-title").getText());
      browser.screenshot("dashboard-hong-kong-daily-utc.png");

      // a minute source: its candles are labelled 1m, with its width
      new org.openqa.selenium.support.ui.Select(byId("time-zone")).selectByValue("source");
      // the switch reloads everything (the source list too): wait for it before picking another source
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-zone", "Asia/Hong_Kong"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
      new org.openqa.selenium.support.ui.Select(byId("source")).selectByValue("synthetic");
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-title"), "AAPL · synthetic"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
      browser.driver.findElement(By.cssSelector("#ranges button[data-range='1D']")).click();
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-title"),
          "AAPL · synthetic · 1m"));
      waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-count", "30"));
      assertTrue(byId("chart-title").getText().contains("1Min bars · times in America/New_York"),
          byId("chart-title").getText());
      assertEquals("2025-01-15 09:30", byId("chart").getAttribute("data-first"), "New York time");
      browser.screenshot("dashboard-minute-source.png");
    }
  }

  @Test
  void errors_from_the_api_are_shown_to_the_user() {
    try (Workspace ws = new Workspace(settings(Map.of(Settings.DATA_SOURCE, "nosuch")));
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      browser.driver.get(server.url());
      waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
      waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"),
          "Market summary: no source 'nosuch'"));
      assertEquals("failed", byId("chart").getAttribute("data-state"));
      assertEquals("Live Data", byId("data-source-indicator").getText());
    }
  }
}
