package io.tickvault.server;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The validated parameters of {@code GET /api/market-data/history/{symbol}}.
 *
 * <p>{@code from} and {@code to} take a UTC date ({@code 2025-01-15}) or an instant with an offset
 * ({@code 2025-01-15T14:30:00Z}). A date {@code from} starts at 00:00 UTC; a date {@code to}
 * includes that whole day; an instant {@code to} is exclusive. Either may be omitted (unbounded).
 * {@code interval} is 1m, 5m, 15m, 30m, 1h, 1d, 1w or 1mo (1Min ... 1Month and other usual
 * spellings also accepted; {@code 1M} is refused as ambiguous); null (not given) means the
 * source's own bar width. A null {@code source} means the configured DATA_SOURCE. Immutable.
 */
record HistoryQuery(SourceName source, Symbol symbol, TimeRange range, Timeframe interval, int limit,
    Instant cursor) {

  /** Candles per response when {@code limit} is not given, and the most one may ask for. */
  static final int DEFAULT_LIMIT = 10_000;
  static final int MAX_LIMIT = 1_000_000;

  /** A query of the whole range (no paging): the live feed and the simulated candle. */
  HistoryQuery(SourceName source, Symbol symbol, TimeRange range, Timeframe interval) {
    this(source, symbol, range, interval, MAX_LIMIT, null);
  }

  /** The interval of a source without a width yet (no bars). */
  static final Timeframe DEFAULT_INTERVAL = Timeframe.MIN_1;
  /** Bounds of accepted instants (both engines store them without overflow). */
  static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

  /** Parses raw request values (no paging); throws {@link InvalidInputException} naming the bad parameter. */
  static HistoryQuery parse(SourceName source, String symbol, String from, String to, String interval) {
    return parse(source, symbol, from, to, interval, null, null).withLimit(MAX_LIMIT);
  }

  /**
   * Parses raw request values with paging: {@code limit} 1..{@link #MAX_LIMIT} (default
   * {@link #DEFAULT_LIMIT}), {@code cursor} an instant inside the range, as a previous page's
   * {@code nextCursor} gave it.
   */
  static HistoryQuery parse(SourceName source, String symbol, String from, String to, String interval,
      String limit, String cursor) {
    HistoryQuery q = parseRange(source, symbol, from, to, interval);
    int n = DEFAULT_LIMIT;
    if (limit != null && !limit.isBlank()) {
      try {
        n = Integer.parseInt(limit.strip());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_LIMIT) {
        throw new InvalidInputException("invalid limit " + Text.quote(limit) + ": use a whole number of candles from 1 "
            + "to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")");
      }
    }
    Instant c = null;
    if (cursor != null && !cursor.isBlank()) {
      try {
        c = OffsetDateTime.parse(cursor.strip()).toInstant();
      } catch (DateTimeException e) {
        throw new InvalidInputException("invalid cursor " + Text.quote(cursor) + ": pass the nextCursor of the previous "
            + "page as it was given (an instant such as 2025-01-15T14:30:00Z)");
      }
      TimeRange r = q.range();
      if ((r.from() != null && c.isBefore(r.from())) || (r.to() != null && !c.isBefore(r.to()))) {
        throw new InvalidInputException("invalid cursor " + Text.quote(cursor) + ": outside the requested range "
            + r.from() + " .. " + r.to() + "; pass the nextCursor of the previous page with the same from and to");
      }
    }
    return new HistoryQuery(q.source(), q.symbol(), q.range(), q.interval(), n, c);
  }

  private static HistoryQuery parseRange(SourceName source, String symbol, String from, String to, String interval) {
    Symbol s = Symbol.of(symbol);
    Timeframe tf = interval == null || interval.isBlank() ? null : parseInterval(interval);
    Instant f = instant("from", from, false);
    Instant t = instant("to", to, true);
    if (f != null && t != null && !f.isBefore(t)) {
      throw new InvalidInputException("empty range: from " + f + " is not before to " + t
          + " (a date 'to' includes its whole day; an instant 'to' is exclusive); use a later 'to'");
    }
    return new HistoryQuery(source, s, new TimeRange(f, t), tf, DEFAULT_LIMIT, null);
  }

  /** This query with its interval. */
  HistoryQuery withInterval(Timeframe tf) {
    return new HistoryQuery(source, symbol, range, tf, limit, cursor);
  }

  private HistoryQuery withLimit(int n) {
    return new HistoryQuery(source, symbol, range, interval, n, cursor);
  }

  /** The range this page reads: from the cursor when there is one. */
  TimeRange pageRange() {
    return cursor == null ? range : new TimeRange(cursor, range.to());
  }

  private static Timeframe parseInterval(String interval) {
    try {
      return Timeframe.parse(interval);
    } catch (InvalidInputException e) {
      if (e.getMessage().startsWith("ambiguous")) {
        throw new InvalidInputException(e.getMessage().replace("ambiguous timeframe", "ambiguous interval"));
      }
      throw new InvalidInputException("invalid interval " + Text.quote(interval) + ": use 1m, 5m, 15m, 30m, 1h, 1d, "
          + "1w or 1mo (or 1min, 1hour, 1day, 1week, 1month)");
    }
  }

  /** A date or an instant; a date as the end of a range means the end of that day. */
  static Instant instant(String name, String value, boolean endOfRange) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    Instant t;
    try {
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        t = (endOfRange ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
      } else {
        t = OffsetDateTime.parse(v).toInstant();
      }
    } catch (DateTimeException e) {
      throw new InvalidInputException("invalid " + name + " " + Text.quote(value)
          + ": use a date (2025-01-15) or an instant with offset (2025-01-15T14:30:00Z)");
    }
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw new InvalidInputException("invalid " + name + " " + Text.quote(value) + ": outside the supported range "
          + EARLIEST + " .. " + LATEST);
    }
    return t;
  }
}
