package io.tickvault.ingest.csv;

import io.tickvault.domain.Bar;
import io.tickvault.domain.BarRules;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Prices;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Streams the bars of a CSV file, one line at a time (memory does not depend on the file's size).
 * The header decides the layout ({@link CsvHeader}); each data line becomes a bar that has passed
 * {@link BarRules}, or is a bad line: with {@code skipBadRows} it is recorded and skipped,
 * otherwise {@link #next()}/{@link #hasNext()} throw {@link InvalidInputException} naming the line,
 * which makes the store roll the whole import back.
 *
 * <p>Values: prices exact decimals, never rounded, with two deliberate exceptions: vwap (a derived
 * average) is rounded half-even to 4 places, and so are the prices of the Yahoo layout, whose
 * files carry float artifacts such as {@code 185.639999} (each rounded value is counted and
 * reported);
 * volume and trade count whole numbers in any spelling ({@code 1200}, {@code 1200.0},
 * {@code 1.2e3}); empty trade count means 0, empty vwap means none. Timestamps: ISO date
 * ({@code 2024-01-02}: 00:00 in the zone), ISO date-time with {@code Z} or an offset, ISO date-time
 * without a zone (read in the zone; {@code T} or a space between date and time; a time in the
 * spring daylight-saving gap is refused, an autumn time that happens twice is the first one, see
 * {@link #local}), or an epoch
 * number: seconds (below 10^11), milliseconds (below 10^14), microseconds (below 10^17), else
 * nanoseconds. Not thread-safe.
 */
final class CsvBarReader implements Iterator<Bar>, Closeable {
  /** At most this many skipped lines are kept for the report (all are counted). */
  static final int MAX_LISTED = 1000;
  /** The longest line read (characters); a longer one is a bad line, read past without being kept. */
  static final int MAX_LINE = 1 << 20;
  /** The most columns a header may have. */
  static final int MAX_COLUMNS = 1000;

  private final String name;
  private final CountingStream counting;
  private final LineReader in;
  private final CsvHeader header;
  private final Symbol symbolOption;
  private final ZoneId zone;
  private final boolean skipBad;
  private final SourceName origin;
  private final String[] src;
  private final int[] from;
  private final int[] to;
  private final List<CsvImportReport.BadLine> skipped = new ArrayList<>();
  private final Set<Symbol> symbols = new TreeSet<>();
  private final boolean roundPrices;
  private long roundedPrices;
  private long skippedCount;
  private long otherSymbolRows;
  private long line;
  private long rows;
  private Instant first;
  private Instant last;
  private String lastSymbolText;
  private Symbol lastSymbol;
  private Bar pending;
  private boolean eof;
  private final java.util.Map<Symbol, long[]> lastOf = new java.util.HashMap<>();
  private final List<String> repeatedLines = new ArrayList<>();

  CsvBarReader(Path file, Symbol symbolOption, ZoneId zone, boolean skipBad, SourceName origin) {
    this.name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    this.symbolOption = symbolOption;
    this.zone = zone;
    this.skipBad = skipBad;
    this.origin = origin;
    try {
      this.counting = new CountingStream(Files.newInputStream(file));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("cannot import " + file + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
    }
    this.in = new LineReader(new InputStreamReader(counting, StandardCharsets.UTF_8), MAX_LINE);
    String head = null;
    try {
      while ((head = in.readLine()) != null) {
        line++;
        if (!head.isBlank()) {
          break;
        }
      }
    } catch (LineReader.TooLong e) {
      closeQuietly();
      throw new InvalidInputException(name + " line " + (line + 1) + " (the header) is " + e.length
          + " characters long, more than the " + MAX_LINE + " tickvault reads in one line: not a CSV file of bars; "
          + "nothing was imported");
    } catch (IOException e) {
      closeQuietly();
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (head == null) {
      closeQuietly();
      throw new InvalidInputException(name + " is empty: expected a header line, e.g. " + CsvHeader.EXPECTED);
    }
    long columns = head.chars().filter(ch -> ch == ',').count() + 1;
    if (columns > MAX_COLUMNS) {
      closeQuietly();
      throw new InvalidInputException(name + " line " + line + " (the header) has " + columns + " columns, more than "
          + "the " + MAX_COLUMNS + " tickvault reads: not a CSV file of bars (expected e.g. " + CsvHeader.EXPECTED
          + "); nothing was imported");
    }
    try {
      this.header = CsvHeader.parse(splitAll(head), name);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    if (!header.has(CsvHeader.SYMBOL) && symbolOption == null) {
      closeQuietly();
      throw new InvalidInputException(name + " has no symbol column (layout " + header.layout.description()
          + "): give the symbol with --symbol");
    }
    this.src = new String[header.width];
    this.from = new int[header.width];
    this.to = new int[header.width];
    this.roundPrices = header.layout == CsvLayout.YAHOO;
  }

  CsvLayout layout() {
    return header.layout;
  }

  List<String> ignoredColumns() {
    return header.ignored;
  }

  long bytesRead() {
    return counting.count;
  }

  long rows() {
    return rows;
  }

  long lines() {
    return line;
  }

  Set<Symbol> symbols() {
    return symbols;
  }

  Instant first() {
    return first;
  }

  Instant last() {
    return last;
  }

  List<CsvImportReport.BadLine> skipped() {
    return skipped;
  }

  long skippedCount() {
    return skippedCount;
  }

  long otherSymbolRows() {
    return otherSymbolRows;
  }

  long roundedPrices() {
    return roundedPrices;
  }

  /** The first repeated timestamps (a line with the symbol and timestamp of the previous line of its symbol). */
  List<String> repeatedLines() {
    return repeatedLines;
  }

  @Override
  public boolean hasNext() {
    while (pending == null && !eof) {
      String l;
      try {
        l = in.readLine();
      } catch (LineReader.TooLong e) {
        line++;
        bad("the line is " + e.length + " characters long, more than the " + MAX_LINE + " tickvault reads in one "
            + "line");
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name + " after line " + line, e);
      }
      if (l == null) {
        eof = true;
        break;
      }
      line++;
      if (l.isBlank()) {
        continue;
      }
      String problem;
      try {
        pending = parse(l);
        problem = pending == null ? null : BarRules.problem(pending);
      } catch (BadValue e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        pending = null;
        bad(problem);
      }
    }
    return pending != null;
  }

  @Override
  public Bar next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Bar b = pending;
    pending = null;
    rows++;
    symbols.add(b.symbol());
    Instant t = b.timestamp();
    long[] prev = lastOf.get(b.symbol());
    if (prev == null) {
      lastOf.put(b.symbol(), new long[] {t.getEpochSecond(), t.getNano(), line});
    } else {
      if (prev[0] == t.getEpochSecond() && prev[1] == t.getNano()
          && repeatedLines.size() < io.tickvault.store.WriteResult.MAX_LISTED) {
        repeatedLines.add("line " + line + " repeats the timestamp of line " + prev[2] + " (" + b.symbol() + " " + t
            + "); the later line is kept");
      }
      prev[0] = t.getEpochSecond();
      prev[1] = t.getNano();
      prev[2] = line;
    }
    if (first == null || t.isBefore(first)) {
      first = t;
    }
    if (last == null || t.isAfter(last)) {
      last = t;
    }
    return b;
  }

  private void bad(String problem) {
    if (!skipBad) {
      throw new InvalidInputException(name + " line " + line + ": " + problem + "; nothing was imported (fix the line, "
          + "or add --skip-bad-rows to import the other lines and list the skipped ones)");
    }
    skippedCount++;
    if (skipped.size() < MAX_LISTED) {
      skipped.add(new CsvImportReport.BadLine(line, problem));
    }
  }

  /** A value that cannot be read; the message says which and why. */
  private static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  /** The line as a bar, or null when it belongs to another symbol than --symbol. */
  private Bar parse(String l) {
    int n = split(l);
    if (n != header.width) {
      throw new BadValue("expected " + header.width + " fields like the header, found " + n);
    }
    int[] c = header.column;
    Symbol sym;
    if (c[CsvHeader.SYMBOL] >= 0) {
      int i = c[CsvHeader.SYMBOL];
      int len = to[i] - from[i];
      if (lastSymbolText != null && len == lastSymbolText.length()
          && src[i].regionMatches(from[i], lastSymbolText, 0, len)) {
        sym = lastSymbol; // files come grouped by symbol: validate each run of rows once
      } else {
        String text = src[i].substring(from[i], to[i]);
        try {
          sym = Symbol.of(text);
        } catch (InvalidInputException e) {
          throw new BadValue(e.getMessage());
        }
        lastSymbolText = text;
        lastSymbol = sym;
      }
      if (symbolOption != null && !sym.equals(symbolOption)) {
        otherSymbolRows++;
        return null;
      }
    } else {
      sym = symbolOption;
    }
    int ti = c[CsvHeader.TIME];
    Instant t = time(src[ti].substring(from[ti], to[ti]));
    BigDecimal open = price("open", c[CsvHeader.OPEN]);
    BigDecimal high = price("high", c[CsvHeader.HIGH]);
    BigDecimal low = price("low", c[CsvHeader.LOW]);
    BigDecimal close = price("close", c[CsvHeader.CLOSE]);
    long volume = whole("volume", c[CsvHeader.VOLUME], Long.MAX_VALUE, false);
    int trades = c[CsvHeader.TRADES] < 0 ? 0 : (int) whole("trade_count", c[CsvHeader.TRADES], Integer.MAX_VALUE,
        true);
    BigDecimal vwap = null;
    int vi = c[CsvHeader.VWAP];
    if (vi >= 0 && !blank(vi)) {
      BigDecimal raw = decimal("vwap", vi);
      if (raw.scale() > Prices.SCALE && raw.stripTrailingZeros().scale() > Prices.SCALE) {
        roundedPrices++; // counted and reported, never silent
      }
      vwap = raw.setScale(Prices.SCALE, RoundingMode.HALF_EVEN);
    }
    return Bar.ohlcv(sym, t, open, high, low, close, volume, trades, vwap, origin);
  }

  /**
   * Finds the fields of a line: field {@code i} is {@code src[i]} from {@code from[i]} to
   * {@code to[i]}, trimmed. Unquoted lines are not copied; a line with quotes is split by
   * {@link #splitAll}. Returns the number of fields (which may exceed the header's).
   */
  private int split(String l) {
    if (l.indexOf('"') >= 0) {
      List<String> all = splitAll(l);
      for (int i = 0; i < Math.min(all.size(), src.length); i++) {
        set(i, all.get(i), 0, all.get(i).length());
      }
      return all.size();
    }
    int n = 0;
    int start = 0;
    int len = l.length();
    for (int i = 0; i < len; i++) {
      if (l.charAt(i) == ',') {
        if (n < src.length) {
          set(n, l, start, i);
        }
        n++;
        start = i + 1;
      }
    }
    if (n < src.length) {
      set(n, l, start, len);
    }
    return n + 1;
  }

  /** Field {@code i} is s[f, t) without surrounding spaces, tabs and CRs (never other characters, e.g. NUL). */
  private void set(int i, String s, int f, int t) {
    while (f < t && pad(s.charAt(f))) {
      f++;
    }
    while (t > f && pad(s.charAt(t - 1))) {
      t--;
    }
    src[i] = s;
    from[i] = f;
    to[i] = t;
  }

  private static boolean pad(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  private boolean blank(int i) {
    return from[i] == to[i];
  }

  private String text(int i) {
    return src[i].substring(from[i], to[i]);
  }

  /** RFC 4180 fields of one line: double quotes around a field, {@code ""} inside them for a quote. */
  static List<String> splitAll(String l) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < l.length(); i++) {
      char ch = l.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < l.length() && l.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /**
   * Field {@code i} as an exact decimal. Plain decimals of up to 18 digits ({@code 187.15},
   * {@code -3}, {@code .5}) are read without copying; anything else (exponents, longer numbers)
   * goes through {@link BigDecimal#BigDecimal(String)}, which also decides what is not a number.
   */
  private BigDecimal decimal(String field, int i) {
    String s = src[i];
    int f = from[i];
    int t = to[i];
    if (f == t) {
      throw new BadValue(field + " is empty");
    }
    int k = f;
    boolean neg = false;
    char first = s.charAt(k);
    if (first == '-' || first == '+') {
      neg = first == '-';
      k++;
    }
    long unscaled = 0;
    int scale = -1;
    int digits = 0;
    boolean plain = k < t;
    for (; k < t; k++) {
      char ch = s.charAt(k);
      if (ch >= '0' && ch <= '9') {
        if (++digits > 18) {
          plain = false;
          break;
        }
        unscaled = unscaled * 10 + (ch - '0');
        if (scale >= 0) {
          scale++;
        }
      } else if (ch == '.' && scale < 0) {
        scale = 0;
      } else {
        plain = false;
        break;
      }
    }
    if (plain && digits > 0) {
      return BigDecimal.valueOf(neg ? -unscaled : unscaled, Math.max(scale, 0));
    }
    String v = s.substring(f, t);
    for (int j = 0; j < v.length(); j++) {
      char ch = v.charAt(j);
      if (ch > 0x7e || ch < 0x20) {
        // BigDecimal would read Arabic-Indic and other Unicode digits as numbers: only ASCII is a number here
        throw new BadValue(field + " " + Text.quote(v) + " is not a number (character " + String.format("U+%04X",
            (int) ch) + " is not an ASCII digit)");
      }
    }
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new BadValue(field + " " + Text.quote(v) + " is not a number");
    }
  }

  private BigDecimal price(String field, int i) {
    BigDecimal d = decimal(field, i);
    if (roundPrices && d.scale() > Prices.SCALE) {
      BigDecimal r = d.setScale(Prices.SCALE, RoundingMode.HALF_EVEN);
      if (r.compareTo(d) != 0) {
        roundedPrices++;
      }
      return r;
    }
    return d;
  }

  private long whole(String field, int i, long max, boolean emptyIsZero) {
    if (blank(i) && emptyIsZero) {
      return 0;
    }
    BigDecimal d = decimal(field, i);
    BigDecimal w;
    try {
      w = d.scale() == 0 ? d : d.setScale(0, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new BadValue(field + " " + text(i) + " is not a whole number");
    }
    if (w.compareTo(BigDecimal.valueOf(max)) > 0 || w.compareTo(BigDecimal.valueOf(-max)) < 0) {
      throw new BadValue(field + " " + text(i) + " is too large");
    }
    return w.longValue();
  }

  private Instant time(String raw) {
    String s = raw.strip();
    int len = s.length();
    if (len == 0) {
      throw new BadValue("timestamp is empty");
    }
    try {
      Instant fast = utcFast(s);
      if (fast != null) {
        return fast;
      }
      if (len == 8 && isEpoch(s)) {
        // YYYYMMDD (a common export form), never 8-digit epoch seconds (which would be 1970-1973)
        try {
          return LocalDate.parse(s, java.time.format.DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(zone).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
          throw new BadValue("timestamp " + s + " is 8 digits but not a YYYYMMDD date");
        }
      }
      if (isEpoch(s)) {
        return epoch(Long.parseLong(s));
      }
      if (len == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
        return LocalDate.parse(s).atStartOfDay(zone).toInstant();
      }
      if (len > 10 && s.charAt(10) == ' ') {
        s = s.substring(0, 10) + 'T' + s.substring(11);
      }
      if (hasZone(s)) {
        return OffsetDateTime.parse(s).toInstant();
      }
      return local(LocalDateTime.parse(s));
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      throw new BadValue("timestamp " + Text.quote(raw.strip()) + " is not a date or time tickvault reads (use "
          + "2024-01-02, 2024-01-02T14:30:00Z, 2024-01-02 09:30:00 or epoch seconds/milliseconds)");
    }
  }

  /**
   * A local date-time in the zone. A time that does not exist there (the hour skipped when clocks
   * go forward, e.g. 2025-03-09T02:30 in New York) is a bad value, never shifted; a time that
   * happens twice (the hour repeated when clocks go back, e.g. 2025-11-02T01:30 in New York) is
   * read as the first of the two, at the earlier (summer) offset, as {@link java.time.ZonedDateTime}
   * does; a file that means the second must give the offset.
   */
  private Instant local(LocalDateTime t) {
    java.time.zone.ZoneRules rules = zone.getRules();
    if (rules.getValidOffsets(t).isEmpty()) {
      java.time.zone.ZoneOffsetTransition gap = rules.getTransition(t);
      throw new BadValue("timestamp " + t + " does not exist in " + zone + (gap == null ? "" : " (clocks jumped from "
          + gap.getDateTimeBefore().toLocalTime() + " to " + gap.getDateTimeAfter().toLocalTime() + " that day)")
          + "; give the time with its UTC offset (e.g. " + t + (gap == null ? "Z" : gap.getOffsetBefore().toString())
          + ") or correct the line");
    }
    return t.atZone(zone).toInstant();
  }

  /**
   * The common {@code yyyy-MM-ddTHH:mm:ssZ} form (optionally with a fraction of up to 9 digits),
   * read without the general parser; null for anything else (the general path decides).
   */
  static Instant utcFast(String s) {
    int len = s.length();
    if (len < 20 || s.charAt(len - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 || hour > 23
        || minute > 59 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (len > 20) {
      int fracLen = len - 21;
      if (s.charAt(19) != '.' || fracLen < 1 || fracLen > 9) {
        return null;
      }
      int f = digits(s, 20, len - 1);
      if (f < 0) {
        return null;
      }
      nanos = f;
      for (int i = fracLen; i < 9; i++) {
        nanos *= 10;
      }
    } else if (len != 20) {
      return null;
    }
    if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null; // let the general parser reject it with its message
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The non-negative number in s[from, to), or -1 if a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      n = n * 10 + (ch - '0');
    }
    return n;
  }

  private static boolean isEpoch(String s) {
    int i = s.charAt(0) == '-' ? 1 : 0;
    if (i == s.length() || s.length() - i > 19) {
      return false;
    }
    for (; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }

  private static Instant epoch(long n) {
    long a = Math.abs(n);
    if (a < 100_000_000_000L) {
      return Instant.ofEpochSecond(n);
    }
    if (a < 100_000_000_000_000L) {
      return Instant.ofEpochMilli(n);
    }
    if (a < 100_000_000_000_000_000L) {
      return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1000);
    }
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  /** Whether an ISO date-time ends with Z or a +hh:mm / -hh:mm offset. */
  private static boolean hasZone(String s) {
    char last = s.charAt(s.length() - 1);
    if (last == 'Z' || last == 'z') {
      return true;
    }
    int t = s.indexOf('T');
    if (t < 0) {
      return false;
    }
    for (int i = t + 1; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '+' || ch == '-') {
        return true;
      }
    }
    return false;
  }

  private void closeQuietly() {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // nothing more to do
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }

  /** Counts the bytes read from the file, for progress. */
  private static final class CountingStream extends FilterInputStream {
    volatile long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
