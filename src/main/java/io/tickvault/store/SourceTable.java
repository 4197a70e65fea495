package io.tickvault.store;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The columns of a source table ({@code price_ticks_<source>}), written once. Every engine and every
 * table with a source table's layout (PostgreSQL's staging table, the bench's baseline tables, the
 * Parquet files) builds its DDL from here; a {@link Dialect} supplies only the types and the
 * engine's symbol check. Columns are listed in table order (the order of DESIGN.md's schema);
 * {@link #SELECT_LIST} is the order every read uses.
 */
public final class SourceTable {
  /** What a column holds; a dialect maps each to its type. */
  public enum Type { SYMBOL, TIMESTAMP, PRICE, VOLUME, COUNT, ORIGIN }

  /** The parts of a definition beyond names, types and NOT NULL. */
  public enum Part {
    /** The CHECK constraints (and the engine's symbol check). */
    CHECKS,
    /** {@code DEFAULT 0} of volume and trade count, and the origin's default (the source's name). */
    DEFAULTS,
    /** The primary key (symbol, timestamp), and the engine's table options (SQLite: WITHOUT ROWID). */
    KEY
  }

  /** Every part: a source table as tickvault creates it. */
  public static final Set<Part> FULL = EnumSet.allOf(Part.class);

  /** One column: its name, what it holds, whether it is required, its CHECK and whether it defaults to 0. */
  public record Column(String name, Type type, boolean notNull, String check, boolean zeroDefault) {
    /** The name as SQL writes it ({@code timestamp} is quoted: a keyword in some engines). */
    public String sql() {
      return "timestamp".equals(name) ? "\"timestamp\"" : name;
    }
  }

  /** The columns in table order. */
  public static final List<Column> COLUMNS = List.of(
      new Column("symbol", Type.SYMBOL, true, null, false),
      new Column("price", Type.PRICE, true, "price > 0", false),
      new Column("timestamp", Type.TIMESTAMP, true, null, false),
      new Column("open_price", Type.PRICE, false, null, false),
      new Column("high_price", Type.PRICE, false, null, false),
      new Column("low_price", Type.PRICE, false, null, false),
      new Column("close_price", Type.PRICE, false, null, false),
      new Column("volume", Type.VOLUME, true, "volume >= 0", true),
      new Column("trade_count", Type.COUNT, true, "trade_count >= 0", true),
      new Column("vwap", Type.PRICE, false, null, false),
      new Column("origin", Type.ORIGIN, true, null, false));

  /** The column names in the order every read and write of a store uses (key first, origin last). */
  public static final List<String> SELECT_ORDER = List.of("symbol", "timestamp", "price", "open_price", "high_price",
      "low_price", "close_price", "volume", "trade_count", "vwap", "origin");

  /** {@link #SELECT_ORDER} as SQL: {@code symbol, "timestamp", price, ...}. */
  public static final String SELECT_LIST = String.join(", ", SELECT_ORDER.stream()
      .map(n -> column(n).sql()).toList());

  /** The primary key. */
  public static final String KEY = "symbol, \"timestamp\"";

  /** What differs between engines. */
  public interface Dialect {
    /** The engine's type for a column. */
    String type(Type type);

    /** The CHECK that admits only valid symbols, exactly as stored. */
    String symbolCheck();

    /** Table options written after the closing parenthesis when the key is part of the table. */
    default String keyedTableOptions() {
      return "";
    }
  }

  private SourceTable() {}

  /** The column called {@code name}. */
  public static Column column(String name) {
    for (Column c : COLUMNS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no column " + name);
  }

  /** The columns in {@link #SELECT_ORDER}. */
  public static List<Column> inSelectOrder() {
    return SELECT_ORDER.stream().map(SourceTable::column).toList();
  }

  /**
   * The column definitions (and the key, with {@link Part#KEY}), one per line, joined by
   * {@code ",\n  "}; {@code origin} is the origin's default (a validated source name) or null for none.
   */
  public static String definitions(Dialect d, String origin, Set<Part> parts) {
    List<String> out = new ArrayList<>();
    for (Column c : COLUMNS) {
      StringBuilder s = new StringBuilder(c.sql()).append(' ').append(d.type(c.type()));
      if (c.notNull()) {
        s.append(" NOT NULL");
      }
      if (parts.contains(Part.DEFAULTS)) {
        if (c.zeroDefault()) {
          s.append(" DEFAULT 0");
        } else if (c.type() == Type.ORIGIN && origin != null) {
          s.append(" DEFAULT '").append(origin).append('\'');
        }
      }
      if (parts.contains(Part.CHECKS)) {
        String check = c.type() == Type.SYMBOL ? d.symbolCheck() : c.check();
        if (check != null) {
          s.append(" CHECK (").append(check).append(')');
        }
      }
      out.add(s.toString());
    }
    if (parts.contains(Part.KEY)) {
      out.add("PRIMARY KEY (" + KEY + ")");
    }
    return String.join(",\n  ", out);
  }

  /** {@code CREATE TABLE <table> (...)} with the given parts; {@code table} must be a validated name. */
  public static String create(String table, Dialect d, String origin, Set<Part> parts) {
    return "CREATE TABLE " + table + " (\n  " + definitions(d, origin, parts) + ")"
        + (parts.contains(Part.KEY) ? d.keyedTableOptions() : "");
  }

  /** {@link #create} as {@code CREATE TABLE IF NOT EXISTS}. */
  public static String createIfMissing(String table, Dialect d, String origin, Set<Part> parts) {
    return "CREATE TABLE IF NOT EXISTS" + create(table, d, origin, parts).substring("CREATE TABLE".length());
  }
}
