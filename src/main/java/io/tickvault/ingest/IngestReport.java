package io.tickvault.ingest;

import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import io.tickvault.store.WriteResult;

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
 * @param rows distinct bars written (a bar re-fetched by the trailing window counts again, as unchanged or
 *     replaced)
 * @param pages vendor pages written
 * @param requests HTTP requests sent, retries included
 * @param roundedVolumes bars whose fractional volume was rounded to whole shares
 * @param roundedVwaps bars whose vwap had more than 4 decimals and was rounded half-even
 * @param written what the writes did: added, replaced with different values, unchanged, bars kept
 *     with open/close/vwap outside [low, high]
 * @param outOfRange bars the vendor sent outside the requested days: counted, not stored
 * @param unrequested bars the vendor sent for symbols that were not requested: counted, not stored
 * @param anomalies the vendor anomalies as a sentence, or null when there were none
 * @param elapsed wall time of the run
 *
 * <p>Immutable and thread-safe.
 */
public record IngestReport(long ingestId, SourceName target, SourceName origin, String feed,
    List<SymbolResult> symbols, LocalDate from, LocalDate to, Timeframe timeframe, long rows, long pages,
    long requests, long roundedVolumes, long roundedVwaps, WriteResult written, long outOfRange, long unrequested,
    String anomalies, Duration elapsed) {

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
