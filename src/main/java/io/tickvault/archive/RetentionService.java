package io.tickvault.archive;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.TimeRange;
import io.tickvault.source.SourceService;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarPipe;
import io.tickvault.store.BarStore;
import io.tickvault.store.OriginCount;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SourceStats;
import io.tickvault.store.SymbolStats;
import io.tickvault.store.parquet.ParquetBars;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Retention and archival (issue 14 §3): per-source policies kept in the store, a plan of what they
 * would delete (per source and symbol), and applying it.
 *
 * <p>Archival, per source and UTC month, oldest first: the month's rows are written to a Parquet
 * file (temporary name, flushed, renamed), read back and compared row by row (a digest over every
 * value), the file's SHA-256 taken from disk, the manifest replaced durably, and only then are the
 * rows deleted, those still equal to the file's rows in every column (a row written into that month
 * meanwhile, or changed since the archive read it, stays for the next run). A
 * crash at any point loses nothing: before the manifest names the file, the rows are all still in
 * the store; after, the next run finds the month's rows equal to the archived file's digest, writes
 * no second copy and only deletes.
 *
 * <p>Sources of real data (kind vendor, or holding rows of real origin) need {@code confirm} the
 * first time a policy deletes from them; the policy then records it. {@link #apply} holds the
 * store's {@code retention} lock, so runs never overlap (a second one is refused). Not thread-safe.
 */
public final class RetentionService {
  static final String META_PREFIX = "retention.";

  private final BarStore store;
  private final Clock clock;
  private Runnable beforeDelete = () -> { };

  public RetentionService(BarStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Tests: runs after an archive is written and recorded, before its rows are deleted. */
  RetentionService beforeDelete(Runnable hook) {
    this.beforeDelete = hook;
    return this;
  }

  /** Sets (or, with null, clears) a source's policy; the source must exist. Returns the stored policy. */
  public RetentionPolicy set(SourceName source, RetentionPolicy policy) {
    store.requireSource(source);
    store.putMeta(META_PREFIX + source.value(), policy == null ? "off" : policy.stored());
    return policy;
  }

  public Optional<RetentionPolicy> policy(SourceName source) {
    return Optional.ofNullable(RetentionPolicy.parse(store.meta(META_PREFIX + source.value()).orElse(null)));
  }

  /** Rows of one symbol a policy would delete. */
  public record SymbolPlan(Symbol symbol, long rows, Instant first, Instant last) {}

  /** What a source's policy would do now. {@code reason} says why it needs --confirm (null: it does not). */
  public record SourcePlan(SourceRecord source, RetentionPolicy policy, Instant cutoff, long rows,
      List<SymbolPlan> symbols, String reason) {
    public boolean needsConfirm() {
      return reason != null && rows > 0 && !policy.confirmed();
    }
  }

  /** One archived month. */
  public record Archived(SourceName source, String month, Path file, long rows, String sha256, boolean reused) {}

  /**
   * What {@link #apply} did, per source: rows deleted, the archives written, and the archived rows
   * kept because they changed (or went) between the archive and the delete: a row is deleted only
   * when it still equals its archived copy, so a later value is never lost; the next run archives it.
   */
  public record Applied(SourceName source, long deleted, List<Archived> archives, long kept) {}

  /** The plan of every source with a policy, sorted by name; {@code only} (may be null) picks one. */
  public List<SourcePlan> plan(SourceName only) {
    Instant now = clock.instant();
    List<SourcePlan> out = new ArrayList<>();
    for (SourceRecord r : store.sources()) {
      if (!r.tableExists() || (only != null && !only.equals(r.name()))) {
        continue;
      }
      RetentionPolicy p = policy(r.name()).orElse(null);
      if (p == null) {
        continue;
      }
      Instant cutoff = p.cutoff(now);
      List<SymbolPlan> symbols = new ArrayList<>();
      long total = 0;
      for (SymbolStats s : store.symbolStats(r.name())) {
        SourceStats st = store.stats(r.name(), new BarFilter(s.symbol(), new TimeRange(null, cutoff)));
        if (st.rows() > 0) {
          symbols.add(new SymbolPlan(s.symbol(), st.rows(), st.first(), st.last()));
          total += st.rows();
        }
      }
      out.add(new SourcePlan(r, p, cutoff, total, symbols, realReason(r, cutoff)));
    }
    if (only != null && out.isEmpty()) {
      store.requireSource(only);
      throw new InvalidInputException("source '" + only + "' has no retention policy; set one with tickvault retention "
          + "set --source " + only + " --keep 30d");
    }
    return out;
  }

  private String realReason(SourceRecord r, Instant cutoff) {
    if (r.kind() == SourceKind.VENDOR) {
      return "'" + r.name() + "' is a vendor source (real market data)";
    }
    SourceService sources = new SourceService(store);
    List<String> real = store.origins(r.name(), new BarFilter(null, new TimeRange(null, cutoff))).stream()
        .map(OriginCount::origin).filter(o -> sources.originKind(o) == SourceKind.VENDOR).map(SourceName::value)
        .toList();
    return real.isEmpty() ? null : "'" + r.name() + "' holds rows of real origin (" + String.join(", ", real) + ")";
  }

  /**
   * Applies the plans: archives (when the policy says so) and deletes. Refused before anything
   * changes when a plan needs confirmation and {@code confirm} is false.
   */
  public List<Applied> apply(List<SourcePlan> plans, boolean confirm, Path archiveDir) {
    // one run per store at a time (two runs could archive one month twice); the mirror refuses here
    AutoCloseable lock = store.tryLock("retention").orElseThrow(() -> new InvalidInputException("another "
        + "retention run holds the retention lock of " + store.info().location() + "; wait for it to finish. "
        + "Nothing was changed"));
    try (lock) {
      return applyLocked(plans, confirm, archiveDir);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("releasing the retention lock failed: " + e.getMessage(), e);
    }
  }

  private List<Applied> applyLocked(List<SourcePlan> plans, boolean confirm, Path archiveDir) {
    if (!confirm) {
      List<String> need = plans.stream().filter(SourcePlan::needsConfirm)
          .map(p -> p.reason() + ": " + p.rows() + " rows").toList();
      if (!need.isEmpty()) {
        throw new InvalidInputException("retention would delete real market data for the first time under this policy ("
            + String.join("; ", need) + "); check the counts with --dry-run and rerun with --confirm. Nothing was "
            + "changed");
      }
    }
    List<Applied> out = new ArrayList<>();
    for (SourcePlan p : plans) {
      if (p.rows() == 0) {
        out.add(new Applied(p.source().name(), 0, List.of(), 0));
        continue;
      }
      SourceName name = p.source().name();
      long deleted = 0;
      long kept = 0;
      List<Archived> archives = new ArrayList<>();
      if (p.policy().archive()) {
        ArchiveManifest manifest = ArchiveManifest.open(archiveDir, name);
        SourceStats old = store.stats(name, new BarFilter(null, new TimeRange(null, p.cutoff())));
        YearMonth m = YearMonth.from(old.first().atZone(ZoneOffset.UTC));
        YearMonth end = YearMonth.from(p.cutoff().atZone(ZoneOffset.UTC)); // cutoff is a month start: exclusive
        for (; m.isBefore(end); m = m.plusMonths(1)) {
          Instant from = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
          Instant to = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
          BarFilter f = new BarFilter(null, new TimeRange(from, to));
          if (store.stats(name, f).rows() == 0) {
            continue;
          }
          Archived a = archiveMonth(p.source(), m.toString(), f, manifest);
          archives.add(a);
          beforeDelete.run();
          long gone = BarPipe.transfer(sink -> ParquetBars.read(a.file(), sink), rows -> store.deleteRows(name, rows));
          deleted += gone;
          kept += a.rows() - gone;
        }
      } else {
        deleted = store.delete(name, new BarFilter(null, new TimeRange(null, p.cutoff())));
      }
      if (p.reason() != null && !p.policy().confirmed()) {
        set(name, p.policy().confirm());
      }
      out.add(new Applied(name, deleted, archives, kept));
    }
    return out;
  }

  /** Writes, verifies and records one month's archive; or finds it already archived (a rerun after a crash). */
  private Archived archiveMonth(SourceRecord source, String month, BarFilter f, ArchiveManifest manifest) {
    SourceName name = source.name();
    Optional<ArchiveManifest.Entry> earlier = manifest.latest(month);
    if (earlier.isPresent()) {
      Path file = manifest.folder().resolve(earlier.get().file());
      RowsDigest now = new RowsDigest();
      store.read(name, f, now);
      if (now.hex().equals(earlier.get().rowsDigest()) && java.nio.file.Files.isRegularFile(file)
          && ArchiveManifest.sha256(file).equals(earlier.get().sha256())) {
        return new Archived(name, month, file, earlier.get().rows(), earlier.get().sha256(), true);
      }
    }
    try {
      java.nio.file.Files.createDirectories(manifest.folder());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the archive folder " + manifest.folder(), e);
    }
    Path file = manifest.newFile(month);
    RowsDigest written = new RowsDigest();
    BarPipe.transfer(sink -> store.read(name, f, sink), bars -> ParquetBars.write(file, ExportService.tap(bars, written),
        ExportService.meta(source), n -> { }));
    ArchiveManifest.forceFolder(manifest.folder());
    RowsDigest readBack = new RowsDigest();
    ParquetBars.read(file, readBack);
    String digest = written.hex();
    if (readBack.rows() != written.rows() || !readBack.hex().equals(digest)) {
      throw new IllegalStateException("the archive " + file + " does not read back as written (" + readBack.rows()
          + " rows read, " + written.rows() + " written); nothing was deleted");
    }
    String sha = ArchiveManifest.sha256(file);
    manifest.add(new ArchiveManifest.Entry(file.getFileName().toString(), month, sha, written.rows(), written.symbols(),
        String.valueOf(written.first()), String.valueOf(written.last()), f.range().from().toString(),
        f.range().to().toString(), written.origins(), digest, clock.instant().toString()));
    return new Archived(name, month, file, written.rows(), sha, false);
  }
}
