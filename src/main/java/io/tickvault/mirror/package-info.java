/**
 * Production to mirror: one-way incremental sync, lineage, per-chunk SHA-256 checksums,
 * {@code verify} and freshness. The mirror is a SQLite file changed only by
 * {@link io.tickvault.mirror.MirrorService#sync}; every other path opens it read-only. The front
 * door is {@link io.tickvault.mirror.MirrorService}; {@link io.tickvault.mirror.GitHooks} keeps
 * database files out of git. Depends on {@code domain} and {@code store} only; its one piece of
 * SQL ({@code MirrorCatalog}) is confined to the mirror's own {@code tickvault_*} lineage tables,
 * on connections the SQLite engine hands out for that purpose.
 */
package io.tickvault.mirror;
