/**
 * Bars leaving and coming back: export (CSV, JSON Lines, Parquet), restoring a Parquet file into a
 * source, and retention with archival. Depends on {@code domain}, {@code store} (Parquet files
 * through {@link io.tickvault.store.parquet.ParquetBars}) and {@code source} (the mixing rules).
 */
package io.tickvault.archive;
