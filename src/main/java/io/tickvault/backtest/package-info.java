/**
 * {@code tickvault backtest}: a small exact engine of our own (whole shares, decimal cash, trades at
 * the close of the signal bar) running long-only strategies ({@link io.tickvault.backtest.Strategy})
 * on one source's bars, with the lineage of the data it ran on and a data digest (SHA-256 of the
 * chunk checksums of the bars used, in the mirror's canonical encoding) that {@code --check} can
 * recompute later. {@link io.tickvault.backtest.BacktestService} is the front door. Depends on
 * {@code domain}, {@code calendar}, {@code store}, {@code mirror} (ChunkDigest, lineage) and
 * {@code quality} (SourceShape); no SQL.
 */
package io.tickvault.backtest;
