package io.tickvault.ingest.alpaca;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.MarketTime;
import io.tickvault.ingest.VendorJson;
import io.tickvault.ingest.VendorValues;
import io.tickvault.ingest.alpaca.dto.StockBar;
import io.tickvault.ingest.alpaca.dto.StockBarsResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Pure conversions from Alpaca records to bars (origin {@code alpaca}). Prices are taken exactly;
 * volume, trade count and vwap follow {@link VendorValues}. Daily bars are stamped at 00:00 New
 * York time of their trading day (as Alpaca sends them). Stateless and thread-safe.
 */
public final class AlpacaAdapters {
  private AlpacaAdapters() {}

  /** The {@code timeframe} query value: {@code 1Min}, {@code 5Min}, {@code 15Min}, {@code 1Hour}, {@code 1Day}. */
  public static String timeframe(Timeframe tf) {
    return tf.cliName();
  }

  /** Parses an RFC-3339 timestamp (any offset, up to nanoseconds). */
  public static Instant instant(String t, String path) {
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new VendorJson.Malformed(path + ".t " + Text.quote(io.tickvault.domain.Secrets.foreign(t, 40)) + " is not an RFC-3339 timestamp");
    }
  }

  /** One bar of {@code symbol}; {@code path} names it in errors. */
  public static Bar toBar(Symbol symbol, StockBar b, Timeframe tf, String path) {
    Instant t = instant(b.t(), path);
    if (tf == Timeframe.DAY_1) {
      t = MarketTime.dayStart(MarketTime.dayOf(t));
    }
    return Bar.ohlcv(symbol, t, b.o(), b.h(), b.l(), b.c(), VendorValues.volume(b.v(), path + ".v"),
        VendorValues.tradeCount(b.n(), path + ".n"), VendorValues.vwap(b.vw()), SourceName.ALPACA);
  }

  /**
   * A page as bars sorted by symbol then time, every symbol the vendor sent included: the ingest
   * service keeps only the requested symbols and range, and counts the rest as vendor anomalies.
   */
  public static BarSource.Page toPage(StockBarsResponse r, Timeframe tf) {
    List<Bar> bars = new ArrayList<>();
    long rounded = 0;
    long roundedVwaps = 0;
    for (Map.Entry<String, List<StockBar>> e : r.bars().entrySet()) {
      Symbol sym;
      try {
        sym = Symbol.of(e.getKey());
      } catch (RuntimeException bad) {
        throw new VendorJson.Malformed("bars has an invalid symbol key " + Text.quote(io.tickvault.domain.Secrets.foreign(e.getKey(), 40)));
      }
      List<StockBar> list = e.getValue();
      for (int i = 0; i < list.size(); i++) {
        StockBar b = list.get(i);
        if (VendorValues.isFractional(b.v())) {
          rounded++;
        }
        if (VendorValues.vwapRounds(b.vw())) {
          roundedVwaps++;
        }
        bars.add(toBar(sym, b, tf, "bars." + e.getKey() + "[" + i + "]"));
      }
    }
    bars.sort(Comparator.comparing(Bar::symbol).thenComparing(Bar::timestamp));
    return new BarSource.Page(bars, rounded, roundedVwaps);
  }
}
