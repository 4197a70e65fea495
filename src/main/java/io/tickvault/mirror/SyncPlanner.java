package io.tickvault.mirror;

import io.tickvault.domain.Chunk;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.mirror.SyncRecord.Mode;
import io.tickvault.store.ChangeSet;
import io.tickvault.store.MirrorStore.Dirty;
import io.tickvault.store.MirrorStore.State;
import io.tickvault.store.SyncSelection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one sync does, decided from what it was told: the mirror's state and what it holds, what
 * production's change log says, the selection, and which table each production source is. Pure:
 * no store, no clock, no I/O (everything it needs is read beforehand by {@link Syncer}), so it is
 * tested without a database. Stateless.
 */
final class SyncPlanner {
  private SyncPlanner() {}

  /** How one selected source is brought up to date. */
  enum Kind {
    /** Not in the mirror: every production row is copied. */
    FRESH,
    /** Every chunk compared with the mirror (chunks the mirror has and production no longer has are removed). */
    COMPARE,
    /** Only the chunks listed are compared (production's change log and the guards named them). */
    CHUNKS
  }

  /**
   * The work for one selected source. {@code forced}: rows are read back from the mirror for every
   * chunk (recorded checksums are not trusted); {@code forcedChunks}: those chunks (changed outside
   * sync) likewise.
   */
  record Step(SourceName source, Kind kind, boolean forced, List<Chunk> chunks, Set<Chunk> forcedChunks) {
    Step {
      chunks = List.copyOf(chunks);
      forcedChunks = Set.copyOf(forcedChunks);
    }

    boolean forces(Chunk ch) {
      return forced || forcedChunks.contains(ch);
    }
  }

  /** The sources chosen: as recorded, and those production holds now; and the first day mirrored. */
  record Selection(SyncSelection recorded, Set<SourceName> sources, LocalDate since) {
    Selection {
      sources = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(sources));
    }
  }

  /** What the mirror holds of a source: recorded rows, whether its guards exist, the recorded generation. */
  record MirrorSource(long recordedRows, boolean guarded, String generation) {}

  /**
   * Everything a plan is made from.
   *
   * @param state          the mirror's sync state
   * @param sameProduction whether production is the store the mirror was made from
   * @param full           {@code --full} was asked for
   * @param changes        production's change set (since the last sync's position when incremental)
   * @param logBreak       why production's change log does not continue the one the last sync followed, or null
   * @param available      production's sources with a table
   * @param selection      the selection (see {@link #select})
   * @param generations    production's table generation per selected source (null: unknown)
   * @param firstBars      production's first bar per selected source (only needed with a since day)
   * @param mirror         the source tables in the mirror and what is recorded of them
   * @param dirty          chunks changed outside sync
   * @param unreadable     sources with a chunk changed outside sync into values no bar can hold
   */
  record Input(State state, boolean sameProduction, boolean full, ChangeSet changes, String logBreak,
      Set<SourceName> available, Selection selection, Map<SourceName, String> generations,
      Map<SourceName, Instant> firstBars, Map<SourceName, MirrorSource> mirror, Dirty dirty,
      Set<SourceName> unreadable) {}

  /**
   * The plan: the mode, sources to drop from the mirror (not selected: counted as dropped) and to
   * rebuild (dropped, then copied again: counted as deleted, then added), one step per selected
   * source in name order, the warnings to show, and what the selection leaves out.
   */
  record Plan(Mode mode, Map<SourceName, Long> drops, Map<SourceName, Long> rebuilds, List<Step> steps,
      List<String> warnings, LeftOut leftOut) {
    /** Warnings, then what the selection leaves out: what the sync log keeps as notes. */
    List<String> notes() {
      List<String> out = new ArrayList<>(warnings);
      out.addAll(leftOut.notes());
      return out;
    }
  }

  /** The mode before production's change log was asked whether it continues (see {@link Input#logBreak}). */
  static Mode requestedMode(State st, boolean sameProduction, boolean full) {
    return !st.synced() || !sameProduction ? Mode.FIRST : full ? Mode.FULL : Mode.INCREMENTAL;
  }

  /**
   * The selection: the sources asked for (all for an empty set), else the recorded one (all before
   * the first sync); a recorded name production has since dropped is left out. Refuses names
   * production does not hold ({@link NotFoundException}, naming {@code productionLocation}).
   */
  static Selection select(State st, SyncOptions opts, Set<SourceName> available, String productionLocation) {
    SyncSelection recorded;
    if (opts.sources() == null) {
      recorded = st.selection();
    } else {
      if (!opts.sources().isEmpty()) {
        refuseUnknown(opts, available, productionLocation);
      }
      recorded = SyncSelection.of(opts.sources());
    }
    Set<SourceName> selected = new TreeSet<>();
    for (SourceName s : available) {
      if (recorded.includes(s)) {
        selected.add(s); // a stored selection may name a source production has since dropped
      }
    }
    LocalDate since = opts.allHistory() ? null : opts.since() != null ? opts.since() : st.since();
    return new Selection(recorded, selected, since);
  }

  /** Refuses a selection that names sources production does not hold. */
  static void refuseUnknown(SyncOptions opts, Set<SourceName> available, String productionLocation) {
    List<String> unknown = new ArrayList<>();
    for (SourceName s : opts.sources()) {
      if (!available.contains(s)) {
        unknown.add(s.value());
      }
    }
    if (!unknown.isEmpty()) {
      throw new NotFoundException("unknown source(s) " + String.join(", ", unknown) + " in production [production="
          + productionLocation + ", available=" + String.join(",", new TreeSet<>(available).stream()
          .map(SourceName::value).toList()) + "]; check --sources; nothing was changed");
    }
  }

  static Plan plan(Input in) {
    State st = in.state();
    Set<SourceName> selected = in.selection().sources();
    LocalDate since = in.selection().since();
    List<String> warnings = new ArrayList<>();
    Mode mode = requestedMode(st, in.sameProduction(), in.full());
    if (mode == Mode.INCREMENTAL && in.logBreak() != null) {
      mode = Mode.FULL;
      warnings.add(in.logBreak() + "; so this sync compared every chunk with production in full");
    }
    boolean sinceChanged = st.synced() && !Objects.equals(since, st.since());
    ChangeSet changes = in.changes();
    for (SourceName s : changes.untracked()) {
      if (selected.contains(s)) {
        warnings.add("production table " + s.tableName() + " has no tickvault change tracking (made outside "
            + "tickvault, its triggers were dropped or disabled, or a partition of it was attached, detached or "
            + "dropped by hand), so every sync compares source " + s + " in full; run `tickvault create --source "
            + s + "` against production, as the table's owner, to install it");
      }
    }

    Map<SourceName, Long> drops = new TreeMap<>();
    Set<SourceName> inMirror = new TreeSet<>(in.mirror().keySet());
    for (SourceName s : inMirror) {
      if (!selected.contains(s)) {
        drops.put(s, in.mirror().get(s).recordedRows());
      }
    }
    inMirror.removeAll(drops.keySet());

    // rows changed by hand into values no bar can hold cannot be compared: rebuild the source
    Set<SourceName> rebuild = new TreeSet<>(in.dirty().rebuild());
    rebuild.addAll(in.unreadable());
    Map<SourceName, Long> rebuilds = new TreeMap<>();
    for (SourceName s : rebuild) {
      if (inMirror.contains(s) && selected.contains(s)) {
        rebuilds.put(s, in.mirror().get(s).recordedRows());
        inMirror.remove(s);
      }
    }

    List<Step> steps = new ArrayList<>();
    for (SourceName s : selected) {
      if (!inMirror.contains(s)) {
        steps.add(new Step(s, Kind.FRESH, false, List.of(), Set.of()));
        continue;
      }
      MirrorSource m = in.mirror().get(s);
      String generation = in.generations().get(s);
      boolean sameTable = generation != null && generation.equals(m.generation());
      if (mode != Mode.INCREMENTAL || sinceChanged || !m.guarded() || !sameTable
          || changes.wholeSources().contains(s)) {
        // a full comparison; rows are read back from the mirror (not trusted from the recorded
        // checksums) when asked for, on a mirror of another production, or when the guards that
        // record changes made outside sync were removed
        steps.add(new Step(s, Kind.COMPARE, mode != Mode.INCREMENTAL || !m.guarded(), List.of(), Set.of()));
      } else {
        Set<Chunk> forcedChunks = new HashSet<>();
        TreeSet<Chunk> chunks = new TreeSet<>();
        for (Chunk ch : changes.chunks()) {
          if (ch.source().equals(s) && (since == null || !ch.day().isBefore(since))) {
            chunks.add(ch);
          }
        }
        for (Chunk ch : in.dirty().chunks()) {
          if (ch.source().equals(s)) {
            chunks.add(ch);
            forcedChunks.add(ch);
          }
        }
        steps.add(new Step(s, Kind.CHUNKS, false, new ArrayList<>(chunks), forcedChunks));
      }
    }
    return new Plan(mode, drops, rebuilds, steps, warnings, leftOut(in.available(), selected, since, in.firstBars()));
  }

  /** Production sources outside the selection, and selected sources with bars before {@code since}. */
  static LeftOut leftOut(Set<SourceName> available, Set<SourceName> selected, LocalDate since,
      Map<SourceName, Instant> firstBars) {
    List<SourceName> outside = new ArrayList<>();
    for (SourceName s : new TreeSet<>(available)) {
      if (!selected.contains(s)) {
        outside.add(s);
      }
    }
    List<SourceName> before = new ArrayList<>();
    Instant first = null;
    if (since != null) {
      Instant from = since.atStartOfDay(ZoneOffset.UTC).toInstant();
      for (SourceName s : new TreeSet<>(selected)) {
        Instant f = firstBars.get(s);
        if (f != null && f.isBefore(from)) {
          before.add(s);
          first = first == null || f.isBefore(first) ? f : first;
        }
      }
    }
    return new LeftOut(outside, since, before, first);
  }
}
