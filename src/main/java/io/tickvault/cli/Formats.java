package io.tickvault.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text formatting shared by commands. */
final class Formats {
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
      .withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(Instant t) {
    return t == null ? "-" : MINUTE.format(t);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }
}
