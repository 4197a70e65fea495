/**
 * Polygon (Massive) wire records, exactly as documented in {@code VENDOR-APIS.md} §1: numbers kept
 * as exact decimals, optional fields null. Immutable, thread-safe; no conversion to bars here
 * ({@link io.tickvault.ingest.polygon.PolygonAdapters} does that).
 */
package io.tickvault.ingest.polygon.dto;
