package io.tickvault.archive;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.source.SourceService;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.parquet.ParquetBars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code tickvault export}: streams the selected bars of a source, ordered by symbol then time, to
 * CSV, JSON Lines or Parquet. Memory does not grow with the number of bars for the text formats;
 * Parquet is assembled in an in-memory DuckDB table first (about 60 bytes a bar) and then written
 * in one go. Reads only: works on the read-only mirror. Thread-safe (stateless over a thread-safe
 * store).
 */
public final class ExportService {
  private final BarStore store;

  public ExportService(BarStore store) {
    this.store = store;
  }

  /** Which bars to export: one symbol or all (null), within a range. */
  public record Selection(SourceName source, Symbol symbol, TimeRange range) {
    BarFilter filter() {
      return new BarFilter(symbol, range);
    }
  }

  /** What was exported. {@code first} and {@code last} are null when no bar was. */
  public record Result(long rows, int symbols, Instant first, Instant last) {}

  /**
   * Checks the selection (the source must exist; a symbol it does not hold is a {@link
   * io.tickvault.domain.NotFoundException} with the nearest one) and returns how many bars it holds.
   */
  public long count(Selection s) {
    store.requireSource(s.source());
    if (s.symbol() != null) {
      new SourceService(store).requireSymbol(s.symbol(), s.source());
    }
    return store.stats(s.source(), s.filter()).rows();
  }

  /** Writes the selection as CSV or JSON Lines to {@code out} (flushed, not closed). */
  public Result toText(Selection s, ExportFormat format, Writer out, LongConsumer progress) {
    BarText text = new BarText(out, format);
    Tally tally = new Tally(progress);
    text.header();
    store.read(s.source(), s.filter(), b -> {
      text.write(b);
      tally.accept(b);
    });
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tally.result();
  }

  /**
   * Writes the selection to a Parquet file (replacing it atomically: a failed export leaves no file
   * and no partial file under its name), with the source's name, width and zone in the file's
   * metadata.
   */
  public Result toParquet(Selection s, Path file, LongConsumer progress) {
    SourceRecord r = store.requireSource(s.source());
    Tally tally = new Tally(progress);
    BarPipe.transfer(sink -> store.read(s.source(), s.filter(), sink),
        bars -> ParquetBars.write(file, tap(bars, tally::accept), meta(r), n -> { }));
    return tally.result();
  }

  /** The Parquet metadata tickvault writes for a source's bars. */
  static Map<String, String> meta(SourceRecord r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("source", r.name().value());
    m.put("timeframe", r.widthLabel());
    m.put("timezone", r.zone().getId());
    return m;
  }

  /** The bars, each handed to {@code seen} as it is pulled. */
  static Iterator<Bar> tap(Iterator<Bar> bars, java.util.function.Consumer<Bar> seen) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return bars.hasNext();
      }

      @Override
      public Bar next() {
        Bar b = bars.next();
        seen.accept(b);
        return b;
      }
    };
  }

  /** Counts bars, symbols and the time range as they pass. Not thread-safe. */
  static final class Tally {
    private final LongConsumer progress;
    private long rows;
    private int symbols;
    private Symbol lastSymbol;
    private Instant first;
    private Instant last;

    Tally(LongConsumer progress) {
      this.progress = progress;
    }

    void accept(Bar b) {
      rows++;
      if (!b.symbol().equals(lastSymbol)) {
        symbols++; // bars arrive ordered by symbol
        lastSymbol = b.symbol();
      }
      if (first == null || b.timestamp().isBefore(first)) {
        first = b.timestamp();
      }
      if (last == null || b.timestamp().isAfter(last)) {
        last = b.timestamp();
      }
      if ((rows & 0x3FFF) == 0) {
        progress.accept(rows);
      }
    }

    Result result() {
      progress.accept(rows);
      return new Result(rows, symbols, first, last);
    }
  }
}
