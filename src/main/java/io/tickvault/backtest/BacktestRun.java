package io.tickvault.backtest;

import io.tickvault.backtest.DataDigest.ChunkSum;
import io.tickvault.store.OriginCount;
import java.time.Instant;
import java.util.List;

/**
 * One strategy run on one source: the metrics, the trades, the equity after each bar, and the
 * lineage and digest of the data it ran on.
 */
public record BacktestRun(BacktestRequest request, Engine.Metrics metrics, List<Engine.Trade> trades,
    List<Instant> times, List<java.math.BigDecimal> closes, List<java.math.BigDecimal> equity, Lineage lineage,
    String digest, List<ChunkSum> chunks) {

  /** Where the data came from. {@code mirror} is null outside mirror mode. */
  public record Lineage(String source, String kind, String width, String zone, String widthFrom, String mode,
      List<OriginCount> origins, Instant first, Instant last, long rows, long points, MirrorSync mirror) {}

  /** The mirror's last sync, as the mirror records it. */
  public record MirrorSync(Instant lastSyncAt, String production, String productionStoreId, Instant dataThrough,
      Instant sourceSyncedAt) {}
}
