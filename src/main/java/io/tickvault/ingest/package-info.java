/**
 * Getting bars in: the synthetic generator ({@code ingest.synthetic}), CSV import
 * ({@code ingest.csv}), vendor downloaders ({@code ingest.polygon}, {@code ingest.alpaca}), and
 * the shared pieces they use ({@link io.tickvault.ingest.VendorException}). Vendor packages never
 * import each other or {@code store}; the services in this package write through
 * {@link io.tickvault.store.BarStore}.
 */
package io.tickvault.ingest;
