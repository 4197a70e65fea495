package io.tickvault.calendar;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/** Every UTC day is a session from 00:00 to 24:00 UTC (crypto markets). */
public final class AlwaysOpenCalendar implements TradingCalendar {
  public static final AlwaysOpenCalendar INSTANCE = new AlwaysOpenCalendar();

  private AlwaysOpenCalendar() {}

  @Override
  public String name() {
    return ALWAYS_OPEN;
  }

  @Override
  public ZoneId zone() {
    return ZoneOffset.UTC;
  }

  @Override
  public DayKind kind(LocalDate day) {
    return DayKind.SESSION;
  }

  @Override
  public Optional<Session> session(LocalDate day) {
    return Optional.of(new Session(day, day.atStartOfDay(ZoneOffset.UTC).toInstant(),
        day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), false));
  }

  @Override
  public String note(LocalDate day) {
    return null;
  }
}
