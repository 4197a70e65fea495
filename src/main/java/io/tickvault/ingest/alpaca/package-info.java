/**
 * Alpaca Market Data v2 historical stock bars: {@link io.tickvault.ingest.alpaca.AlpacaClient}
 * (multi-symbol bars endpoint, key headers, {@code next_page_token} paging), wire records in
 * {@code dto}, {@link io.tickvault.ingest.alpaca.AlpacaAdapters} (records to bars),
 * {@link io.tickvault.ingest.alpaca.AlpacaErrors} (statuses to exceptions, waiting for
 * {@code X-RateLimit-Reset}) and {@link io.tickvault.ingest.alpaca.AlpacaBarSource}. Depends on
 * {@code domain} and the shared pieces of {@code ingest}; never on {@code store} or another vendor
 * package.
 */
package io.tickvault.ingest.alpaca;
