package io.tickvault.store;

import java.math.BigDecimal;
import java.time.Instant;

/** One aggregated bar of a history query, computed in the database. vwap may be null. */
public record Candle(Instant time, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
    long volume, BigDecimal vwap, long tradeCount) {}
