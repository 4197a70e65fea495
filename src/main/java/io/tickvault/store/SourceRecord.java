package io.tickvault.store;

import io.tickvault.domain.BarGrid;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A source as the store knows it. {@code registered} is false for a table that exists without a
 * registry entry (made by hand); {@code tableExists} is false for a registered source whose table
 * was dropped. {@code createdAt} may be null for unregistered tables.
 *
 * <p>The source model: {@code width} is the one bar width the source holds (null until the first
 * write, or for a table tickvault has not looked at), {@code zone} its market time zone (never
 * null), and {@code mixed} says, when not null, why the rows of a store made before sources had a
 * width do not agree on one: writes into such a source are refused until it is split or cleaned.
 */
public record SourceRecord(SourceName name, SourceKind kind, String description, Instant createdAt,
    boolean registered, boolean tableExists, Timeframe width, ZoneId zone, String mixed) {

  public SourceRecord {
    if (zone == null) {
      zone = BarGrid.DEFAULT_ZONE;
    }
  }

  /** Where this source's bars may start, or null while it has no width. */
  public BarGrid grid() {
    return width == null ? null : new BarGrid(width, zone);
  }

  /** The width as the registry and the API spell it ({@code 1Min}), {@code mixed}, or null. */
  public String widthLabel() {
    return mixed != null ? "mixed" : width == null ? null : width.cliName();
  }
}
