package io.tickvault.mirror;

import io.tickvault.domain.SourceName;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What production held, at the last sync, that the mirror's selection leaves out: production
 * sources outside {@code --sources} ({@code sources}), and bars before {@code --since}
 * ({@code since}; {@code sourcesBefore} are the selected sources with such bars, the earliest at
 * {@code firstBefore}). Every sync works it out again and says it, so a narrowed mirror never looks
 * like all of production. Immutable.
 */
public record LeftOut(List<SourceName> sources, LocalDate since, List<SourceName> sourcesBefore, Instant firstBefore) {
  /** Nothing left out. */
  public static final LeftOut NOTHING = new LeftOut(List.of(), null, List.of(), null);

  public LeftOut {
    sources = List.copyOf(sources);
    sourcesBefore = List.copyOf(sourcesBefore);
  }

  public boolean isEmpty() {
    return sources.isEmpty() && sourcesBefore.isEmpty();
  }

  /** One sentence per kind of omission, with the option that brings it in. */
  public List<String> notes() {
    List<String> out = new java.util.ArrayList<>();
    if (!sources.isEmpty()) {
      out.add("production has " + sources.size() + (sources.size() == 1 ? " source" : " sources")
          + " outside this mirror's selection: " + names(sources) + "; add " + (sources.size() == 1 ? "it" : "them")
          + " with --sources all");
    }
    if (!sourcesBefore.isEmpty()) {
      out.add("production has bars before " + since + " (from " + LocalDate.ofInstant(firstBefore,
          java.time.ZoneOffset.UTC) + ", in " + names(sourcesBefore) + ") that this mirror leaves out (--since "
          + since + "); add them with --since all");
    }
    return out;
  }

  private static String names(List<SourceName> list) {
    return list.stream().map(SourceName::value).collect(Collectors.joining(", "));
  }
}
