/**
 * The SQLite engine (embedded production store, test store and mirrors). Prices are stored as
 * INTEGER scaled by 10^4 and timestamps as INTEGER microseconds since the epoch, in WITHOUT ROWID
 * tables, so values stay exact. A mirror handle is a {@link io.tickvault.store.MirrorStore}; the SQL
 * of the mirror's own tables and guard triggers is in {@code MirrorRecords}. Not API: reach it
 * through {@link io.tickvault.store.Stores}.
 */
package io.tickvault.store.sqlite;
