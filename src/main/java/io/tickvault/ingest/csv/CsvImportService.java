package io.tickvault.ingest.csv;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarGrid;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.WidthInference;
import io.tickvault.domain.WidthMismatchException;
import io.tickvault.source.MixingRules;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestStatus;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
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
 * row; repeats are counted and the first are reported with their lines. With {@code skipBadRows},
 * a file none of whose data lines could be read is refused (exit 2). Each import is recorded in the ingest log (origin = target, status ok or failed). Thread-safe
 * if the store is; not meant to run twice at once into the same source.
 */
public final class CsvImportService {
  private final BarStore store;

  public CsvImportService(BarStore store) {
    this.store = store;
  }

  /**
   * Imports {@code file}; {@code progress} (may be null) receives the bytes read so far from time
   * to time. Throws {@link InvalidInputException} for a refused target, an unknown layout or a bad
   * line (nothing written).
   */
  public CsvImportReport importFile(Path file, CsvImportOptions options, LongConsumer progress) {
    long t0 = System.nanoTime();
    SourceName target = options.target();
    MixingRules.checkImport(target);
    Optional<SourceRecord> rec = store.source(target);
    boolean exists = rec.isPresent() && rec.get().tableExists();
    if (exists && options.kind() != null && rec.get().kind() != options.kind()) {
      throw new InvalidInputException("refused: " + target + " is a " + rec.get().kind().label() + " source, not "
          + options.kind().label() + "; import into another source or drop --kind");
    }
    ZoneId sourceZone = exists ? rec.get().zone() : options.zone() != null ? options.zone() : BarGrid.DEFAULT_ZONE;
    ZoneId zone = options.zone() != null ? options.zone() : sourceZone;
    try (CsvBarReader reader = new CsvBarReader(file, options.symbol(), zone, options.skipBadRows(),
        target)) {
      // reads up to the first good row: an unknown layout or a bad first line fails here, before any write
      boolean any = reader.hasNext();
      if (!any) {
        if (reader.skippedCount() > 0) {
          CsvImportReport.BadLine b = reader.skipped().get(0);
          throw new InvalidInputException("no line of " + file.getFileName() + " could be imported: all "
              + reader.skippedCount() + " data line" + (reader.skippedCount() == 1 ? " is" : "s are") + " bad (first: "
              + "line " + b.line() + ": " + b.reason() + "); nothing was imported");
        }
        return report(target, reader, zone, WriteResult.NONE, false, t0, null);
      }
      if (exists && rec.get().mixed() != null) {
        throw new InvalidInputException("refused: source '" + target + "' is marked mixed: " + rec.get().mixed()
            + ". Writes into it are refused until it is split or cleaned (see docs/sources.md); nothing was imported");
      }
      Timeframe held = exists ? rec.get().width() : null;
      Sample sample = new Sample(reader);
      Width width = width(file, options.timeframe(), held, sample, sourceZone);
      if (held != null && held != width.width()) {
        throw new WidthMismatchException(target, held, width.width());
      }
      SourceKind kind = exists ? rec.get().kind() : options.kind() == null ? SourceKind.VENDOR : options.kind();
      if (!exists) {
        store.createSource(target, kind, "imported from CSV (" + reader.layout().name().toLowerCase(Locale.ROOT)
            + " layout)", null, sourceZone);
      }
      BarGrid grid = new BarGrid(width.width(), sourceZone);
      long id = store.startIngest(target, target.value(), null,
          options.symbol() == null ? null : options.symbol().value(), null);
      WriteResult w;
      try (ReadAhead ahead = new ReadAhead(new OnGrid(sample, reader, grid, target),
          "tickvault-csv-" + file.getFileName())) {
        w = store.write(target, width.width(), progress == null ? ahead : new Reporting(ahead, reader, progress));
      } catch (RuntimeException e) {
        try {
          store.finishIngest(id, 0, IngestStatus.FAILED, "csv " + reader.layout().name().toLowerCase(Locale.ROOT)
              + " " + file.getFileName() + ": " + e.getMessage());
          if (!exists) {
            store.dropSource(target); // the import created it and wrote nothing: leave no empty source behind
          }
        } catch (RuntimeException logFailure) {
          e.addSuppressed(logFailure);
        }
        throw e;
      }
      CsvImportReport r = report(target, reader, zone, w, !exists, t0, width);
      store.finishIngest(id, w.rows(), IngestStatus.OK, detail(file, r));
      return r;
    }
  }

  private static CsvImportReport report(SourceName target, CsvBarReader reader, ZoneId zone, WriteResult w,
      boolean created, long t0, Width width) {
    return new CsvImportReport(target, reader.layout(), reader.ignoredColumns(), zone, w.rows(),
        reader.lines(), new ArrayList<>(reader.symbols()), reader.first(), reader.last(), reader.skipped(),
        reader.skippedCount(), reader.otherSymbolRows(), reader.roundedPrices(), w, reader.repeatedLines(), created,
        Duration.ofNanos(System.nanoTime() - t0), width == null ? null : width.width(),
        width == null ? null : width.how());
  }

  /** How many bars are read ahead to tell the width of a file without --timeframe. */
  static final int SAMPLE = 20_000;

  /** The file's bar width and how it was found ("given", "inferred from ...", "the source's"). */
  record Width(Timeframe width, String how) {}

  /**
   * The width: {@code --timeframe}, else inferred from the first {@link #SAMPLE} bars, else the
   * source's own (every bar is still checked against its grid); otherwise the import asks for
   * {@code --timeframe}.
   */
  private static Width width(Path file, Timeframe given, Timeframe held, Sample sample, ZoneId zone) {
    if (given != null) {
      return new Width(given, "given by --timeframe");
    }
    WidthInference inference = new WidthInference(zone);
    List<Bar> sorted = new ArrayList<>(sample.bars);
    sorted.sort(java.util.Comparator.comparing(Bar::symbol).thenComparing(Bar::timestamp));
    for (Bar b : sorted) {
      inference.accept(b.symbol().value(), b.timestamp());
    }
    WidthInference.Result r = inference.result();
    if (r.certain() && r.zone().equals(zone)) {
      return new Width(r.width(), "inferred from the timestamps");
    }
    if (held != null && r.mixed() == null && (r.width() == null || r.width() == held)) {
      return new Width(held, "the source's width");
    }
    if (sample.failure != null) {
      throw sample.failure; // a bad line came before enough good ones: that is the first thing to fix
    }
    String why = r.mixed() != null ? r.mixed() : r.unsure() != null ? r.unsure()
        : r.width() + " bars at midnight of " + r.zone().getId() + ", not of " + zone.getId()
            + " (import with --timezone " + r.zone().getId() + " into a new source)";
    throw new InvalidInputException("cannot tell the bar width of " + file.getFileName() + ": " + why
        + "; give it with --timeframe (" + Timeframe.SPELLINGS + "); nothing was imported");
  }

  /**
   * The first bars of the file, read ahead with their line numbers. A bad line among them is kept
   * and thrown when the write reaches it, so the import fails there as it would without sampling.
   */
  private static final class Sample {
    final List<Bar> bars = new ArrayList<>();
    final List<Long> lines = new ArrayList<>();
    RuntimeException failure;

    Sample(CsvBarReader reader) {
      try {
        while (bars.size() < SAMPLE && reader.hasNext()) {
          bars.add(reader.next());
          lines.add(reader.lines());
        }
      } catch (InvalidInputException e) {
        failure = e;
      }
    }
  }

  /**
   * The sampled bars, then the rest of the file, each checked against the source's grid: a bar off
   * it fails the import with its line (the write rolls back; nothing is imported).
   */
  private static final class OnGrid implements Iterator<Bar> {
    private final Sample sample;
    private final CsvBarReader reader;
    private final BarGrid grid;
    private final SourceName target;
    private int i;

    OnGrid(Sample sample, CsvBarReader reader, BarGrid grid, SourceName target) {
      this.sample = sample;
      this.reader = reader;
      this.grid = grid;
      this.target = target;
    }

    @Override
    public boolean hasNext() {
      if (i >= sample.bars.size() && sample.failure != null) {
        throw sample.failure;
      }
      return i < sample.bars.size() || reader.hasNext();
    }

    @Override
    public Bar next() {
      Bar b;
      long line;
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      if (i < sample.bars.size()) {
        b = sample.bars.get(i);
        line = sample.lines.get(i);
        sample.bars.set(i, null);
        i++;
      } else {
        b = reader.next();
        line = reader.lines();
      }
      String off = grid.offGrid(b.timestamp());
      if (off != null) {
        throw new InvalidInputException("line " + line + " (" + b.symbol() + "): " + off + "; nothing was imported "
            + "into " + target);
      }
      return b;
    }
  }

  private static String detail(Path file, CsvImportReport r) {
    List<Symbol> s = r.symbols();
    String syms = s.stream().limit(20).map(Symbol::value).collect(Collectors.joining(","))
        + (s.size() > 20 ? ",... (" + s.size() + " symbols)" : "");
    return "csv " + file.getFileName() + " (" + r.layout().name().toLowerCase(Locale.ROOT) + " layout): "
        + syms + " " + r.first() + " .. " + r.last() + "; " + r.written().summary()
        + (r.written().flawed() > 0 ? "; " + r.written().flawNote() : "") + (r.skippedCount() > 0 ? "; " + r.skippedCount()
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
