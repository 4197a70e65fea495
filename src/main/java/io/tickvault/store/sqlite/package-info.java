/**
 * The SQLite engine (embedded production store, test store and mirrors). Prices are stored as
 * INTEGER scaled by 10^4 and timestamps as INTEGER microseconds since the epoch, in WITHOUT ROWID
 * tables, so values stay exact. Not API: reach it through {@link io.tickvault.store.Stores}.
 */
package io.tickvault.store.sqlite;
