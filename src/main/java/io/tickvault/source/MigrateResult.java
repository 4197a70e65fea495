package io.tickvault.source;

import io.tickvault.domain.SourceName;
import java.util.List;

/** Outcome of {@code migrate}: rows copied (upserted) into the target, and their origins. */
public record MigrateResult(long rows, List<SourceName> origins, boolean replaced) {}
