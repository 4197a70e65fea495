package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness.Run;
import io.tickvault.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create --partition monthly} from the command line: refused with a reason where it cannot
 * hold (SQLite, a typo, no source), and on PostgreSQL the whole workflow on a partitioned source:
 * ingest across months, list, sync, retention that archives and drops months, verify.
 */
@Timeout(240)
class PartitionCommandTest {
  @TempDir
  Path dir;

  private String url;

  @AfterEach
  void dropDatabase() {
    TestPostgres.dropDatabase(url);
  }

  private static List<String> partitions(String url) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
             + "WHERE i.inhparent = 'price_ticks_big'::regclass ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void partitioning_is_refused_with_a_reason_where_it_cannot_hold() {
    CliHarness cli = new CliHarness(dir);
    Run lite = cli.run("create", "--source", "big", "--partition", "monthly");
    assertEquals(ExitCodes.USAGE, lite.code(), lite.toString());
    assertTrue(lite.err().contains("partitioning needs a PostgreSQL store"), lite.err());
    Run list = cli.run("list");
    assertFalse(list.out().contains("big "), "nothing created: " + list.out());
    Run typo = cli.run("create", "--source", "big", "--partition", "montly");
    assertEquals(ExitCodes.USAGE, typo.code(), typo.toString());
    assertTrue(typo.err().contains("invalid --partition 'montly': use monthly (PostgreSQL only) or none"), typo.err());
    Run alone = cli.run("create", "--partition", "monthly");
    assertEquals(ExitCodes.USAGE, alone.code(), alone.toString());
    assertTrue(alone.err().contains("--partition need --source") || alone.err().contains("need --source"), alone.err());
  }

  @Test
  void a_partitioned_source_goes_through_the_whole_workflow() throws Exception {
    url = TestPostgres.newDatabase();
    CliHarness cli = new CliHarness(dir).env("TICKVAULT_DATABASE_URL", url);
    Run create = cli.run("create", "--source", "big", "--kind", "generated", "--timeframe", "1Min", "--partition",
        "monthly");
    assertEquals(0, create.code(), create.toString());
    assertTrue(create.out().contains("ready: big (generated, table price_ticks_big partitioned by month, 1Min bars"),
        create.out());
    Run again = cli.run("create", "--source", "big", "--partition", "monthly");
    assertEquals(0, again.code(), "idempotent: " + again);
    Run ingest = cli.run("ingest", "synthetic", "--into", "big", "--symbols", "AAPL,MSFT", "--from", "2024-01-29",
        "--to", "2024-03-01", "--timeframe", "1Min");
    assertEquals(0, ingest.code(), ingest.toString());
    assertEquals(List.of("tvpart_big_202401", "tvpart_big_202402", "tvpart_big_202403"), partitions(url));
    Run list = cli.run("list");
    assertTrue(list.out().contains("partitioned by month: big"), list.out());
    Run json = cli.run("list", "--format", "json");
    assertTrue(json.out().matches("(?s).*\"source\" : \"big\".*\"partitioning\" : \"monthly\".*"), json.out());
    Run plain = cli.run("create", "--source", "plain", "--kind", "generated");
    assertEquals(0, plain.code(), plain.toString());
    Run refused = cli.run("create", "--source", "plain", "--partition", "monthly");
    assertEquals(ExitCodes.USAGE, refused.code(), refused.toString());
    assertTrue(refused.err().contains("cannot be partitioned in place"), refused.err());
    Run sync = cli.run("sync", "--mirror", "m.db");
    assertEquals(0, sync.code(), sync.toString());
    // retention archives each month and drops its partition, then the mirror follows
    assertEquals(0, cli.run("retention", "set", "--source", "big", "--keep", "1y", "--archive").code());
    Run apply = cli.run("retention", "apply");
    assertEquals(0, apply.code(), apply.toString());
    assertTrue(apply.out().contains("archived big 2024-02 to data/archive/big/2024-02.parquet"), apply.out());
    assertEquals(List.of(), partitions(url), "every month archived and dropped");
    assertTrue(Files.isRegularFile(dir.resolve("data/archive/big/2024-03.parquet")));
    Run sync2 = cli.run("sync", "--mirror", "m.db");
    assertEquals(0, sync2.code(), sync2.toString());
    Run verify = cli.run("verify", "--mirror", "m.db");
    assertEquals(0, verify.code(), verify.toString());
    Run after = cli.run("list", "--mirror", "m.db", "--mode", "mirror");
    assertTrue(after.out().matches("(?s).*big +generated .* empty .*"), after.out());
    // restoring a month brings its partition back
    Run restore = cli.run("import", "parquet", "data/archive/big/2024-02.parquet", "--source", "big");
    assertEquals(0, restore.code(), restore.toString());
    assertEquals(List.of("tvpart_big_202402"), partitions(url));
  }
}
