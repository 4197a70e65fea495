package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converters for the values users type, registered once for every command
 * ({@link #register}): an option declared as {@link LocalDate}, {@link Duration} or {@link Symbol} is
 * parsed here,
 * and a typo is a usage error that names the option and the accepted forms (picocli prefixes
 * "Invalid value for option '--from': "), before the command runs or opens a store.
 */
final class Converters {
  /** The accepted forms of a day, as said in every error about one. */
  static final String DATE_FORMS = "use a day as YYYY-MM-DD, e.g. 2025-01-15";
  /** The accepted forms of a duration, as said in every error about one. */
  static final String DURATION_FORMS = "use a number and a unit (s, m, h, d or w), e.g. 30m, 6h, 24h, 30d, 2w, or "
      + "ISO-8601 such as PT90M";

  private Converters() {}

  /** Registers the converters on a command line and all its subcommands. */
  static void register(CommandLine cl) {
    cl.registerConverter(LocalDate.class, Converters::date);
    cl.registerConverter(Duration.class, Converters::duration);
    cl.registerConverter(Symbol.class, Converters::symbol);
  }

  /** A day, {@code 2025-01-15}. */
  static LocalDate date(String s) {
    try {
      return LocalDate.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(Text.quote(s) + " is not a day; " + DATE_FORMS);
    }
  }

  /** A symbol, by {@link Symbol#of}'s rules (its message says which character is refused). */
  static Symbol symbol(String s) {
    try {
      return Symbol.of(s);
    } catch (InvalidInputException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** A duration: {@code 30m}, {@code 6h}, {@code 30d}, {@code 2w}, {@code 45s}, or ISO-8601. */
  static Duration duration(String s) {
    try {
      return Settings.parseDuration(s, "duration");
    } catch (InvalidInputException e) {
      throw new TypeConversionException(Text.quote(s) + " is not a duration; " + DURATION_FORMS);
    }
  }
}
