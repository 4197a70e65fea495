/**
 * Alpaca Market Data v2 wire records, exactly as documented in {@code VENDOR-APIS.md} §2: numbers
 * kept as exact decimals, timestamps as sent. Immutable, thread-safe; no conversion to bars here
 * ({@link io.tickvault.ingest.alpaca.AlpacaAdapters} does that).
 */
package io.tickvault.ingest.alpaca.dto;
