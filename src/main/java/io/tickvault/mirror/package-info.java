/**
 * Production to mirror: one-way incremental sync, lineage, per-chunk SHA-256 checksums,
 * {@code verify} and freshness. The mirror is a SQLite file changed only by
 * {@link io.tickvault.mirror.MirrorService#sync}; every other path opens it read-only. Depends on
 * {@code domain} and {@code store}.
 */
package io.tickvault.mirror;
