package io.tickvault.store.postgres;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Prices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Renders bars as lines of PostgreSQL's COPY text format straight into a byte buffer, without
 * intermediate strings: prices from their unscaled value at scale 4, timestamps as
 * {@code YYYY-MM-DD HH:MM:SS[.ffffff]+00} with the date part cached per day. Exact: the text is
 * the decimal value itself. Not thread-safe; one per write.
 */
final class CopyText {
  private byte[] buf = new byte[1 << 16];
  private int pos;
  private String lastSymbol;
  private byte[] lastSymbolBytes;
  private String lastOrigin;
  private byte[] lastOriginBytes;
  private long lastEpochDay = Long.MIN_VALUE;
  private final byte[] datePrefix = new byte[11]; // "YYYY-MM-DD "

  /** Bytes rendered and not yet taken. */
  int size() {
    return pos;
  }

  byte[] buffer() {
    return buf;
  }

  void reset() {
    pos = 0;
  }

  /** Appends one line (with its newline) for the bar. */
  void append(Bar b) {
    ensure(256);
    String sym = b.symbol().value();
    if (!sym.equals(lastSymbol)) {
      lastSymbol = sym;
      lastSymbolBytes = sym.getBytes(StandardCharsets.UTF_8);
    }
    put(lastSymbolBytes);
    tab();
    timestamp(b.timestamp());
    tab();
    price(b.price());
    tab();
    price(b.open());
    tab();
    price(b.high());
    tab();
    price(b.low());
    tab();
    price(b.close());
    tab();
    number(b.volume());
    tab();
    number(b.tradeCount());
    tab();
    price(b.vwap());
    tab();
    String origin = b.origin().value();
    if (!origin.equals(lastOrigin)) {
      lastOrigin = origin;
      lastOriginBytes = origin.getBytes(StandardCharsets.UTF_8);
    }
    put(lastOriginBytes);
    buf[pos++] = '\n';
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      byte[] bigger = new byte[Math.max(buf.length * 2, pos + n)];
      System.arraycopy(buf, 0, bigger, 0, pos);
      buf = bigger;
    }
  }

  private void tab() {
    buf[pos++] = '\t';
  }

  private void put(byte[] bytes) {
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  private void price(BigDecimal v) {
    if (v == null) {
      buf[pos++] = '\\';
      buf[pos++] = 'N';
      return;
    }
    long scaled = Prices.toScaled(v);
    if (scaled < 0) {
      buf[pos++] = '-';
      scaled = -scaled;
    }
    number(scaled / 10_000);
    buf[pos++] = '.';
    long frac = scaled % 10_000;
    buf[pos++] = (byte) ('0' + frac / 1000);
    buf[pos++] = (byte) ('0' + frac / 100 % 10);
    buf[pos++] = (byte) ('0' + frac / 10 % 10);
    buf[pos++] = (byte) ('0' + frac % 10);
  }

  private void number(long v) {
    if (v < 0) {
      buf[pos++] = '-';
      if (v == Long.MIN_VALUE) {
        put("9223372036854775808".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      v = -v;
    }
    if (v < 10) {
      buf[pos++] = (byte) ('0' + v);
      return;
    }
    int digits = 0;
    for (long x = v; x > 0; x /= 10) {
      digits++;
    }
    for (int i = digits - 1; i >= 0; i--) {
      buf[pos + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    pos += digits;
  }

  private void two(long v) {
    buf[pos++] = (byte) ('0' + v / 10);
    buf[pos++] = (byte) ('0' + v % 10);
  }

  private void timestamp(Instant t) {
    long secs = t.getEpochSecond();
    long day = Math.floorDiv(secs, 86_400L);
    if (day != lastEpochDay) {
      lastEpochDay = day;
      LocalDate d = LocalDate.ofEpochDay(day);
      byte[] p = String.format("%04d-%02d-%02d ", d.getYear(), d.getMonthValue(), d.getDayOfMonth())
          .getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(p, 0, datePrefix, 0, 11);
    }
    put(datePrefix);
    long sod = Math.floorMod(secs, 86_400L);
    two(sod / 3600);
    buf[pos++] = ':';
    two(sod / 60 % 60);
    buf[pos++] = ':';
    two(sod % 60);
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      buf[pos++] = '.';
      for (int div = 100_000; div >= 1; div /= 10) {
        buf[pos++] = (byte) ('0' + micros / div % 10);
      }
    }
    buf[pos++] = '+';
    buf[pos++] = '0';
    buf[pos++] = '0';
  }
}
