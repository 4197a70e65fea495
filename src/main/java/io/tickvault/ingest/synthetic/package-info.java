/**
 * The synthetic data generator: geometric Brownian motion per symbol, deterministic for a seed,
 * OHLC-consistent bars during US regular trading hours (or around the clock), and the service
 * that writes them into a generated source. Depends on {@code domain} and {@code store}.
 */
package io.tickvault.ingest.synthetic;
