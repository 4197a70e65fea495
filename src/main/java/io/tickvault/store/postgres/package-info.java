/**
 * The PostgreSQL engine: COPY-based bulk writes, trigger-based change tracking, TimescaleDB
 * hypertables when the extension is installed. Not API: reach it through
 * {@link io.tickvault.store.Stores}.
 */
package io.tickvault.store.postgres;
