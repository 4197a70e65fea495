package io.tickvault.ingest.synthetic;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.DidYouMean;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.domain.Timeframe;
import io.tickvault.source.MixingRules;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestStatus;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.WriteResult;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes synthetic bars into a generated source ({@code synthetic} by default; {@code mock},
 * {@code test} or another generated source on request; never a vendor source). Each symbol is one
 * atomic write; the run is recorded in the ingest log. Rows have origin {@code synthetic}.
 * Thread-safe (stateless).
 */
public final class SyntheticIngest {
  /** What to generate. {@code to} is inclusive (whole days). */
  public record Request(SourceName target, List<Symbol> symbols, LocalDate from, LocalDate to, Timeframe timeframe,
      long seed, boolean allHours) {}

  /** What was written: {@code rows} bars generated, {@code written} what the store did with them. */
  public record Result(SourceName target, long rows, int symbols, WriteResult written, Duration elapsed) {
    public double rowsPerSecond() {
      double s = Math.max(1e-9, elapsed.toNanos() / 1e9);
      return rows / s;
    }
  }

  /** Progress callbacks, called on the writing thread. */
  public interface Listener {
    void symbolStarted(Symbol symbol, long expectedRows);

    void symbolDone(Symbol symbol, long rows);

    /** Called every 10,000 bars handed to the store while a symbol is written. */
    default void advanced(Symbol symbol, long rowsSoFar) {}

    Listener NONE = new Listener() {
      @Override
      public void symbolStarted(Symbol symbol, long expectedRows) {}

      @Override
      public void symbolDone(Symbol symbol, long rows) {}
    };
  }

  private final BarStore store;

  public SyntheticIngest(BarStore store) {
    this.store = store;
  }

  public Result run(Request req, Listener listener) {
    if (req.symbols().isEmpty()) {
      throw new InvalidInputException("--symbols is empty; give one or more symbols, e.g. --symbols AAPL,MSFT");
    }
    if (req.to().isBefore(req.from())) {
      throw new InvalidInputException("--to " + req.to() + " is before --from " + req.from());
    }
    prepareTarget(req.target());
    SyntheticGenerator gen = new SyntheticGenerator(req.seed());
    long started = System.nanoTime();
    long id = store.startIngest(req.target(), SourceName.SYNTHETIC.value(), null,
        req.symbols().stream().map(Symbol::value).collect(Collectors.joining(",")),
        TimeRange.ofDays(req.from(), req.to()));
    long rows = 0;
    WriteResult total = WriteResult.NONE;
    Set<Chunk> chunks = new HashSet<>();
    try {
      for (Symbol s : req.symbols()) {
        listener.symbolStarted(s, gen.count(s, req.from(), req.to(), req.timeframe(), req.allHours()));
        Iterator<io.tickvault.domain.Bar> generated = gen.bars(s, req.from(), req.to(), req.timeframe(),
            req.allHours(), SourceName.SYNTHETIC);
        Iterator<io.tickvault.domain.Bar> bars = new Iterator<>() {
          long n;

          @Override
          public boolean hasNext() {
            return generated.hasNext();
          }

          @Override
          public io.tickvault.domain.Bar next() {
            io.tickvault.domain.Bar b = generated.next();
            if (++n % 10_000 == 0) {
              listener.advanced(s, n);
            }
            return b;
          }
        };
        WriteResult w = store.write(req.target(), req.timeframe(), bars);
        rows += w.rows();
        chunks.addAll(w.chunks());
        total = total.plus(w.withChunks(Set.of())); // one set for all symbols' chunks, not a copy per symbol
        listener.symbolDone(s, w.rows());
      }
      store.finishIngest(id, rows, IngestStatus.OK, req.timeframe().cliName() + ", seed " + req.seed() + "; " + total.summary());
    } catch (RuntimeException e) {
      store.finishIngest(id, rows, IngestStatus.FAILED, e.getMessage());
      throw e;
    }
    return new Result(req.target(), rows, req.symbols().size(), total.withChunks(chunks),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private void prepareTarget(SourceName target) {
    Optional<SourceRecord> existing = store.source(target);
    SourceKind kind = existing.filter(SourceRecord::registered).map(SourceRecord::kind)
        .orElse(SourceKind.defaultFor(target));
    if (existing.isEmpty() && kind != SourceKind.GENERATED && !MixingRules.VENDOR_TABLES.contains(target)) {
      // a name that is no source yet (often a typo): never call it a vendor source, never create it
      java.util.Set<String> known = new java.util.TreeSet<>(List.of(SourceName.SYNTHETIC.value(),
          SourceName.MOCK.value(), SourceName.TEST.value()));
      store.sources().stream().filter(SourceRecord::tableExists).forEach(r -> known.add(r.name().value()));
      String near = DidYouMean.closest(target.value(), known).orElse(null);
      throw new NotFoundException("no source '" + target + "'" + (near != null ? "; did you mean '" + near + "'?"
          : "; synthetic data goes into synthetic, mock, test, or a source of kind generated that you create first: "
          + "tickvault create --source " + target + " --kind generated"));
    }
    new MixingRules(store).checkGenerated(target, kind);
    if (existing.isEmpty() || !existing.get().tableExists() || !existing.get().registered()) {
      store.createSource(target, SourceKind.GENERATED, existing.map(SourceRecord::description).orElse(null));
    }
  }
}
