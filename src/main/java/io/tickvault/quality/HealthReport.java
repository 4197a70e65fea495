package io.tickvault.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The health of every source of one store at {@code now}; {@code mirror} is set when the store is
 * the read-only mirror (its last sync and age), else null.
 */
public record HealthReport(Instant now, String mode, String store, List<SourceHealth> sources, MirrorAge mirror) {

  /** The mirror's last successful sync (null: never), its age and whether it is stale. */
  public record MirrorAge(String file, Instant lastSync, Duration age, boolean stale) {}

  public HealthReport {
    sources = List.copyOf(sources);
  }

  /** True when any source is late, or its last ingest run failed or was abandoned: exit 3. */
  public boolean alert() {
    return sources.stream().anyMatch(SourceHealth::alert);
  }

  public HealthReport withMirror(MirrorAge m) {
    return new HealthReport(now, mode, store, sources, m);
  }
}
