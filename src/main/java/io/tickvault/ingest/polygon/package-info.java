/**
 * Polygon (Massive) historical bars: {@link io.tickvault.ingest.polygon.PolygonClient} (the
 * aggregates endpoint, Bearer key, {@code next_url} paging), wire records in {@code dto},
 * {@link io.tickvault.ingest.polygon.PolygonAdapters} (records to bars),
 * {@link io.tickvault.ingest.polygon.PolygonErrors} (statuses to exceptions, retry timing) and
 * {@link io.tickvault.ingest.polygon.PolygonBarSource}. Depends on {@code domain} and the shared
 * pieces of {@code ingest}; never on {@code store} or another vendor package.
 */
package io.tickvault.ingest.polygon;
