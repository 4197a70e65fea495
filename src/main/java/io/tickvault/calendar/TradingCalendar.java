package io.tickvault.calendar;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Text;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Optional;

/** Which days are trading sessions, and their hours. Implementations are immutable and thread-safe. */
public interface TradingCalendar {
  /** The calendar names {@link #named} accepts. */
  String US_EQUITIES = "us-equities";
  String ALWAYS_OPEN = "24x7";

  /** {@code us-equities} or {@code 24x7}. */
  String name();

  /** The zone in which a day of this calendar is reckoned. */
  ZoneId zone();

  DayKind kind(LocalDate day);

  /** The session of that day, empty on a weekend or holiday. */
  Optional<Session> session(LocalDate day);

  /** A short description of a closed day or an early close ("Good Friday"), or null. */
  String note(LocalDate day);

  default boolean isSession(LocalDate day) {
    return kind(day).isSession();
  }

  /** The first session on or after {@code day}. */
  default LocalDate nextSessionOnOrAfter(LocalDate day) {
    LocalDate d = day;
    while (!isSession(d)) {
      d = d.plusDays(1);
    }
    return d;
  }

  /**
   * The calendar of that name; {@code extraClosed} adds one-off closures announced after this
   * release (us-equities only).
   */
  static TradingCalendar named(String name, Collection<LocalDate> extraClosed) {
    String n = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
    return switch (n) {
      case US_EQUITIES, "nyse", "xnys" -> new NyseCalendar(extraClosed);
      case ALWAYS_OPEN, "24/7", "crypto" -> {
        if (extraClosed != null && !extraClosed.isEmpty()) {
          throw new InvalidInputException("--closed applies to the us-equities calendar only; 24x7 has no closures");
        }
        yield AlwaysOpenCalendar.INSTANCE;
      }
      default -> throw new InvalidInputException("unknown calendar " + Text.quote(name)
          + ": use us-equities (NYSE sessions) or 24x7 (every minute of every day)");
    };
  }
}
