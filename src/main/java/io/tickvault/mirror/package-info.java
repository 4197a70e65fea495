/**
 * Production to mirror: one-way incremental sync, lineage, per-chunk SHA-256 checksums,
 * {@code verify} and freshness. The mirror is a SQLite file changed only by
 * {@link io.tickvault.mirror.MirrorService#sync}; every other path opens it read-only. The front
 * door is {@link io.tickvault.mirror.MirrorService}; {@link io.tickvault.mirror.GitHooks} keeps
 * database files out of git. Depends on {@code domain} and {@code store}'s interfaces only
 * ({@link io.tickvault.store.MirrorStore} for the mirror's file, its sync transaction and its
 * records): it plans, checksums and reports, and imports neither {@code java.sql} nor an engine
 * package; the SQL of the mirror's {@code tickvault_*} tables and guard triggers lives in
 * {@code store.sqlite}.
 */
package io.tickvault.mirror;
