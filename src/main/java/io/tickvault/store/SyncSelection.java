package io.tickvault.store;

import io.tickvault.domain.SourceName;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which production sources a mirror follows: every source ({@link #ALL}, recorded as {@code *}, so
 * a source created later is mirrored too) or the named ones (recorded as names joined by commas).
 * The one place that reads and writes the recorded form.
 *
 * @param names the sources followed, sorted; empty for every source
 */
public record SyncSelection(SortedSet<SourceName> names) {
  /** Every production source, now and later. */
  public static final SyncSelection ALL = new SyncSelection(new TreeSet<>());

  public SyncSelection {
    names = Collections.unmodifiableSortedSet(new TreeSet<>(names));
  }

  /** The named sources; an empty collection selects every source. */
  public static SyncSelection of(Collection<SourceName> sources) {
    return sources.isEmpty() ? ALL : new SyncSelection(new TreeSet<>(sources));
  }

  /**
   * The recorded form read back: null, blank or {@code *} is every source; otherwise names joined by
   * commas (an invalid name fails with {@link io.tickvault.domain.InvalidInputException}).
   */
  public static SyncSelection parse(String recorded) {
    if (recorded == null || recorded.isBlank() || "*".equals(recorded.strip())) {
      return ALL;
    }
    SortedSet<SourceName> out = new TreeSet<>();
    for (String n : recorded.split(",")) {
      out.add(SourceName.of(n.strip()));
    }
    return new SyncSelection(out);
  }

  /** Whether every production source is followed. */
  public boolean all() {
    return names.isEmpty();
  }

  /** Whether the selection follows {@code source}. */
  public boolean includes(SourceName source) {
    return all() || names.contains(source);
  }

  /** The recorded form: {@code *} or the names joined by commas. */
  public String recorded() {
    return all() ? "*" : String.join(",", names.stream().map(SourceName::value).toList());
  }

  /** For people: "all sources" or the names joined by ", ". */
  public String describe() {
    return all() ? "all sources" : String.join(", ", names.stream().map(SourceName::value).toList());
  }

  @Override
  public String toString() {
    return recorded();
  }
}
