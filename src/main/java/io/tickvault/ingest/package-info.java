/**
 * Getting bars in: the synthetic generator ({@code ingest.synthetic}), CSV import
 * ({@code ingest.csv}), vendor downloaders ({@code ingest.polygon}, {@code ingest.alpaca}), and
 * what they share: {@link io.tickvault.ingest.VendorHttp} (pacing, timeouts, retries of 429/5xx,
 * redaction through {@link io.tickvault.ingest.Redactor}, injectable
 * {@link io.tickvault.ingest.Sleeper} and clock), the {@link io.tickvault.ingest.BarSource}
 * contract each vendor implements, the exception family rooted at
 * {@link io.tickvault.ingest.VendorException}, and
 * {@link io.tickvault.ingest.VendorIngestService}, which writes vendor pages through
 * {@link io.tickvault.store.BarStore} in atomic chunks with resumable, incremental backfill.
 * Vendor packages never import each other or {@code store}; the services in this package and in
 * {@code ingest.csv} write through {@link io.tickvault.store.BarStore}.
 */
package io.tickvault.ingest;
