/**
 * Live minute bars from the vendors' WebSocket streams into production ({@code tickvault collect}):
 * {@link io.tickvault.ingest.stream.StreamConnection} (the JDK WebSocket client with message
 * reassembly, one writer, client pings with a pong deadline), the
 * {@link io.tickvault.ingest.stream.StreamDialect} each vendor package implements (Alpaca stream
 * v2, Polygon/Massive {@code AM}), {@link io.tickvault.ingest.stream.SessionCalendar} (when the
 * data watchdog expects bars), {@link io.tickvault.ingest.stream.Collector} (the state machine:
 * connect, authenticate, subscribe, stream, back off, backfill gaps through a
 * {@link io.tickvault.ingest.BarSource}, write through {@link io.tickvault.store.BarStore}) and
 * {@link io.tickvault.ingest.stream.CollectorStatus} (what a collector publishes about itself for
 * {@code list}, {@code /api/sources} and {@code /health}). Depends on {@code domain},
 * {@code store} and the shared pieces of {@code ingest}; never on a vendor package (the CLI wires
 * the vendor's dialect and REST source in).
 */
package io.tickvault.ingest.stream;
