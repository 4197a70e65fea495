package io.tickvault.ingest.csv;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * What a CSV import did.
 *
 * @param target the source written into
 * @param layout the layout recognised from the header
 * @param ignoredColumns header columns tickvault does not use (e.g. {@code Adj Close})
 * @param zone the zone used for dates and date-times without a zone
 * @param rows distinct (symbol, timestamp) keys written, as stored (0 for a header-only file)
 * @param lines lines read, header included
 * @param symbols the distinct symbols written
 * @param first earliest bar written, null when none
 * @param last latest bar written, null when none
 * @param skipped the first {@value CsvBarReader#MAX_LISTED} bad lines skipped with {@code --skip-bad-rows}
 * @param skippedCount every bad line skipped
 * @param otherSymbolRows rows of other symbols than {@code --symbol}, left out
 * @param roundedPrices values rounded to 4 decimal places: vwaps with more decimals (any layout) and prices
 *     of the Yahoo layout
 * @param written what the write did: added, replaced with different values, unchanged, repeated keys,
 *     bars kept with open/close/vwap outside [low, high] ({@link WriteResult#NONE} when nothing was written)
 * @param repeatedLines the first repeated timestamps as sentences naming the lines
 * @param createdSource whether the import created the target source
 * @param elapsed wall time
 * @param width the bar width written (null when nothing was)
 * @param widthHow how the width was found: given by --timeframe, inferred from the timestamps, or
 *     the source's width
 *
 * <p>Immutable and thread-safe.
 */
public record CsvImportReport(SourceName target, CsvLayout layout, List<String> ignoredColumns, ZoneId zone, long rows,
    long lines, List<Symbol> symbols, Instant first, Instant last, List<BadLine> skipped, long skippedCount,
    long otherSymbolRows, long roundedPrices, WriteResult written, List<String> repeatedLines, boolean createdSource,
    Duration elapsed, io.tickvault.domain.Timeframe width, String widthHow) {

  public CsvImportReport {
    repeatedLines = List.copyOf(repeatedLines);
    ignoredColumns = List.copyOf(ignoredColumns);
    symbols = List.copyOf(symbols);
    skipped = List.copyOf(skipped);
  }

  /** A line that was skipped, and why. */
  public record BadLine(long line, String reason) { }

  /** Rows per second over the import (0 when no time elapsed). */
  public long rowsPerSecond() {
    long ms = elapsed.toMillis();
    return ms <= 0 ? 0 : Math.round(rows * 1000.0 / ms);
  }
}
