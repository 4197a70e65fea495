package io.tickvault.archive;

import io.tickvault.domain.Bar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * One bar as a line of CSV or JSON Lines. The columns are the store's ({@link
 * io.tickvault.store.parquet.ParquetBars#COLUMNS}): {@code import csv} reads the CSV back (it
 * ignores {@code price} and {@code origin}; {@code import parquet} keeps the origin). Prices are
 * written with their 4 decimals exactly as stored ({@code 185.1200}), timestamps as UTC ISO-8601
 * ({@code 2025-01-15T14:30:00Z}). Nothing in a bar needs CSV quoting or JSON escaping: symbols and
 * origins are validated names. Not thread-safe.
 */
final class BarText {
  static final String CSV_HEADER = String.join(",", io.tickvault.store.parquet.ParquetBars.COLUMNS);

  private final Writer out;
  private final ExportFormat format;
  private final StringBuilder line = new StringBuilder(160);

  BarText(Writer out, ExportFormat format) {
    if (format == ExportFormat.parquet) {
      throw new IllegalArgumentException("Parquet is not a text format");
    }
    this.out = out;
    this.format = format;
  }

  void header() {
    if (format == ExportFormat.csv) {
      emit(CSV_HEADER);
    }
  }

  void write(Bar b) {
    line.setLength(0);
    if (format == ExportFormat.csv) {
      line.append(b.symbol().value()).append(',').append(b.timestamp()).append(',');
      csv(b.price()).append(',');
      csv(b.open()).append(',');
      csv(b.high()).append(',');
      csv(b.low()).append(',');
      csv(b.close()).append(',').append(b.volume()).append(',').append(b.tradeCount()).append(',');
      csv(b.vwap()).append(',').append(b.origin().value());
    } else {
      line.append("{\"symbol\":\"").append(b.symbol().value()).append("\",\"timestamp\":\"").append(b.timestamp())
          .append("\",\"price\":");
      json(b.price()).append(",\"open_price\":");
      json(b.open()).append(",\"high_price\":");
      json(b.high()).append(",\"low_price\":");
      json(b.low()).append(",\"close_price\":");
      json(b.close()).append(",\"volume\":").append(b.volume()).append(",\"trade_count\":").append(b.tradeCount())
          .append(",\"vwap\":");
      json(b.vwap()).append(",\"origin\":\"").append(b.origin().value()).append("\"}");
    }
    emit(line);
  }

  private StringBuilder csv(BigDecimal v) {
    return v == null ? line : line.append(v.toPlainString());
  }

  private StringBuilder json(BigDecimal v) {
    return line.append(v == null ? "null" : v.toPlainString());
  }

  private void emit(CharSequence s) {
    try {
      out.append(s).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
