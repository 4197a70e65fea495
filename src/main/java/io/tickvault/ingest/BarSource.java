package io.tickvault.ingest;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * A vendor's historical bars, fetched page by page. Implemented once per vendor package
 * ({@code PolygonBarSource}, {@code AlpacaBarSource}); {@link VendorIngestService} writes each
 * page it receives atomically. Implementations are not thread-safe; use one per run.
 */
public interface BarSource {

  /** Vendor name for messages ("Polygon", "Alpaca"). */
  String vendor();

  /** The origin stamped on every bar, and the built-in source the bars go to by default. */
  SourceName origin();

  /** The vendor feed the bars come from (Alpaca's iex/sip), or null when the vendor has none. */
  String feed();

  /** Request options worth recording in the ingest log, e.g. {@code adjusted=true}. */
  String options();

  /**
   * Fetches the bars of {@code request} and hands them to {@code sink} one vendor page at a time,
   * in the vendor's order: per symbol, oldest first, so that whatever has been handed over for a
   * symbol is always a complete prefix of its series. Pages may be empty. Throws
   * {@link VendorException} (or a subclass) when the vendor fails; pages handed over before that
   * stay handed over.
   */
  void fetch(Request request, Consumer<Page> sink);

  /** HTTP requests sent so far, retries included (for the run's report). */
  default long requests() {
    return 0;
  }

  /**
   * What to fetch: symbols, New York calendar days {@code from} through {@code to} (inclusive), and
   * the bar width.
   */
  record Request(List<Symbol> symbols, LocalDate from, LocalDate to, Timeframe timeframe) {
    public Request {
      symbols = List.copyOf(symbols);
    }
  }

  /**
   * One vendor page adapted to bars, sorted by symbol then timestamp. {@code roundedVolumes}
   * counts bars whose fractional volume was rounded to whole shares, {@code roundedVwaps} bars
   * whose vwap had more than 4 decimals and was rounded (see {@link VendorValues}).
   */
  record Page(List<Bar> bars, long roundedVolumes, long roundedVwaps) {
    public Page {
      bars = List.copyOf(bars);
    }
  }
}
