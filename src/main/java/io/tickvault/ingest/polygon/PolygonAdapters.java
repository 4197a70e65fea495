package io.tickvault.ingest.polygon;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.BarSource;
import io.tickvault.ingest.MarketTime;
import io.tickvault.ingest.VendorValues;
import io.tickvault.ingest.polygon.dto.Aggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pure conversions from Polygon records to bars (origin {@code polygon}). Prices are taken exactly;
 * volumes and vwap follow {@link VendorValues}; trade count {@code n} is 0 when absent. Daily bars
 * are stamped at 00:00 New York time of their trading day (Polygon already stamps them so; this
 * also corrects an end-of-window stamp). Stateless and thread-safe.
 */
public final class PolygonAdapters {
  private PolygonAdapters() {}

  /** The {@code multiplier} path segment of a timeframe. */
  public static int multiplier(Timeframe tf) {
    return switch (tf) {
      case MIN_1, HOUR_1, DAY_1 -> 1;
      case MIN_5 -> 5;
      case MIN_15 -> 15;
      case MIN_30 -> 30;
      case WEEK_1, MONTH_1 -> throw new IllegalArgumentException("no vendor download of " + tf + " bars");
    };
  }

  /** The {@code timespan} path segment of a timeframe. */
  public static String timespan(Timeframe tf) {
    return switch (tf) {
      case MIN_1, MIN_5, MIN_15, MIN_30 -> "minute";
      case HOUR_1 -> "hour";
      case DAY_1 -> "day";
      case WEEK_1, MONTH_1 -> throw new IllegalArgumentException("no vendor download of " + tf + " bars");
    };
  }

  /** One aggregate as a bar of {@code symbol}; {@code path} names it in errors. */
  public static Bar toBar(Symbol symbol, Aggregate a, Timeframe tf, String path) {
    Instant t = Instant.ofEpochMilli(a.t());
    if (tf == Timeframe.DAY_1) {
      t = MarketTime.dayStart(MarketTime.dayOf(t));
    }
    return Bar.ohlcv(symbol, t, a.o(), a.h(), a.l(), a.c(), VendorValues.volume(a.v(), path + ".v"),
        VendorValues.tradeCount(a.n(), path + ".n"), VendorValues.vwap(a.vw()), SourceName.POLYGON);
  }

  /** A page of one symbol's aggregates, oldest first, with the count of rounded fractional volumes. */
  public static BarSource.Page toPage(Symbol symbol, List<Aggregate> results, Timeframe tf) {
    List<Bar> bars = new ArrayList<>(results.size());
    long rounded = 0;
    long roundedVwaps = 0;
    for (int i = 0; i < results.size(); i++) {
      Aggregate a = results.get(i);
      if (VendorValues.isFractional(a.v())) {
        rounded++;
      }
      if (VendorValues.vwapRounds(a.vw())) {
        roundedVwaps++;
      }
      bars.add(toBar(symbol, a, tf, "results[" + i + "]"));
    }
    bars.sort(Comparator.comparing(Bar::timestamp));
    return new BarSource.Page(bars, rounded, roundedVwaps);
  }
}
