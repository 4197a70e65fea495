/**
 * The HTTP API and the dashboard ({@code tickvault serve}, DESIGN.md §6). Routes are grouped per
 * resource ({@code SourcesRoutes}, {@code MarketDataRoutes}, {@code DataSourceRoutes},
 * {@code HealthRoutes}, {@code QualityRoutes}); handlers parse parameters and call {@code DataService}; every exception
 * becomes the one JSON error shape in {@code ApiErrors}. Static dashboard files live in
 * {@code src/main/resources/web} and are served by tickvault itself (no CDN).
 *
 * <p>The front door is {@link io.tickvault.server.ApiServer}; everything else is package-private.
 * {@link io.tickvault.server.DemoSetup} prepares the data of {@code tickvault demo}. Depends on
 * {@code domain}, {@code store}, {@code config}, {@code source}, {@code mirror},
 * {@code ingest}, {@code calendar}, {@code quality} and {@code backtest}; never on {@code cli}. No SQL here: aggregation happens in the store.
 */
package io.tickvault.server;
