package io.tickvault.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.cli.CliHarness;
import io.tickvault.cli.CliHarness.Run;
import io.tickvault.cli.ExitCodes;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.Bars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickvault retention set|show|apply} as a black box on the embedded store (bars of 2024, real clock). */
class RetentionCommandTest {
  @TempDir
  Path dir;

  CliHarness cli;
  String db;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    db = dir.resolve("data/tickvault.db").toString();
    try (BarStore s = Stores.open(db)) {
      s.createSource(SourceName.TEST, SourceKind.GENERATED, "t", Timeframe.MIN_1, null);
      s.write(SourceName.TEST, Timeframe.MIN_1, Bars.minutes("AAPL", "2024-01-02T14:30:00Z", 30, SourceName.TEST)
          .iterator());
      s.write(SourceName.TEST, Timeframe.MIN_1, Bars.minutes("MSFT", "2024-02-02T14:30:00Z", 20, SourceName.TEST)
          .iterator());
      s.createSource(SourceName.ALPACA, SourceKind.VENDOR, "a", Timeframe.MIN_1, null);
      s.write(SourceName.ALPACA, Timeframe.MIN_1, Bars.minutes("AAPL", "2024-01-02T14:30:00Z", 7, SourceName.ALPACA)
          .iterator());
    }
  }

  long rows(SourceName n) {
    try (BarStore s = Stores.open(db)) {
      return s.stats(n, BarFilter.ALL).rows();
    }
  }

  @Test
  void set_show_dry_run_apply_with_archive() {
    Run set = cli.run("retention", "set", "--source", "test", "--keep", "30d", "--archive");
    assertEquals(0, set.code(), set.toString());
    assertTrue(set.out().startsWith("retention of test: keep 30d, archive to Parquet first; bars before "), set.out());
    Run show = cli.run("retention", "show");
    assertTrue(show.out().contains("test") && show.out().contains("30d") && show.out().contains("forever"),
        show.out());
    Run dry = cli.run("retention", "apply", "--dry-run");
    assertEquals(0, dry.code(), dry.toString());
    assertTrue(dry.out().contains("test: keep 30d, 50 rows before"), dry.out());
    assertTrue(dry.out().matches("(?s).*test +AAPL +30 +2024-01-02 14:30Z +2024-01-02 14:59Z.*"), dry.out());
    assertTrue(dry.out().matches("(?s).*test +MSFT +20 .*"), dry.out());
    assertTrue(dry.out().endsWith("dry run: nothing was changed\n"), dry.out());
    assertEquals(50, rows(SourceName.TEST));
    Run apply = cli.run("retention", "apply");
    assertEquals(0, apply.code(), apply.toString());
    assertTrue(apply.out().contains("archived test 2024-01 to data/archive/test/2024-01.parquet (30 rows, sha256 "),
        apply.out());
    assertTrue(apply.out().contains("archived test 2024-02 to data/archive/test/2024-02.parquet (20 rows"), apply.out());
    assertTrue(apply.out().contains("deleted 50 rows from test"), apply.out());
    assertEquals(0, rows(SourceName.TEST));
    assertTrue(Files.isRegularFile(dir.resolve("data/archive/test/MANIFEST.json")));
    Run restore = cli.run("import", "parquet", "data/archive/test/2024-01.parquet", "--source", "test");
    assertEquals(0, restore.code(), restore.toString());
    assertEquals(30, rows(SourceName.TEST));
  }

  @Test
  void the_mirror_is_refused_before_any_archive_is_written() {
    assertEquals(0, cli.run("retention", "set", "--source", "test", "--keep", "30d", "--archive").code());
    assertEquals(0, cli.run("sync", "--sources", "all").code());
    Run r = cli.run("retention", "apply", "--mode", "mirror");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("the mirror is read-only"), r.err());
    assertTrue(!Files.exists(dir.resolve("data/archive")), "no archive written for a refused run");
  }

  @Test
  void real_data_needs_confirm_the_first_time() {
    assertEquals(0, cli.run("retention", "set", "--source", "alpaca", "--keep", "1y").code());
    Run r = cli.run("retention", "apply");
    assertEquals(ExitCodes.USAGE, r.code(), r.toString());
    assertTrue(r.out().contains("alpaca: keep 1y, 7 rows before") && r.out().contains("(needs --confirm"), r.out());
    assertTrue(r.err().contains("rerun with --confirm. Nothing was changed"), r.err());
    assertEquals(7, rows(SourceName.ALPACA));
    Run ok = cli.run("retention", "apply", "--confirm");
    assertEquals(0, ok.code(), ok.toString());
    assertEquals(0, rows(SourceName.ALPACA));
    assertTrue(cli.run("retention", "show", "--format", "json").out().contains("\"confirmed\" : true"));
    Run bad = cli.run("retention", "set", "--source", "alpaca", "--keep", "30 days");
    assertEquals(ExitCodes.USAGE, bad.code());
    assertTrue(bad.err().contains("invalid --keep '30 days'"), bad.err());
  }
}
