package io.tickvault.mirror;

import io.tickvault.domain.Timeframe;
import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.Sqlite3Shell;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksum recipe documented in docs/mirror.md: the sqlite3 shell's output of the documented
 * query, hashed with SHA-256, equals the checksum tickvault recorded for the chunk (NULLs included).
 */
class ChecksumReproducibleTest {
  /** The query of docs/mirror.md, for AAPL on 2025-01-15 in the synthetic source. */
  static final String DOC_QUERY = "SELECT symbol||'|'||timestamp||'|'||price||'|'||ifnull(open_price,'')||'|'||"
      + "ifnull(high_price,'')||'|'||ifnull(low_price,'')||'|'||ifnull(close_price,'')||'|'||volume||'|'||"
      + "trade_count||'|'||ifnull(vwap,'')||'|'||origin FROM price_ticks_synthetic WHERE symbol = 'AAPL' "
      + "AND timestamp >= 1736899200000000 AND timestamp < 1736985600000000 ORDER BY timestamp;";

  @TempDir
  Path dir;

  @Test
  void the_documented_sqlite3_recipe_reproduces_the_recorded_checksum() throws Exception {
    SourceName syn = SourceName.SYNTHETIC;
    MirrorService mirror = new MirrorService(dir.resolve("mirror.db"), Clock.systemUTC());
    try (BarStore p = Stores.open(dir.resolve("production.db").toString())) {
      p.createSource(syn, SourceKind.GENERATED, "x");
      List<Bar> bars = new ArrayList<>(minutes("AAPL", "2025-01-15T14:30:00Z", 50, syn));
      bars.add(new Bar(Symbol.of("AAPL"), Instant.parse("2025-01-15T20:00:00Z"), new BigDecimal("0.0001"),
          null, null, null, null, 0, 0, null, SourceName.ALPACA));
      p.write(syn, Timeframe.MIN_1, bars.iterator());
      mirror.sync(p, SyncOptions.INCREMENTAL);
    }
    String out = Sqlite3Shell.run(mirror.file(), DOC_QUERY);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(out.getBytes(StandardCharsets.US_ASCII)));
    String recorded = Sqlite3Shell.run(mirror.file(), "SELECT sha256 FROM tickvault_chunks WHERE source = "
        + "'synthetic' AND symbol = 'AAPL' AND day = 20103;").strip();
    assertEquals(recorded, sha);
    assertEquals(51, out.lines().count());
  }
}
