/**
 * Bars in Parquet files: the export and archive format (exact {@code DECIMAL(10,4)} prices, UTC
 * microsecond timestamps, each row's origin). Written and read through an in-memory DuckDB, loaded
 * only when a Parquet file is touched, so other commands never load its native library. API:
 * {@link io.tickvault.store.parquet.ParquetBars}. Depends on {@code domain} only (and DuckDB's JDBC
 * driver).
 */
package io.tickvault.store.parquet;
