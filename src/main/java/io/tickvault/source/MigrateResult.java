package io.tickvault.source;

import io.tickvault.domain.SourceName;
import io.tickvault.store.WriteResult;
import java.util.List;

/**
 * Outcome of {@code migrate}: rows copied (upserted) into the target, their origins, and what the
 * write did (added, replaced with different values, unchanged; with {@code --replace}, the rows
 * removed first).
 */
public record MigrateResult(long rows, List<SourceName> origins, boolean replaced, WriteResult written) {}
