/**
 * Storage: the {@link io.tickvault.store.BarStore} interface, its value types and exceptions, and the
 * {@link io.tickvault.store.Stores} factory. Engines live in {@code store.postgres} and
 * {@code store.sqlite} with shared JDBC plumbing in {@code store.jdbc}; those packages are not API.
 * Depends on {@code domain} only.
 */
package io.tickvault.store;
