package io.tickvault.domain;

import java.util.Locale;

/**
 * Which store commands work on: {@link #LIVE} the production store, {@link #MIRROR} the read-only
 * local mirror, {@link #TEST} a separate scratch store for tests. Test data never lands in
 * production or the mirror.
 */
public enum DataMode {
  LIVE,
  MIRROR,
  TEST;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DataMode parse(String s) {
    for (DataMode m : values()) {
      if (m.label().equalsIgnoreCase(s == null ? "" : s.strip())) {
        return m;
      }
    }
    throw new InvalidInputException("invalid DATA_MODE " + Text.quote(s) + ": use live, mirror or test");
  }
}
