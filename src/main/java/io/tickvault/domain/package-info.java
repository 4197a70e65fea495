/**
 * The vocabulary of tickvault: bars, symbols, source names and kinds, timeframes, ranges, and the
 * one validation gate every write passes through. Depends on {@code java.*} only; every type here
 * is immutable and thread-safe.
 */
package io.tickvault.domain;
