package io.tickvault.server;

import static io.tickvault.server.HistoryWindowsTest.candles;
import static io.tickvault.server.HistoryWindowsTest.pages;
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
import io.tickvault.store.Partitioning;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History over a source partitioned by month answers exactly what the same bars in one table answer:
 * the same bars written into both, every width, pages that end on either side of a month's end (the
 * key walk and the windows read through the parent across partitions).
 */
class PostgresPartitionedHistoryTest {
  @TempDir
  Path dir;

  private String url;

  @AfterEach
  void dropDatabase() {
    TestPostgres.dropDatabase(url);
  }

  @Test
  void a_partitioned_source_pages_exactly_as_one_table_does() throws Exception {
    url = TestPostgres.newDatabase();
    Settings settings = Settings.load(Map.of(Settings.DATABASE_URL, url), dir);
    try (Workspace workspace = new Workspace(settings)) {
      BarStore prod = workspace.production();
      for (String source : List.of("plain", "parted")) {
        SourceName name = SourceName.of(source);
        prod.createSource(name, SourceKind.GENERATED, "history", Timeframe.MIN_1, ZoneId.of("America/New_York"),
            "parted".equals(source) ? Partitioning.MONTHLY : Partitioning.NONE);
        // session bars of three months: the last bar of February is 2025-02-28 20:59Z, of March 2025-03-31 19:59Z
        prod.write(name, Timeframe.MIN_1, new SyntheticGenerator(7).bars(Symbol.of("X"), LocalDate.parse("2025-02-24"),
            LocalDate.parse("2025-04-04"), Timeframe.MIN_1, false, SourceName.SYNTHETIC));
      }
      assertEquals(Partitioning.MONTHLY, prod.partitioning(SourceName.of("parted")));
      try (ApiServer server = ApiServer.start(workspace, Clock.systemUTC(), "127.0.0.1", 0)) {
        ApiClient api = new ApiClient(server.url());
        for (String interval : List.of("1m", "5m", "1h", "1d")) {
          String range = "&interval=" + interval + "&from=2025-01-01&to=2025-12-31";
          List<JsonNode> expected = candles(pages(api, "/api/market-data/history/X?source=plain" + range
              + "&limit=1000000"));
          assertTrue(expected.size() > 25, interval + ": " + expected.size());
          int[] limits = switch (interval) {
            case "1m" -> new int[] {389, 390, 391, 1950, 100000};
            case "5m" -> new int[] {77, 78, 79, 390};
            case "1h" -> new int[] {7, 8, 40};
            default -> new int[] {1, 5, 20};
          };
          for (int limit : limits) {
            List<JsonNode> paged = pages(api, "/api/market-data/history/X?source=parted" + range + "&limit=" + limit);
            assertEquals(expected, candles(paged), interval + " in pages of " + limit);
            assertEquals((expected.size() + limit - 1) / limit, paged.size(), interval + " in pages of " + limit);
          }
        }
      }
    }
  }
}
