/**
 * The source registry and the rules that keep sources apart: which sources exist, what cleaning a
 * vendor source needs ({@code --confirm}), and which migrations would mix real and generated data
 * (refused before anything is written; {@link io.tickvault.source.MixingRules}, which ingest asks
 * too). Depends on {@code domain} and {@code store}.
 */
package io.tickvault.source;
