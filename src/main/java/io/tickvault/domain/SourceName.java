package io.tickvault.domain;

import java.util.regex.Pattern;

/**
 * A validated source name, {@code [a-z][a-z0-9_]{0,39}}. Only validated names are ever used to
 * build SQL identifiers ({@link #tableName()}), so no user text reaches SQL.
 */
public record SourceName(String value) implements Comparable<SourceName> {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  public static final String TABLE_PREFIX = "price_ticks_";

  public static final SourceName SYNTHETIC = new SourceName("synthetic");
  public static final SourceName ALPACA = new SourceName("alpaca");
  public static final SourceName POLYGON = new SourceName("polygon");
  public static final SourceName MOCK = new SourceName("mock");
  public static final SourceName TEST = new SourceName("test");

  public SourceName {
    if (value == null || !VALID.matcher(value).matches()) {
      boolean onlyCase = value != null && VALID.matcher(value.toLowerCase(java.util.Locale.ROOT)).matches();
      throw new InvalidInputException(
          "invalid source name " + Text.quote(value)
              + (onlyCase ? ": source names are lowercase" : "")
              + ": use 1-40 characters, a lowercase letter first, then lowercase letters, digits or '_'"
              + " (e.g. synthetic, alpaca_sip)");
    }
  }

  public static SourceName of(String value) {
    return new SourceName(value == null ? null : value.strip());
  }

  /** The name of this source's table, {@code price_ticks_<name>}; safe to splice into SQL. */
  public String tableName() {
    return TABLE_PREFIX + value;
  }

  /** The source whose table has this name, or null when the name is not a source table name. */
  public static SourceName fromTableName(String table) {
    if (table == null || !table.startsWith(TABLE_PREFIX)) {
      return null;
    }
    String rest = table.substring(TABLE_PREFIX.length());
    return VALID.matcher(rest).matches() ? new SourceName(rest) : null;
  }

  @Override
  public int compareTo(SourceName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
