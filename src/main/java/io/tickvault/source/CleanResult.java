package io.tickvault.source;

/**
 * Outcome of {@code clean}: {@code deleted} rows were removed, or, when {@code needsConfirm}, none
 * were and {@code wouldDelete} says how many would be.
 */
public record CleanResult(long deleted, long wouldDelete, boolean needsConfirm, String reason) {}
