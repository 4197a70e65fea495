package io.tickvault.domain;

import java.util.Locale;

/**
 * Whether a source holds real market data ({@link #VENDOR}) or generated data
 * ({@link #GENERATED}). Decides what needs {@code --confirm} and what may be mixed.
 */
public enum SourceKind {
  VENDOR,
  GENERATED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SourceKind parse(String s) {
    for (SourceKind k : values()) {
      if (k.label().equalsIgnoreCase(s == null ? "" : s.strip())) {
        return k;
      }
    }
    throw new InvalidInputException("invalid kind " + Text.quote(s) + ": use vendor or generated");
  }

  /** The kind a built-in source has, or the default for user-created sources (vendor). */
  public static SourceKind defaultFor(SourceName name) {
    return switch (name.value()) {
      case "synthetic", "mock", "test" -> GENERATED;
      default -> VENDOR;
    };
  }
}
