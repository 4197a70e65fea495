package io.tickvault.ingest.csv;

import io.tickvault.domain.Bar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.store.BarStore;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Imports a CSV file of bars into a source: {@code tickvault import csv}.
 *
 * <p>One pass, streaming: the file is parsed line by line, on a reader thread that runs ahead of the
 * writer, straight into the store's bulk path ({@link BarStore#write}, one transaction), so a
 * million rows need little memory and run close to the engine's speed. A bad line makes the reader
 * throw mid-stream, which rolls the whole transaction back: the import is refused with the line
 * number and nothing is written. With {@code skipBadRows}, bad lines are skipped and listed
 * instead.
 *
 * <p>Target rules: never {@code alpaca} or {@code polygon} (they hold only downloaded bars); a
 * missing target is created with the requested kind (vendor by default); an existing one must have
 * that kind. Every row's origin is the target source. A repeated (symbol, timestamp) keeps the last
 * row. Each import is recorded in the ingest log (origin = target, status ok or failed). Thread-safe
 * if the store is; not meant to run twice at once into the same source.
 */
public final class CsvImportService {
  private final BarStore store;

  public CsvImportService(BarStore store) {
    this.store = store;
  }

  /** Refuses {@code alpaca} and {@code polygon} as import targets (they hold only downloaded bars). */
  public static void refuseVendorTable(SourceName target) {
    if (target.equals(SourceName.ALPACA) || target.equals(SourceName.POLYGON)) {
      throw new InvalidInputException("refused: " + target + " holds only bars downloaded from "
          + (target.equals(SourceName.ALPACA) ? "Alpaca" : "Polygon") + " (use `tickvault ingest " + target
          + "`); import into a source of your own, e.g. --source " + target + "_csv");
    }
  }

  /**
   * Imports {@code file}; {@code progress} (may be null) receives the bytes read so far from time
   * to time. Throws {@link InvalidInputException} for a refused target, an unknown layout or a bad
   * line (nothing written).
   */
  public CsvImportReport importFile(Path file, CsvImportOptions options, LongConsumer progress) {
    long t0 = System.nanoTime();
    SourceName target = options.target();
    refuseVendorTable(target);
    Optional<SourceRecord> rec = store.source(target);
    boolean exists = rec.isPresent() && rec.get().tableExists();
    if (exists && options.kind() != null && rec.get().kind() != options.kind()) {
      throw new InvalidInputException("refused: " + target + " is a " + rec.get().kind().label() + " source, not "
          + options.kind().label() + "; import into another source or drop --kind");
    }
    try (CsvBarReader reader = new CsvBarReader(file, options.symbol(), options.zone(), options.skipBadRows(),
        target)) {
      // reads up to the first good row: an unknown layout or a bad first line fails here, before any write
      boolean any = reader.hasNext();
      if (!any) {
        return report(target, reader, options.zone(), 0, false, t0);
      }
      SourceKind kind = exists ? rec.get().kind() : options.kind() == null ? SourceKind.VENDOR : options.kind();
      if (!exists) {
        store.createSource(target, kind, "imported from CSV (" + reader.layout().name().toLowerCase(Locale.ROOT)
            + " layout)");
      }
      long id = store.startIngest(target, target.value(), null,
          options.symbol() == null ? null : options.symbol().value(), null);
      WriteResult w;
      try (ReadAhead ahead = new ReadAhead(reader, "tickvault-csv-" + file.getFileName())) {
        w = store.write(target, progress == null ? ahead : new Reporting(ahead, reader, progress));
      } catch (RuntimeException e) {
        try {
          store.finishIngest(id, 0, "failed", "csv " + reader.layout().name().toLowerCase(Locale.ROOT)
              + " " + file.getFileName() + ": " + e.getMessage());
        } catch (RuntimeException logFailure) {
          e.addSuppressed(logFailure);
        }
        throw e;
      }
      CsvImportReport r = report(target, reader, options.zone(), w.rows(), !exists, t0);
      store.finishIngest(id, w.rows(), "ok", detail(file, r));
      return r;
    }
  }

  private static CsvImportReport report(SourceName target, CsvBarReader reader, java.time.ZoneId zone, long rows,
      boolean created, long t0) {
    return new CsvImportReport(target, reader.layout(), reader.ignoredColumns(), zone, rows,
        reader.lines(), new ArrayList<>(reader.symbols()), reader.first(), reader.last(), reader.skipped(),
        reader.skippedCount(), reader.otherSymbolRows(), reader.roundedPrices(), created,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private static String detail(Path file, CsvImportReport r) {
    List<Symbol> s = r.symbols();
    String syms = s.stream().limit(20).map(Symbol::value).collect(Collectors.joining(","))
        + (s.size() > 20 ? ",... (" + s.size() + " symbols)" : "");
    return "csv " + file.getFileName() + " (" + r.layout().name().toLowerCase(Locale.ROOT) + " layout): "
        + syms + " " + r.first() + " .. " + r.last() + (r.skippedCount() > 0 ? "; " + r.skippedCount()
        + " bad lines skipped" : "") + (r.roundedPrices() > 0 ? "; " + r.roundedPrices()
        + " values (vwaps, Yahoo prices) rounded to 4 decimals" : "");
  }

  /** Passes bars through, telling {@code progress} the bytes read every 64k rows. */
  private static final class Reporting implements Iterator<Bar> {
    private final Iterator<Bar> bars;
    private final CsvBarReader reader;
    private final LongConsumer progress;
    private long n;

    Reporting(Iterator<Bar> bars, CsvBarReader reader, LongConsumer progress) {
      this.bars = bars;
      this.reader = reader;
      this.progress = progress;
    }

    @Override
    public boolean hasNext() {
      boolean h = bars.hasNext();
      if (!h) {
        progress.accept(reader.bytesRead());
      }
      return h;
    }

    @Override
    public Bar next() {
      if ((++n & 0xFFFF) == 0) {
        progress.accept(reader.bytesRead());
      }
      return bars.next();
    }
  }
}
