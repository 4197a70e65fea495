package io.tickvault.ingest.csv;

import io.tickvault.domain.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Column positions read from a header line, and the layout they make. Immutable. */
final class CsvHeader {
  static final int SYMBOL = 0;
  static final int TIME = 1;
  static final int OPEN = 2;
  static final int HIGH = 3;
  static final int LOW = 4;
  static final int CLOSE = 5;
  static final int VOLUME = 6;
  static final int TRADES = 7;
  static final int VWAP = 8;
  private static final String[] ROLE_NAMES = {"symbol", "timestamp", "open", "high", "low", "close", "volume",
      "trade_count", "vwap"};

  private static final Map<String, Integer> SYNONYMS = new HashMap<>();

  static {
    for (String s : new String[] {"symbol", "ticker"}) SYNONYMS.put(s, SYMBOL);
    for (String s : new String[] {"timestamp", "time", "date", "datetime", "t"}) SYNONYMS.put(s, TIME);
    for (String s : new String[] {"open", "o", "openprice"}) SYNONYMS.put(s, OPEN);
    for (String s : new String[] {"high", "h", "highprice"}) SYNONYMS.put(s, HIGH);
    for (String s : new String[] {"low", "l", "lowprice"}) SYNONYMS.put(s, LOW);
    for (String s : new String[] {"close", "c", "closeprice"}) SYNONYMS.put(s, CLOSE);
    for (String s : new String[] {"volume", "v"}) SYNONYMS.put(s, VOLUME);
    for (String s : new String[] {"tradecount", "trades", "n"}) SYNONYMS.put(s, TRADES);
    for (String s : new String[] {"vwap", "vw"}) SYNONYMS.put(s, VWAP);
  }

  static final String EXPECTED = "symbol,timestamp,open,high,low,close,volume[,trade_count,vwap] (tickvault), "
      + "Date,Open,High,Low,Close,Adj Close,Volume (Yahoo), or t,o,h,l,c,v[,n,vw] (Alpaca/Polygon export)";

  /** Index of each role's column, -1 when absent. */
  final int[] column = new int[ROLE_NAMES.length];
  final int width;
  final CsvLayout layout;
  final List<String> ignored;

  private CsvHeader(int width, CsvLayout layout, List<String> ignored, int[] column) {
    this.width = width;
    this.layout = layout;
    this.ignored = List.copyOf(ignored);
    System.arraycopy(column, 0, this.column, 0, column.length);
  }

  boolean has(int role) {
    return column[role] >= 0;
  }

  /** Normalised column name: trimmed, unquoted, lower case, without spaces, '_' and '-'. */
  static String key(String cell) {
    String s = cell.strip();
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1).strip();
    }
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", "");
  }

  /** Reads the header cells; throws naming the file when they make no known layout. */
  static CsvHeader parse(List<String> cells, String file) {
    int[] col = new int[ROLE_NAMES.length];
    java.util.Arrays.fill(col, -1);
    String[] used = new String[ROLE_NAMES.length];
    List<String> ignored = new ArrayList<>();
    boolean adjClose = false;
    for (int i = 0; i < cells.size(); i++) {
      String k = key(cells.get(i));
      Integer role = SYNONYMS.get(k);
      if (role == null) {
        adjClose |= k.equals("adjclose");
        if (!k.isEmpty()) {
          ignored.add(cells.get(i).strip().replace("\uFEFF", ""));
        }
        continue;
      }
      if (col[role] >= 0) {
        throw new InvalidInputException(file + " line 1: the header names the " + ROLE_NAMES[role] + " column twice ("
            + used[role] + " and " + cells.get(i).strip() + "); keep one of them");
      }
      col[role] = i;
      used[role] = cells.get(i).strip();
    }
    List<String> missing = new ArrayList<>();
    for (int r = TIME; r <= VOLUME; r++) {
      if (col[r] < 0) {
        missing.add(ROLE_NAMES[r]);
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(file + " line 1: the header " + io.tickvault.domain.Text.quote(String.join(",",
          cells)) + " is not a layout tickvault knows (no " + String.join(", ", missing) + " column); expected "
          + EXPECTED + "; names are matched case-insensitively");
    }
    CsvLayout layout;
    if (key(used[TIME]).equals("t")) {
      layout = CsvLayout.VENDOR_EXPORT;
    } else if (adjClose || (col[SYMBOL] < 0 && key(used[TIME]).equals("date"))) {
      layout = CsvLayout.YAHOO;
    } else {
      layout = CsvLayout.TICKVAULT;
    }
    return new CsvHeader(cells.size(), layout, ignored, col);
  }
}
