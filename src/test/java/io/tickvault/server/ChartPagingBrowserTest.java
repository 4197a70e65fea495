package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarStore;
import io.tickvault.testing.Bars;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 10 §6 in real headless Chromium against a real server and SQLite store: the chart pages
 * through the history API ({@code metadata.next}) until every candle is loaded; switching to a
 * source without data clears the chart and says so; {@code ?source=} in the URL opens that source.
 */
class ChartPagingBrowserTest {
  static final SourceName LONG = SourceName.of("long");
  static final int LONG_BARS = 60_001; // a page of 50,000 and one of 10,001

  @TempDir
  static Path dir;
  static Browser browser;
  static Workspace workspace;
  static ApiServer server;

  @BeforeAll
  static void start() {
    browser = new Browser();
    workspace = new Workspace(Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString()), dir));
    BarStore prod = workspace.production();
    prod.createSource(LONG, SourceKind.VENDOR, "a long minute series", Timeframe.MIN_1, ZoneId.of("UTC"));
    prod.write(LONG, Timeframe.MIN_1, Bars.minutes("LONG", "2025-01-01T00:00:00Z", LONG_BARS, LONG).iterator());
    prod.createSource(SourceName.SYNTHETIC, SourceKind.GENERATED, "generated");
    prod.write(SourceName.SYNTHETIC, Timeframe.MIN_1, Fixtures.bars().iterator());
    prod.createSource(SourceName.of("polygon"), SourceKind.VENDOR, "real data from Polygon");
    // a source where one symbol holds volumes no candle can sum (written past the gate, by plain SQL)
    SourceName bad = SourceName.of("bad");
    prod.createSource(bad, SourceKind.VENDOR, "bad volumes", Timeframe.MIN_1, ZoneId.of("UTC"));
    prod.write(bad, Timeframe.MIN_1, Bars.minutes("OK", "2025-01-16T14:30:00Z", 3, bad).iterator());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("prod.db"));
         java.sql.Statement st = c.createStatement()) {
      for (int minute = 30; minute < 33; minute++) {
        st.executeUpdate("INSERT INTO price_ticks_bad (symbol, \"timestamp\", price, volume, trade_count, origin) "
            + "VALUES ('HUGE', " + Instant.parse("2025-01-16T14:" + minute + ":00Z").toEpochMilli() * 1000
            + ", 100000, " + Long.MAX_VALUE + ", 1, 'bad')");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    server = ApiServer.start(workspace, Clock.fixed(Instant.parse("2025-03-01T00:00:00Z"), ZoneOffset.UTC),
        "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (workspace != null) {
      workspace.close();
    }
    if (browser != null) {
      browser.close();
    }
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(90));
  }

  WebElement byId(String id) {
    return browser.driver.findElement(By.id(id));
  }

  @Test
  void the_chart_pages_through_the_history_until_every_candle_is_loaded() {
    browser.driver.get(server.url() + "?source=long&symbol=LONG&range=ALL&interval=1m");
    waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
    WebElement chart = byId("chart");
    assertEquals("2", chart.getAttribute("data-pages"), byId("chart-status").getText());
    assertEquals(String.valueOf(LONG_BARS), chart.getAttribute("data-count"));
    assertEquals(String.valueOf(LONG_BARS), chart.getAttribute("data-drawn"), "what the chart library holds");
    assertEquals("false", chart.getAttribute("data-more"));
    assertEquals("2025-01-01 00:00", chart.getAttribute("data-first"));
    assertEquals("2025-02-11 16:00", chart.getAttribute("data-last"), "60,000 minutes after the first");
    assertTrue(byId("chart-status").getText().startsWith("60,001 1m candles from 2025-01-01 00:00 to 2025-02-11 16:00 "
        + "(UTC) in 2 pages"), byId("chart-status").getText());
    assertEquals("long", new Select(byId("source")).getFirstSelectedOption().getAttribute("value"),
        "?source= in the URL picks the source");
    browser.screenshot("dashboard-paged.png");
  }

  @Test
  void switching_to_a_source_without_data_clears_the_chart_and_says_so() {
    browser.driver.get(server.url() + "?source=synthetic&symbol=AAPL&range=ALL");
    waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
    assertFalse("0".equals(byId("chart").getAttribute("data-drawn")), "AAPL's candles are drawn");
    new Select(byId("source")).selectByValue("polygon");
    waiting().until(ExpectedConditions.textToBe(By.id("chart-title"), "No data in source polygon: it has no symbols yet"));
    assertEquals("empty", byId("chart").getAttribute("data-state"));
    WebElement chart = byId("chart");
    assertEquals("0", chart.getAttribute("data-drawn"), "no candle of the previous source stays on the chart");
    assertEquals("No data in source polygon: it has no symbols yet", byId("chart-title").getText());
    assertEquals("No data in source polygon: it has no symbols yet",
        chart.findElement(By.className("empty-note")).getText());
    assertTrue(byId("chart-status").getText().contains("source polygon holds no bars"), byId("chart-status").getText());
    waiting().until(ExpectedConditions.urlContains("source=polygon"));
    browser.screenshot("dashboard-empty-source.png");
    // and back: the chart comes back
    new Select(byId("source")).selectByValue("synthetic");
    waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
    assertFalse("0".equals(byId("chart").getAttribute("data-drawn")));
    assertTrue(byId("chart").findElements(By.className("empty-note")).isEmpty());
  }

  @Test
  void a_symbol_whose_volumes_cannot_be_summed_is_named_and_the_others_are_shown() {
    browser.driver.get(server.url() + "?source=bad");
    waiting().until(ExpectedConditions.attributeToBe(By.id("chart"), "data-state", "rendered"));
    assertTrue(byId("chart-title").getText().startsWith("OK · bad"), byId("chart-title").getText());
    String summary = byId("market-summary").getText();
    assertTrue(summary.contains("OK") && !summary.contains("HUGE"), summary);
    assertTrue(byId("error").isDisplayed());
    assertTrue(byId("error").getText().startsWith("Market summary of 1 symbol: HUGE: the volumes of HUGE in source bad "
        + "sum beyond"), byId("error").getText());
    browser.screenshot("dashboard-summary-error.png");
  }

  @Test
  void a_deep_link_to_a_source_without_data_opens_it_empty() {
    browser.driver.get(server.url() + "?source=polygon");
    // the page starts with data-state "empty": wait for the title only clearing the chart writes
    waiting().until(ExpectedConditions.textToBe(By.id("chart-title"), "No data in source polygon: it has no symbols yet"));
    assertEquals("empty", byId("chart").getAttribute("data-state"));
    assertEquals("0", byId("chart").getAttribute("data-drawn"));
    assertEquals("polygon", new Select(byId("source")).getFirstSelectedOption().getAttribute("value"));
    assertEquals("No data in source polygon: it has no symbols yet", byId("chart-title").getText());
  }
}
