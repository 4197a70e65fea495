package io.tickvault.store;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Text;
import java.util.Locale;

/**
 * How a source's table is laid out in the engine: one table ({@link #NONE}), or, on PostgreSQL, a
 * table partitioned by UTC month of the bar's time ({@link #MONTHLY}): a partition per month,
 * created by tickvault's writes as bars of a new month arrive, dropped whole by retention when the
 * month's archive holds every one of its rows. See docs/partitioning.md.
 */
public enum Partitioning {
  NONE,
  MONTHLY;

  /** {@code none} or {@code monthly}, as the CLI and JSON spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code monthly} or {@code none} (any case). */
  public static Partitioning parse(String s) {
    for (Partitioning p : values()) {
      if (p.label().equalsIgnoreCase(s == null ? "" : s.strip())) {
        return p;
      }
    }
    throw new InvalidInputException("invalid --partition " + Text.quote(s) + ": use monthly (PostgreSQL only) "
        + "or none");
  }
}
