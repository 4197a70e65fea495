package io.tickvault.mirror;

import io.tickvault.domain.SourceName;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How fresh a mirror is. {@code lastSync} is the finish time of the last successful sync (null if
 * never synced); {@code age} is now minus that (null if never); {@code stale} is true when never
 * synced or older than {@code staleAfter}. {@code dataThrough} is, per source, the newest bar
 * timestamp in the mirror capped at now, so a future-dated row cannot hide staleness.
 */
public record Freshness(Instant lastSync, Duration age, Duration staleAfter, boolean stale,
    Map<SourceName, Instant> dataThrough) {

  /** Whole days of age, rounded down (0 when never synced). */
  public long ageDays() {
    return age == null ? 0 : age.toDays();
  }
}
