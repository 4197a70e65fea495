/**
 * Data quality: {@link io.tickvault.quality.Validator} streams one source's bars once and reports
 * errors (prices outside [low, high], bars off the grid, future timestamps, volume 0 with a price
 * change), gaps against an exchange calendar (missing sessions, bars on closed days, and a count of
 * bars missing inside sessions) and suspicious moves (jumps, split-like jumps, volume spikes against a
 * rolling median, runs of identical bars). {@link io.tickvault.quality.SourceShape} is the one place
 * that decides a source's bar width and zone. Depends on {@code domain}, {@code calendar} and
 * {@code store}; no SQL.
 */
package io.tickvault.quality;
