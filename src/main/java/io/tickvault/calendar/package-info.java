/**
 * Exchange calendars of tickvault's own: which days are trading sessions and when each opens and
 * closes. {@link io.tickvault.calendar.NyseCalendar} encodes the NYSE rules (full-day holidays,
 * 13:00 early closes, one-off closures; see docs/quality.md) and
 * {@link io.tickvault.calendar.AlwaysOpenCalendar} is the 24x7 calendar of crypto markets. Pick one
 * by name with {@link io.tickvault.calendar.TradingCalendar#named}. Depends on {@code java.*} and
 * {@code domain} only; every type here is immutable and thread-safe.
 */
package io.tickvault.calendar;
