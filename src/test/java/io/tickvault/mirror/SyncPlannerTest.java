package io.tickvault.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.mirror.SyncPlanner.Kind;
import io.tickvault.mirror.SyncPlanner.MirrorSource;
import io.tickvault.mirror.SyncPlanner.Plan;
import io.tickvault.mirror.SyncPlanner.Selection;
import io.tickvault.mirror.SyncPlanner.Step;
import io.tickvault.mirror.SyncRecord.Mode;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.MirrorStore.Dirty;
import io.tickvault.store.MirrorStore.State;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sync planner on its own: plans made from plain values, no database. */
class SyncPlannerTest {
  private static final SourceName A = SourceName.of("alpha");
  private static final SourceName B = SourceName.of("beta");
  private static final Set<SourceName> BOTH = Set.of(A, B);
  private static final String PROD = "prod-store-id";
  private static final State SYNCED = new State("sqlite", null, null, "/p.db", PROD, 41L, io.tickvault.store.SyncSelection.ALL, null,
      Instant.parse("2024-01-02T00:00:00Z"), 3);
  private static final Chunk A_DAY = new Chunk(A, Symbol.of("AAPL"), LocalDate.of(2024, 1, 2));
  private static final Dirty CLEAN = new Dirty(Set.of(), Set.of());

  /** Inputs for a synced mirror holding both sources, guarded, with the generations production still has. */
  private static Input synced() {
    Input in = new Input();
    in.state = SYNCED;
    in.mirror.put(A, new MirrorSource(10, true, "gen-a"));
    in.mirror.put(B, new MirrorSource(20, true, "gen-b"));
    return in;
  }

  /** A mutable builder of SyncPlanner.Input with a mirror of production's defaults. */
  private static final class Input {
    State state = State.NEVER;
    boolean sameProduction = true;
    SyncOptions opts = SyncOptions.INCREMENTAL;
    ChangeSet changes = new ChangeSet(42, List.of(), Set.of());
    String logBreak;
    Set<SourceName> available = BOTH;
    Map<SourceName, String> generations = new TreeMap<>(Map.of(A, "gen-a", B, "gen-b"));
    Map<SourceName, Instant> firstBars = new TreeMap<>();
    Map<SourceName, MirrorSource> mirror = new TreeMap<>();
    Dirty dirty = CLEAN;
    Set<SourceName> unreadable = Set.of();

    Plan plan() {
      Selection sel = SyncPlanner.select(state, opts, available, "sqlite:/p.db");
      return SyncPlanner.plan(new SyncPlanner.Input(state, sameProduction, opts.full(), changes, logBreak, available,
          sel, generations, firstBars, mirror, dirty, unreadable));
    }
  }

  private static Step step(Plan p, SourceName s) {
    return p.steps().stream().filter(t -> t.source().equals(s)).findFirst().orElseThrow();
  }

  @Test
  void aFirstSyncCopiesEverySource() {
    Plan p = new Input().plan();
    assertEquals(Mode.FIRST, p.mode());
    assertEquals(List.of(A, B), p.steps().stream().map(Step::source).toList());
    assertTrue(p.steps().stream().allMatch(t -> t.kind() == Kind.FRESH));
    assertTrue(p.drops().isEmpty() && p.rebuilds().isEmpty() && p.notes().isEmpty());
  }

  @Test
  void anIncrementalSyncReadsTheOneChangedChunk() {
    Input in = synced();
    in.changes = new ChangeSet(42, List.of(A_DAY), Set.of());
    Plan p = in.plan();
    assertEquals(Mode.INCREMENTAL, p.mode());
    Step a = step(p, A);
    assertEquals(Kind.CHUNKS, a.kind());
    assertEquals(List.of(A_DAY), a.chunks());
    assertFalse(a.forces(A_DAY), "a chunk production changed is compared by checksum first");
    assertEquals(Kind.CHUNKS, step(p, B).kind());
    assertTrue(step(p, B).chunks().isEmpty(), "nothing changed in beta: nothing to read");
  }

  @Test
  void aFullSyncComparesEveryChunkAndReadsTheMirrorBack() {
    Input in = synced();
    in.opts = SyncOptions.INCREMENTAL.withFull(true);
    Plan p = in.plan();
    assertEquals(Mode.FULL, p.mode());
    assertTrue(p.steps().stream().allMatch(t -> t.kind() == Kind.COMPARE && t.forced()));
  }

  @Test
  void aBrokenChangeLogTurnsAnIncrementalSyncIntoAFullOneWithAWarning() {
    Input in = synced();
    in.logBreak = "production was restored from a backup";
    Plan p = in.plan();
    assertEquals(Mode.FULL, p.mode());
    assertEquals(List.of("production was restored from a backup; so this sync compared every chunk with production "
        + "in full"), p.warnings());
  }

  @Test
  void aSourceDroppedInProductionIsDroppedFromTheMirror() {
    Input in = synced();
    in.available = Set.of(A);
    in.generations.remove(B);
    Plan p = in.plan();
    assertEquals(Map.of(B, 20L), p.drops(), "dropped with the rows it had");
    assertEquals(List.of(A), p.steps().stream().map(Step::source).toList());
    assertTrue(p.notes().isEmpty(), "a source production no longer has is not left out: " + p.notes());
  }

  @Test
  void aSelectionThatLeavesSourcesOutSaysSo() {
    Input in = synced();
    in.opts = new SyncOptions(Set.of(A), LocalDate.of(2024, 1, 1), false, false);
    in.firstBars.put(A, Instant.parse("2023-06-01T14:30:00Z"));
    Plan p = in.plan();
    assertEquals(Map.of(B, 20L), p.drops(), "a source no longer selected is dropped from the mirror");
    assertEquals(List.of(B), p.leftOut().sources());
    assertEquals(List.of(A), p.leftOut().sourcesBefore());
    assertEquals(2, p.notes().size(), p.notes().toString());
    assertTrue(p.notes().get(0).contains("outside this mirror's selection: beta"), p.notes().get(0));
    assertTrue(p.notes().get(1).contains("bars before 2024-01-01 (from 2023-06-01, in alpha)"), p.notes().get(1));
    assertEquals(Kind.COMPARE, step(p, A).kind(), "a new since day compares the source in full");
  }

  @Test
  void aReplacedProductionTableIsComparedInFull() {
    Input in = synced();
    in.generations.put(B, "gen-b-2");
    in.changes = new ChangeSet(42, List.of(A_DAY), Set.of());
    Plan p = in.plan();
    assertEquals(Mode.INCREMENTAL, p.mode());
    assertEquals(Kind.CHUNKS, step(p, A).kind());
    Step b = step(p, B);
    assertEquals(Kind.COMPARE, b.kind(), "beta is another table than the one last synced");
    assertFalse(b.forced(), "its guards are there: the recorded checksums still hold");
  }

  @Test
  void chunksChangedOutsideSyncAreForcedAndUnreadableOnesRebuildTheirSource() {
    Input in = synced();
    Chunk bDay = new Chunk(B, Symbol.of("MSFT"), LocalDate.of(2024, 1, 3));
    in.dirty = new Dirty(Set.of(A_DAY, bDay), Set.of());
    in.unreadable = Set.of(B);
    Plan p = in.plan();
    assertTrue(step(p, A).forces(A_DAY), "a chunk changed by hand is read back from the mirror");
    assertEquals(Map.of(B, 20L), p.rebuilds());
    assertEquals(Kind.FRESH, step(p, B).kind());
    assertTrue(p.drops().isEmpty());
  }

  @Test
  void unguardedSourcesAndUntrackedTablesAreComparedInFull() {
    Input in = synced();
    in.mirror.put(A, new MirrorSource(10, false, "gen-a"));
    in.changes = new ChangeSet(42, List.of(), Set.of(B), Set.of(B));
    Plan p = in.plan();
    assertEquals(Kind.COMPARE, step(p, A).kind());
    assertTrue(step(p, A).forced(), "without its guards the mirror's own rows are read back");
    assertEquals(Kind.COMPARE, step(p, B).kind());
    assertFalse(step(p, B).forced());
    assertTrue(p.warnings().get(0).contains("has no tickvault change tracking"), p.warnings().toString());
  }

  @Test
  void aSelectionNamingAnUnknownSourceIsRefused() {
    Input in = new Input();
    in.opts = new SyncOptions(Set.of(SourceName.of("gamma")), null, false, false);
    NotFoundException e = assertThrows(NotFoundException.class, in::plan);
    assertTrue(e.getMessage().contains("unknown source(s) gamma"), e.getMessage());
  }
}
