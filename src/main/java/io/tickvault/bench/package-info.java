/**
 * {@code tickvault bench}: measured throughput of the bulk paths on this machine, each reported as
 * a ratio against a baseline measured in the same run (raw COPY, one INSERT per row, raw batched
 * SQLite inserts). Baselines are plain SQL by definition, so this package is the one place outside
 * {@code store} that issues SQL, and only against scratch tables it creates and drops itself.
 * Depends on {@code domain}, {@code store}, {@code ingest}, {@code mirror}, {@code calendar} and
 * {@code quality}.
 */
package io.tickvault.bench;
