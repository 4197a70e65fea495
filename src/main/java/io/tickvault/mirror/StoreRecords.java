package io.tickvault.mirror;

import io.tickvault.domain.SourceName;
import io.tickvault.store.MirrorStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Between the mirror's report types and the records {@link MirrorStore} keeps. Stateless. */
final class StoreRecords {
  private StoreRecords() {}

  static MirrorStore.SyncRow row(SyncRecord r) {
    return new MirrorStore.SyncRow(r.started(), r.finished(), r.mode().label(), r.production(), r.sources(),
        r.since(), r.chunksChecked(), r.chunksChanged(), r.rowsAdded(), r.rowsChanged(), r.rowsDeleted(), r.token());
  }

  static SyncRecord record(MirrorStore.SyncRow r) {
    return new SyncRecord(r.started(), r.finished(), SyncRecord.Mode.parse(r.mode()), r.production(), r.sources(),
        r.since(), r.chunksChecked(), r.chunksChanged(), r.rowsAdded(), r.rowsChanged(), r.rowsDeleted(), r.token());
  }

  static List<MirrorStore.SourceCounts> counts(List<SyncReport.SourceSync> per) {
    List<MirrorStore.SourceCounts> out = new ArrayList<>();
    for (SyncReport.SourceSync s : per) {
      out.add(new MirrorStore.SourceCounts(s.source(), s.action().name().toLowerCase(Locale.ROOT), s.chunksChecked(),
          s.chunksChanged(), s.rowsAdded(), s.rowsChanged(), s.rowsDeleted()));
    }
    return out;
  }

  static SyncLogEntry entry(MirrorStore.Attempt a) {
    List<SyncReport.SourceSync> per = new ArrayList<>();
    for (MirrorStore.SourceCounts s : a.perSource()) {
      per.add(new SyncReport.SourceSync(s.source(), SyncReport.Action.valueOf(s.action().toUpperCase(Locale.ROOT)),
          s.chunksChecked(), s.chunksChanged(), s.rowsAdded(), s.rowsChanged(), s.rowsDeleted()));
    }
    return new SyncLogEntry(a.id(), a.started(), a.finished(), a.mode(), a.ok(), a.production(),
        a.productionStoreId(), a.sources(), a.chunksChecked(), a.chunksChanged(), a.rowsAdded(), a.rowsChanged(),
        a.rowsDeleted(), per, a.notes(), a.error());
  }

  static SourceLineage lineage(MirrorStore.SourceRow r) {
    return new SourceLineage(r.source(), r.kind(), r.rows(), r.symbols(), r.first(), r.last(), r.since(),
        r.syncedAt(), r.timeframe(), r.timezone());
  }

  static LeftOut leftOut(MirrorStore.LeftOutRecord r, LocalDate since) {
    return new LeftOut(r.sources(), since, r.sourcesBefore(), r.firstBefore());
  }

  static MirrorStore.LeftOutRecord record(LeftOut l) {
    return new MirrorStore.LeftOutRecord(l.sources(), l.sourcesBefore(), l.firstBefore());
  }

  static List<SourceName> sources(List<SourceLineage> lineage) {
    return lineage.stream().map(SourceLineage::source).toList();
  }
}
