package io.tickvault.store;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import java.time.Instant;

/**
 * A source as the store knows it. {@code registered} is false for a table that exists without a
 * registry entry (made by hand); {@code tableExists} is false for a registered source whose table
 * was dropped. {@code createdAt} may be null for unregistered tables.
 */
public record SourceRecord(SourceName name, SourceKind kind, String description, Instant createdAt,
    boolean registered, boolean tableExists) {}
