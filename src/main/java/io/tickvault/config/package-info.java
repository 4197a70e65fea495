/**
 * Configuration and store access shared by the command line and the HTTP server:
 * {@link io.tickvault.config.Settings} resolves settings (flag &gt; environment &gt; {@code .env}
 * &gt; default) and {@link io.tickvault.config.Workspace} opens the stores they name. Depends on
 * {@code domain} and {@code store}'s interfaces ({@code BarStore}, {@code MirrorStore}, opened by
 * {@code Stores}), never on an engine package or {@code java.sql}. (A deviation from DESIGN.md §7, where this lived in
 * {@code app}: both {@code cli} and {@code server} need it, and neither may depend on {@code app}.)
 */
package io.tickvault.config;
