package io.tickvault.quality;

import io.tickvault.calendar.DayKind;
import java.time.LocalDate;

/**
 * One calendar day of one symbol, for the coverage heat map: what the calendar says ({@code kind},
 * {@code note}), how many bars a complete day holds ({@code expected}; 0 on a closed day), how many
 * of them are there ({@code present}) and how many bars lie outside the session ({@code outside}:
 * extended hours, or every bar of a closed day).
 */
public record DayCoverage(LocalDate day, DayKind kind, String note, long expected, long present, long outside) {}
