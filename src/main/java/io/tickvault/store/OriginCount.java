package io.tickvault.store;

import io.tickvault.domain.SourceName;

/** How many rows of a selection have a given origin. */
public record OriginCount(SourceName origin, long rows) {}
