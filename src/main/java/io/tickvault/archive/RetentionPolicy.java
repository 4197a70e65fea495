package io.tickvault.archive;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Text;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source's retention policy: keep bars younger than {@code keep}, delete (and, with {@code
 * archive}, first archive) the older ones. {@code confirmed} records that someone ran {@code
 * retention apply --confirm} for this policy on a source of real data; a new policy starts
 * unconfirmed. Immutable.
 *
 * <p>Stored in the store's metadata under {@code retention.<source>} as {@code keep=30d archive=true
 * confirmed=false}, next to the source registry, so every tickvault that opens the store sees it.
 */
public record RetentionPolicy(String keep, Period period, boolean archive, boolean confirmed) {
  private static final Pattern KEEP = Pattern.compile("([1-9][0-9]{0,3})([dwmy])");

  /** Parses {@code 30d}, {@code 12w}, {@code 6m} (months), {@code 2y}. */
  public static RetentionPolicy of(String keep, boolean archive) {
    Matcher m = KEEP.matcher(keep == null ? "" : keep.strip());
    if (!m.matches()) {
      throw new InvalidInputException("invalid --keep " + Text.quote(keep) + ": use a number and d (days), w (weeks), "
          + "m (months) or y (years), e.g. 30d or 2y");
    }
    int n = Integer.parseInt(m.group(1));
    Period p = switch (m.group(2)) {
      case "d" -> Period.ofDays(n);
      case "w" -> Period.ofWeeks(n);
      case "m" -> Period.ofMonths(n);
      default -> Period.ofYears(n);
    };
    return new RetentionPolicy(m.group(0), p, archive, false);
  }

  /** Reads the stored form; null for a missing or cleared entry. */
  static RetentionPolicy parse(String stored) {
    if (stored == null || stored.isBlank() || stored.strip().equals("off")) {
      return null;
    }
    String keep = null;
    boolean archive = false;
    boolean confirmed = false;
    for (String part : stored.strip().split("\\s+")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      switch (kv[0]) {
        case "keep" -> keep = kv[1];
        case "archive" -> archive = Boolean.parseBoolean(kv[1]);
        case "confirmed" -> confirmed = Boolean.parseBoolean(kv[1]);
        default -> { }
      }
    }
    RetentionPolicy p = of(keep, archive);
    return new RetentionPolicy(p.keep, p.period, archive, confirmed);
  }

  String stored() {
    return "keep=" + keep + " archive=" + archive + " confirmed=" + confirmed;
  }

  RetentionPolicy confirm() {
    return new RetentionPolicy(keep, period, archive, true);
  }

  /**
   * The first instant that is kept, at {@code now}: the start of the UTC day {@code keep} before
   * now; with {@code archive}, the start of that day's UTC month, so that archives hold whole months.
   */
  public Instant cutoff(Instant now) {
    LocalDate d = now.atZone(ZoneOffset.UTC).toLocalDate().minus(period);
    if (archive) {
      d = d.withDayOfMonth(1);
    }
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
