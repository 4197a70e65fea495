package io.tickvault.store;

import io.tickvault.domain.Chunk;
import java.util.Set;

/** What one atomic write did: bars accepted (after de-duplication of repeated keys) and chunks touched. */
public record WriteResult(long rows, Set<Chunk> chunks) {}
