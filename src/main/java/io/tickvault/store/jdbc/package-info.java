/**
 * Shared JDBC plumbing of the storage engines: connection handling, the SQL that both engines
 * share, and the hooks each engine fills in ({@link io.tickvault.store.jdbc.JdbcBarStore}).
 * Not API: use {@link io.tickvault.store.BarStore} and {@link io.tickvault.store.Stores}.
 */
package io.tickvault.store.jdbc;
