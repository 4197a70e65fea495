package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The quality view (coverage heat map, a day's chart and findings) and the A/B backtest panel in real
 * headless Chromium, on the demo data (synthetic minute bars, which do not know exchange holidays) and
 * a second source holding the same AAPL bars with one close changed. Also POST /api/backtest's guard.
 */
class QualityViewsBrowserTest {
  static final Instant CHANGED = Instant.parse("2025-01-15T15:00:00Z");
  @TempDir
  static Path dir;
  static Browser browser;

  @BeforeAll
  static void fill() {
    browser = new Browser();
    try (Workspace ws = new Workspace(settings())) {
      DemoSetup.prepare(ws, line -> {});
      BarStore prod = ws.production();
      prod.createSource(SourceName.of("replay"), SourceKind.GENERATED, "AAPL again, one close changed");
      List<Bar> copy = new ArrayList<>();
      prod.read(SourceName.SYNTHETIC, BarFilter.of(Symbol.of("AAPL")), b -> {
        if (b.timestamp().equals(CHANGED)) {
          BigDecimal c = b.price().add(BigDecimal.ONE);
          copy.add(new Bar(b.symbol(), b.timestamp(), c, b.open(), b.high().add(BigDecimal.ONE), b.low(), c,
              b.volume(), b.tradeCount(), b.vwap(), b.origin()));
        } else {
          copy.add(b);
        }
      });
      prod.write(SourceName.of("replay"), copy.iterator());
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  static Settings settings() {
    return Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString(), Settings.MIRROR,
        dir.resolve("mirror.db").toString()), dir);
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(60));
  }

  WebElement byId(String id) {
    return browser.driver.findElement(By.id(id));
  }

  @Test
  void coverageHeatMapShowsHolidaysWithBarsAndADayOpensItsChartAndFindings() {
    try (Workspace ws = new Workspace(settings());
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      browser.driver.get(server.url());
      waiting().until(ExpectedConditions.attributeToBe(By.id("coverage"), "data-state", "rendered"));
      assertEquals("26", byId("coverage").getAttribute("data-days"), "2025-01-06..2025-01-31");
      WebElement carter = browser.driver.findElement(By.cssSelector("#coverage [data-day='2025-01-09']"));
      assertEquals("holiday", carter.getAttribute("data-kind"));
      assertTrue(carter.getAttribute("class").contains("cov-offday-bars"), carter.getAttribute("class"));
      assertTrue(carter.getAttribute("title").contains("Jimmy Carter"), carter.getAttribute("title"));
      WebElement full = browser.driver.findElement(By.cssSelector("#coverage [data-day='2025-01-08']"));
      assertTrue(full.getAttribute("class").contains("cov-full"), full.getAttribute("class"));
      assertEquals("390", full.getAttribute("data-expected"));
      WebElement weekend = browser.driver.findElement(By.cssSelector("#coverage [data-day='2025-01-11']"));
      assertTrue(weekend.getAttribute("class").contains("cov-weekend"), weekend.getAttribute("class"));
      assertTrue(byId("quality-summary").getText().contains("AAPL"), byId("quality-summary").getText());

      carter.click();
      waiting().until(ExpectedConditions.attributeToBe(By.id("quality-day-chart"), "data-state", "rendered"));
      assertEquals("390", byId("quality-day-chart").getAttribute("data-count"));
      String findings = byId("quality-findings").getText();
      assertTrue(findings.contains("non-session-bar") && findings.contains("Jimmy Carter"), findings);
      assertFalse(findings.contains("2025-01-08"), "only that day's findings: " + findings);
      browser.screenshot("dashboard-quality.png");
    }
  }

  @Test
  void abBacktestDrawsTwoEquityCurvesTradesMetricsAndLineage() {
    try (Workspace ws = new Workspace(settings());
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      browser.driver.get(server.url());
      waiting().until(ExpectedConditions.textToBe(By.id("bt-symbol"), "AAPL"));
      waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#bt-compare option[value='replay']")));
      new org.openqa.selenium.support.ui.Select(byId("bt-compare")).selectByValue("replay");
      byId("bt-run").click();
      waiting().until(ExpectedConditions.attributeToBe(By.id("bt-equity"), "data-state", "rendered"));
      assertEquals("2", byId("bt-equity").getAttribute("data-series"));
      assertTrue(Integer.parseInt(byId("bt-price").getAttribute("data-markers")) > 0, "trades are marked");
      assertFalse(byId("bt-equity").findElements(By.tagName("canvas")).isEmpty());
      String metrics = byId("bt-metrics").getText();
      assertTrue(metrics.contains("synthetic") && metrics.contains("replay") && metrics.contains("B - A")
          && metrics.contains("total return") && metrics.contains("max drawdown"), metrics);
      String lineage = byId("bt-lineage").getText();
      assertTrue(lineage.contains("generated") && lineage.contains("1Min"), lineage);
      assertTrue(byId("bt-compare-summary").getText().contains("1 differ"), byId("bt-compare-summary").getText());
      browser.screenshot("dashboard-backtest.png");
    }
  }

  @Test
  void backtestApiAnswersTheCliJsonAndRefusesOtherOrigins() throws Exception {
    try (Workspace ws = new Workspace(settings());
         ApiServer server = ApiServer.start(ws, Clock.systemUTC(), "127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      String body = "{\"symbol\": \"AAPL\", \"strategy\": \"buy-and-hold\", \"compareWith\": \"replay\"}";
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/backtest"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
      JsonNode doc = ApiJson.MAPPER.readTree(ok.body());
      assertEquals("buy-and-hold", doc.get("request").get("strategy").asText());
      assertEquals(64, doc.get("runs").get(0).get("data").get("digest").asText().length());
      assertEquals(1, doc.get("compare").get("differingBars").asLong());
      assertEquals(CHANGED, Instant.parse(doc.get("compare").get("bars").get(0).get("time").asText()));

      HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/backtest"))
          .header("Content-Type", "application/json").header("Origin", "http://evil.example")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, foreign.statusCode(), foreign.body());
      assertTrue(foreign.body().contains("backtest refused"), foreign.body());

      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/backtest"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"symbol\": \"AAPL\", \"strategy\": \"moon\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode(), bad.body());

      HttpResponse<String> quality = http.send(HttpRequest.newBuilder(URI.create(server.url()
          + "api/quality?symbol=AAPL&from=2025-01-06&to=2025-01-10")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, quality.statusCode(), quality.body());
      JsonNode q = ApiJson.MAPPER.readTree(quality.body());
      assertEquals(5, q.get("days").size());
      assertEquals(1, q.get("symbols").get(0).get("counts").get("non-session-bar").asLong());
    }
  }
}
