/**
 * What the storage engines share, as small parts composed by
 * {@link io.tickvault.store.jdbc.JdbcBarStore}: the engine's {@link io.tickvault.store.jdbc.SqlDialect},
 * {@link io.tickvault.store.jdbc.Connections}, the {@link io.tickvault.store.jdbc.Registry} of sources,
 * the run log, the shared reads and writes and the write gate ({@link io.tickvault.store.jdbc.GateIterator}).
 * Not API: use {@link io.tickvault.store.BarStore} and {@link io.tickvault.store.Stores}.
 */
package io.tickvault.store.jdbc;
