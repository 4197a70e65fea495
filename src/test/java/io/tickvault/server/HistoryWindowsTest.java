package io.tickvault.server;

import static io.tickvault.server.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.synthetic.SyntheticGenerator;
import io.tickvault.store.BarStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of history is read in windows cut at local midnights (DataService.history): the pages of a
 * range hold exactly the candles of one query over the whole range, across daylight-saving changes,
 * including a zone whose clocks change at midnight.
 */
class HistoryWindowsTest {
  @TempDir
  Path dir;

  @Test
  void paged_history_is_exactly_one_query_over_the_range_in_every_width_and_zone() throws Exception {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString()), dir);
    try (Workspace workspace = new Workspace(settings)) {
      BarStore prod = workspace.production();
      // New York: clocks change at 02:00 on 2025-03-09; Santiago: at midnight on 2025-04-06 (24:00 -> 23:00)
      // and 2025-09-07 (00:00 -> 01:00)
      write(prod, "ny", "America/New_York", LocalDate.parse("2025-02-25"), LocalDate.parse("2025-03-20"));
      write(prod, "cl", "America/Santiago", LocalDate.parse("2025-03-28"), LocalDate.parse("2025-04-14"));
      write(prod, "cl2", "America/Santiago", LocalDate.parse("2025-08-30"), LocalDate.parse("2025-09-14"));
      try (ApiServer server = ApiServer.start(workspace, Clock.systemUTC(), "127.0.0.1", 0)) {
        ApiClient api = new ApiClient(server.url());
        for (String source : List.of("ny", "cl", "cl2")) {
          for (String interval : List.of("1m", "5m", "1h", "1d")) {
            String path = "/api/market-data/history/X?source=" + source + "&interval=" + interval
                + "&from=2025-01-01&to=2025-12-31";
            List<JsonNode> whole = pages(api, path + "&limit=1000000");
            assertEquals(1, whole.size(), "one page: one query over the range");
            List<JsonNode> expected = candles(whole);
            assertTrue(expected.size() > 10, source + " " + interval + ": " + expected.size());
            int[] limits = switch (interval) {
              case "1m" -> new int[] {997, 5000};
              case "5m" -> new int[] {97, 1000};
              case "1h" -> new int[] {7, 100};
              default -> new int[] {1, 7};
            };
            for (int limit : limits) {
              List<JsonNode> paged = pages(api, path + "&limit=" + limit);
              assertEquals(expected, candles(paged), source + " " + interval + " in pages of " + limit);
              assertEquals((expected.size() + limit - 1) / limit, paged.size(),
                  source + " " + interval + ": every page but the last is full");
            }
            // an open end and an open start page the same way
            String open = "/api/market-data/history/X?source=" + source + "&interval=" + interval;
            assertEquals(candles(pages(api, open + "&limit=1000000")), candles(pages(api, open + "&limit=1000")),
                source + " " + interval + " without from and to");
          }
        }
      }
    }
  }

  @Test
  void pages_at_the_source_own_width_are_one_query_over_the_range_wherever_a_page_ends_in_the_day()
      throws Exception {
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, dir.resolve("prod.db").toString()), dir);
    try (Workspace workspace = new Workspace(settings)) {
      BarStore prod = workspace.production();
      // session bars only (nights and weekends empty): 390 a weekday at 1m, 78 at 5m, one at 1d; a page's
      // window then ends at the midnight after its last bar, so the limits put that bar (and the next
      // page's first) at the end of a day, at the start of the next, and just either side
      write(prod, "m1", "America/New_York", Timeframe.MIN_1, LocalDate.parse("2025-03-03"),
          LocalDate.parse("2025-03-18"));
      write(prod, "m5", "America/New_York", Timeframe.MIN_5, LocalDate.parse("2025-03-03"),
          LocalDate.parse("2025-03-18"));
      write(prod, "d1", "America/New_York", Timeframe.DAY_1, LocalDate.parse("2024-11-01"),
          LocalDate.parse("2025-04-30"));
      Map<String, int[]> limits = Map.of("m1", new int[] {389, 390, 391, 779, 780, 781, 3900},
          "m5", new int[] {1, 77, 78, 79, 155, 156}, "d1", new int[] {1, 2, 5, 21, 100});
      try (ApiServer server = ApiServer.start(workspace, Clock.systemUTC(), "127.0.0.1", 0)) {
        ApiClient api = new ApiClient(server.url());
        for (String source : List.of("m1", "m5", "d1")) {
          for (String range : List.of("&from=2024-01-01&to=2025-12-31", "&from=2025-03-05T15:07:00Z",
              "&from=2025-03-04&to=2025-03-11T20:00:00Z")) {
            String path = "/api/market-data/history/X?source=" + source + range;
            List<JsonNode> whole = pages(api, path + "&limit=1000000");
            assertEquals(1, whole.size());
            List<JsonNode> expected = candles(whole);
            assertTrue(expected.size() > 5, source + range + ": " + expected.size());
            for (int limit : limits.get(source)) {
              List<JsonNode> paged = pages(api, path + "&limit=" + limit);
              assertEquals(expected, candles(paged), source + range + " in pages of " + limit);
              assertEquals((expected.size() + limit - 1) / limit, paged.size(),
                  source + range + " in pages of " + limit + ": every page but the last is full");
              for (int i = 0; i + 1 < paged.size(); i++) {
                assertEquals(paged.get(i + 1).at("/data/0/time").asText(), paged.get(i).at("/metadata/nextCursor").asText(),
                    "the next page starts at the cursor");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void a_window_ends_at_a_local_midnight_clear_of_clock_changes_or_at_the_end_of_the_range() {
    ZoneId ny = ZoneId.of("America/New_York");
    Instant start = Instant.parse("2025-03-01T15:00:00Z");
    Instant to = Instant.parse("2025-12-31T00:00:00Z");
    // 1 day later is 2025-03-02 10:00 New York: the window ends at the next local midnight
    assertEquals(Instant.parse("2025-03-03T05:00:00Z"), DataService.windowEnd(start, Duration.ofHours(19), ny, to));
    // a cut near 2025-03-09 (clocks change at 02:00) moves past the change (offset -4 after it)
    assertEquals(Instant.parse("2025-03-11T04:00:00Z"), DataService.windowEnd(start, Duration.ofDays(7), ny, to));
    assertEquals(to, DataService.windowEnd(start, Duration.ofDays(400), ny, to), "a window past the end is cut there");
    assertEquals(to, DataService.windowEnd(start, Duration.ofDays(3650000), ny, to), "no overflow for a huge window");
    assertEquals(Instant.parse("2025-03-05T00:00:00Z"),
        DataService.windowEnd(Instant.parse("2025-03-03T00:00:00Z"), Duration.ofHours(30), ZoneId.of("UTC"), to));
  }

  private static void write(BarStore prod, String source, String zone, LocalDate from, LocalDate to) {
    SourceName name = SourceName.of(source);
    prod.createSource(name, SourceKind.GENERATED, "windows", Timeframe.MIN_1, ZoneId.of(zone));
    prod.write(name, Timeframe.MIN_1, new SyntheticGenerator(7).bars(Symbol.of("X"), from, to, Timeframe.MIN_1, true,
        SourceName.SYNTHETIC));
  }

  /** Session bars only (none at night or at weekends) of {@code width}. */
  private static void write(BarStore prod, String source, String zone, Timeframe width, LocalDate from,
      LocalDate to) {
    SourceName name = SourceName.of(source);
    prod.createSource(name, SourceKind.GENERATED, "windows", width, ZoneId.of(zone));
    prod.write(name, width, new SyntheticGenerator(7).bars(Symbol.of("X"), from, to, width, false,
        SourceName.SYNTHETIC));
  }

  /** Every page of a history request, following {@code metadata.next} from {@code first}. */
  static List<JsonNode> pages(ApiClient api, String first) {
    List<JsonNode> out = new ArrayList<>();
    String next = first;
    while (next != null) {
      HttpResponse<String> r = api.get(next);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = json(r);
      out.add(body);
      JsonNode n = body.at("/metadata/next");
      next = n.isNull() ? null : n.asText();
    }
    return out;
  }

  /** The candles of the pages, in order. */
  static List<JsonNode> candles(List<JsonNode> pages) {
    List<JsonNode> out = new ArrayList<>();
    pages.forEach(p -> p.get("data").forEach(out::add));
    return out;
  }
}
