package io.tickvault.domain;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The unit of change tracking and checksums: the bars of one symbol of one source on one UTC day.
 */
public record Chunk(SourceName source, Symbol symbol, LocalDate day) implements Comparable<Chunk> {

  public TimeRange range() {
    return TimeRange.day(day);
  }

  public static LocalDate dayOf(java.time.Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  @Override
  public int compareTo(Chunk o) {
    int c = source.compareTo(o.source);
    if (c == 0) c = symbol.compareTo(o.symbol);
    if (c == 0) c = day.compareTo(o.day);
    return c;
  }

  @Override
  public String toString() {
    return source + "/" + symbol + "/" + day;
  }
}
