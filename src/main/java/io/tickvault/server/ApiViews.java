package io.tickvault.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents of the API, as immutable records (field names are the JSON names). Names and
 * symbols are plain strings here; validation happened before a view is built.
 */
final class ApiViews {
  private ApiViews() {}

  /**
   * Which data a response shows, the {@code metadata} block of every endpoint (history, market
   * summary, sources, quality, simulated candle; {@code GET /api/data-source} has the same fields at
   * its top level): the mode, the source, where it lives, and how fresh it is.
   * {@code environment} is {@code production}, {@code mirror} or {@code test}; {@code description}
   * is "Live Production Data", "Historical Mirror (N days old)" or "Test Data"; {@code lastSync},
   * {@code ageDays} are null outside mirror mode (and for a mirror never synced).
   */
  record Provenance(String mode, String source, String environment, String description,
      @JsonProperty("isLive") boolean isLive, boolean readOnly, String store, Instant lastSync, Long ageDays,
      boolean stale, String staleAfter) {}

  /**
   * The data source indicator of the dashboard: its text, its style, and whether to offer "Sync now".
   * In live mode with a collector for the source, {@code level} is {@code lagging} (amber) or
   * {@code down} (red) when the collector is, and {@code reason} says why (else null).
   */
  record Indicator(String text, String level, boolean canSync, String reason) {}

  /**
   * {@code GET /api/data-source}. {@code leftOut}: in mirror mode, what production held outside the
   * mirror's selection at the last sync (sources not selected, bars before --since), as sentences.
   */
  record DataSourceStatus(String mode, String source, String environment, String description,
      @JsonProperty("isLive") boolean isLive, boolean readOnly, String store, Instant lastSync, Long ageDays,
      boolean stale, String staleAfter, Instant dataThrough, boolean sourceExists, Production production,
      Indicator indicator, List<String> leftOut) {}

  /** Whether a production store is there to sync from, and where (never credentials). */
  record Production(boolean available, String location) {}

  /**
   * One row of {@code GET /api/sources}, as {@code tickvault list} shows it: {@code status} is
   * {@code has data}, {@code empty} or {@code not created}; {@code timeframe} is the source's one bar
   * width ({@code 1Min}, ..., {@code mixed}, or null before its first write), {@code timezone} its
   * market time zone, {@code mixed} why its rows mix widths (else null).
   */
  record SourceRow(String name, String kind, String status, String table, long rows, long symbols, Instant first,
      Instant last, LastIngest lastIngest, String description, @JsonProperty("isDefault") boolean isDefault,
      String timeframe, String timezone, String mixed, Map<String, Object> collector) {}

  /** The newest ingest run of a source. */
  record LastIngest(Instant started, Instant finished, String status, long rows, String origin, String symbols) {}

  /** {@code GET /api/sources}; {@code metadata} is the block every endpoint has, for the default source. */
  record SourceList(Provenance metadata, List<SourceRow> sources) {}

  /**
   * One symbol of the market summary, over {@code day}: the last session date (in the source's
   * time zone) with data for that symbol up to now (bars dated in the future are left out). {@code change} is {@code lastPrice - reference}; the reference is the previous close
   * (the last bar before {@code day}) when there is one, else the open of {@code day}
   * ({@code changeBasis} says which). {@code changePercent} is rounded to 2 decimals.
   */
  record SummaryRow(String symbol, LocalDate day, BigDecimal lastPrice, BigDecimal reference, String changeBasis,
      BigDecimal change, BigDecimal changePercent, BigDecimal open, BigDecimal high, BigDecimal low, long volume,
      Instant asOf) {}

  /**
   * {@code GET /api/market-summary}; {@code timezone} is the source's, in which days are cut;
   * {@code errors} the symbols whose summary could not be computed (e.g. stored volumes that cannot
   * be summed), each with the error's type and message: one bad symbol never hides the others.
   */
  record MarketSummary(String period, List<SummaryRow> symbols, List<SymbolError> errors, Provenance metadata,
      String timezone, String timeframe) {}

  /** A symbol left out of a response, and why (in the error shape's {@code type} and {@code message}). */
  record SymbolError(String symbol, String type, String message) {}

  /**
   * The {@code metadata} of a history response: the same fields as every endpoint's
   * {@link Provenance} block, in the same order and under the same names, then the history's own.
   * {@code dataThrough} is the newest bar of the symbol in the source, capped at now; {@code count}
   * is the number of candles in {@code data}; {@code interval} is the width of every candle (API
   * spelling, e.g. {@code 1d}), {@code sourceTimeframe} the width of the source's bars
   * ({@code 1Day}), {@code timezone} the source's market time zone, in which days, weeks and months
   * are cut. Paging: {@code limit} is the most candles one response holds, {@code cursor} the cursor
   * this page started at (null for the first), {@code nextCursor} where the next page starts (null
   * on the last page) and {@code next} the request for it (path and query, or null).
   */
  record HistoryMetadata(String mode, String source, String environment, String description,
      @JsonProperty("isLive") boolean isLive, boolean readOnly, String store, Instant lastSync, Long ageDays,
      boolean stale, String staleAfter, Instant dataThrough, String symbol, String interval, Instant from,
      Instant to, long count, int limit, Instant cursor, Instant nextCursor, String next, String sourceTimeframe,
      String timezone) {

    static HistoryMetadata of(Provenance p, Instant dataThrough, String symbol, String interval, Instant from,
        Instant to, int limit, Instant cursor, String sourceTimeframe, String timezone) {
      return new HistoryMetadata(p.mode(), p.source(), p.environment(), p.description(), p.isLive(), p.readOnly(),
          p.store(), p.lastSync(), p.ageDays(), p.stale(), p.staleAfter(), dataThrough, symbol, interval, from, to,
          0, limit, cursor, null, null, sourceTimeframe, timezone);
    }

    /** This metadata once the candles are sent: their count and where the next page starts (or null). */
    HistoryMetadata page(long sent, Instant nextCursorAt, String nextRequest) {
      return new HistoryMetadata(mode, source, environment, description, isLive, readOnly, store, lastSync, ageDays,
          stale, staleAfter, dataThrough, symbol, interval, from, to, sent, limit, cursor, nextCursorAt, nextRequest,
          sourceTimeframe, timezone);
    }
  }

  /** {@code POST /api/sync}: what the sync did and the indicator afterwards. */
  record SyncResult(boolean full, long rowsAdded, long rowsChanged, long rowsDeleted, long chunksSynced,
      double elapsedSeconds, Instant lastSync, DataSourceStatus dataSource) {}

  /** {@code GET /health}; {@code collectors}: the health of every source with a collector (live mode). */
  record Health(String status, String mode, String source, String store, int sources, List<CollectorHealth> collectors) {}

  /** One collector in {@code GET /health}: {@code health} ok / lagging / down, and its lag. */
  record CollectorHealth(String source, String state, String health, Long lagSeconds, String reason,
      Instant heartbeat) {}
}
