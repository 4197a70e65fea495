package io.tickvault.archive;

/** The file formats of {@code tickvault export}. */
public enum ExportFormat {
  /** Comma-separated, a header line, empty cells for missing values. */
  csv,
  /** JSON Lines: one object per bar, prices as exact JSON numbers with 4 decimals. */
  jsonl,
  /** Parquet: DECIMAL(10,4) prices, UTC microsecond timestamps (see {@code ParquetBars}). */
  parquet
}
