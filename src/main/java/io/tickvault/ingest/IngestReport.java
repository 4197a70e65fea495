package io.tickvault.ingest;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What a vendor ingest did.
 *
 * @param ingestId the ingest-log row of the run
 * @param target the source written into
 * @param origin the origin of the bars written
 * @param feed the vendor feed, or null
 * @param symbols per symbol: the first day fetched, rows written, first and last bar written (null
 *     when none)
 * @param from the earliest first day over all symbols (null when nothing was fetched)
 * @param to the last day (inclusive)
 * @param rows bars written (a bar re-fetched by the trailing window counts again)
 * @param pages vendor pages written
 * @param requests HTTP requests sent, retries included
 * @param roundedVolumes bars whose fractional volume was rounded to whole shares
 * @param roundedVwaps bars whose vwap had more than 4 decimals and was rounded half-even
 * @param elapsed wall time of the run
 *
 * <p>Immutable and thread-safe.
 */
public record IngestReport(long ingestId, SourceName target, SourceName origin, String feed,
    List<SymbolResult> symbols, LocalDate from, LocalDate to, Timeframe timeframe, long rows, long pages,
    long requests, long roundedVolumes, long roundedVwaps, Duration elapsed) {

  public IngestReport {
    symbols = List.copyOf(symbols);
  }

  /** One symbol's part of the run; {@code from} is null when the symbol was skipped (already up to date). */
  public record SymbolResult(Symbol symbol, LocalDate from, long rows, Instant first, Instant last) { }

  /** Rows per second over the run (0 when no time elapsed). */
  public long rowsPerSecond() {
    long ms = elapsed.toMillis();
    return ms <= 0 ? 0 : Math.round(rows * 1000.0 / ms);
  }
}
