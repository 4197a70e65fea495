package io.tickvault.ingest.csv;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.time.ZoneId;

/**
 * How to import a CSV file.
 *
 * @param target the source to import into (never {@code alpaca} or {@code polygon})
 * @param symbol the symbol of every row when the file has no symbol column; with a symbol column,
 *     only rows of this symbol are imported; may be null
 * @param zone zone of dates and date-times written without one; null: the target source's zone
 *     (America/New_York for a source the import creates); when the import creates the source, also
 *     the source's market time zone
 * @param skipBadRows skip and list bad lines instead of refusing the whole import
 * @param kind kind of the target when the import creates it (default vendor); when the target
 *     exists it must match; may be null
 * @param timeframe the bar width of the file; null: inferred from its timestamps
 *
 * <p>Immutable and thread-safe.
 */
public record CsvImportOptions(SourceName target, Symbol symbol, ZoneId zone, boolean skipBadRows, SourceKind kind,
    Timeframe timeframe) {
  /** Default zone for dates without one: the US market's. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/New_York");

  public CsvImportOptions {
    if (target == null) {
      throw new io.tickvault.domain.InvalidInputException("no target source: use --source NAME");
    }
  }

  /** Options with the width inferred from the file. */
  public CsvImportOptions(SourceName target, Symbol symbol, ZoneId zone, boolean skipBadRows, SourceKind kind) {
    this(target, symbol, zone, skipBadRows, kind, null);
  }
}
