package io.tickvault.store;

import io.tickvault.domain.Symbol;
import java.time.Instant;

/** Rows and timestamp range of one symbol in one source. */
public record SymbolStats(Symbol symbol, long rows, Instant first, Instant last) {}
