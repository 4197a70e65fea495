package io.tickvault.archive;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.source.SourceService;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import io.tickvault.store.OriginCount;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.WriteResult;
import io.tickvault.store.parquet.ParquetBars;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * {@code tickvault import parquet}: restores a Parquet file of bars (an export or an archive) into
 * a source, every row with its own origin, through the store's one write gate: the rows land whole
 * or not at all. Refused before anything is written: a file that is not Parquet or lacks
 * tickvault's columns, origins the mixing rules forbid in the target, a width other than the
 * target's. A bad row fails the whole restore naming the row; a source this call created is
 * dropped again. Thread-safe (stateless over a thread-safe store).
 */
public final class ParquetRestore {
  private final BarStore store;

  public ParquetRestore(BarStore store) {
    this.store = store;
  }

  /** What a restore did. */
  public record Result(SourceName target, long rows, List<OriginCount> origins, Timeframe width, boolean created,
      WriteResult written) {}

  /**
   * Restores {@code file} into {@code target}. A missing target is an error unless {@code create}:
   * then it is created with the kind of the file's rows (real origins: vendor) and the width and
   * zone the file's metadata records. {@code width} (may be null) is the file's bar width when its
   * metadata names none.
   */
  public Result restore(Path file, SourceName target, boolean create, Timeframe width) {
    ParquetBars.Description d = ParquetBars.describe(file);
    List<OriginCount> origins = ParquetBars.origins(file);
    List<SourceName> names = origins.stream().map(OriginCount::origin).toList();
    SourceService sources = new SourceService(store);
    Optional<SourceRecord> existing = store.source(target).filter(SourceRecord::tableExists);
    if (existing.isEmpty() && !create) {
      throw new NotFoundException("no source '" + target + "' in " + store.info().location() + "; add --create to "
          + "restore into a new source. Nothing was changed");
    }
    SourceKind kind = names.stream().anyMatch(o -> sources.originKind(o) == SourceKind.VENDOR) ? SourceKind.VENDOR
        : SourceKind.GENERATED;
    String what = "the rows of " + file.getFileName();
    sources.checkIncoming("import", what, target, kind, names);
    Timeframe fileWidth = fileWidth(d, width, file);
    Timeframe w = fileWidth != null ? fileWidth : existing.map(SourceRecord::width).orElse(null);
    if (w == null && d.rows() > 0) {
      throw new InvalidInputException(file.getFileName() + " records no bar width (tickvault.timeframe) and source '"
          + target + "' has none yet; add --timeframe (e.g. 1Min or 1Day). Nothing was changed");
    }
    if (d.rows() == 0) {
      return new Result(target, 0, origins, w, false, WriteResult.NONE);
    }
    boolean created = false;
    if (existing.isEmpty()) {
      store.createSource(target, kind, "restored from " + file.getFileName(), w, zone(d));
      created = true;
    }
    try {
      WriteResult r = BarPipe.transfer(sink -> ParquetBars.read(file, sink), bars -> store.write(target, w, bars));
      return new Result(target, r.rows(), origins, w, created, r);
    } catch (RuntimeException e) {
      if (created) {
        store.dropSource(target);
      }
      throw e;
    }
  }

  private static Timeframe fileWidth(ParquetBars.Description d, Timeframe given, Path file) {
    String recorded = d.meta("timeframe");
    if (recorded == null || recorded.equals("mixed")) {
      return given;
    }
    Timeframe t = Timeframe.parse(recorded);
    if (given != null && given != t) {
      throw new InvalidInputException("--timeframe " + given + " but " + file.getFileName() + " records " + t
          + " bars (tickvault.timeframe); leave --timeframe out. Nothing was changed");
    }
    return t;
  }

  private static ZoneId zone(ParquetBars.Description d) {
    String z = d.meta("timezone");
    try {
      return z == null ? null : ZoneId.of(z);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }
}
