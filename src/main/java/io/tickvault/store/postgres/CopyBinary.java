package io.tickvault.store.postgres;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Prices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Renders bars in PostgreSQL's binary COPY format, in the column order of
 * {@code JdbcBarStore.COLUMNS}: the server then parses no text at all (no numeric or timestamp
 * parsing), which is where a text COPY spends most of its time. Exact: a DECIMAL(10,4) value is
 * sent as its base-10000 digits with display scale 4, a timestamp as microseconds since
 * 2000-01-01T00:00Z. Not thread-safe; one per write.
 */
final class CopyBinary {
  /** PGCOPY signature, flags, header extension length. */
  static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
  private static final short FIELDS = 11;

  private byte[] buf = new byte[1 << 16];
  private int pos;
  private String lastSymbol;
  private byte[] lastSymbolBytes;
  private String lastOrigin;
  private byte[] lastOriginBytes;

  int size() {
    return pos;
  }

  byte[] buffer() {
    return buf;
  }

  void reset() {
    pos = 0;
  }

  void header() {
    ensure(HEADER.length);
    System.arraycopy(HEADER, 0, buf, pos, HEADER.length);
    pos += HEADER.length;
  }

  void trailer() {
    ensure(2);
    buf[pos++] = (byte) 0xff;
    buf[pos++] = (byte) 0xff;
  }

  void append(Bar b) {
    ensure(512);
    int16(FIELDS);
    String sym = b.symbol().value();
    if (!sym.equals(lastSymbol)) {
      lastSymbol = sym;
      lastSymbolBytes = sym.getBytes(StandardCharsets.UTF_8);
    }
    bytes(lastSymbolBytes);
    timestamp(b.timestamp());
    numeric(b.price());
    numeric(b.open());
    numeric(b.high());
    numeric(b.low());
    numeric(b.close());
    int32(8);
    int64(b.volume());
    int32(4);
    int32(b.tradeCount());
    numeric(b.vwap());
    String origin = b.origin().value();
    if (!origin.equals(lastOrigin)) {
      lastOrigin = origin;
      lastOriginBytes = origin.getBytes(StandardCharsets.UTF_8);
    }
    bytes(lastOriginBytes);
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      byte[] bigger = new byte[Math.max(buf.length * 2, pos + n)];
      System.arraycopy(buf, 0, bigger, 0, pos);
      buf = bigger;
    }
  }

  private void bytes(byte[] b) {
    int32(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private void timestamp(Instant t) {
    int32(8);
    long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    int64(micros - PG_EPOCH_MICROS);
  }

  /** NUMERIC in binary: ndigits, weight, sign, dscale, then base-10000 digits (most significant first). */
  private void numeric(BigDecimal v) {
    if (v == null) {
      int32(-1);
      return;
    }
    long scaled = Prices.toScaled(v);
    short sign = 0;
    if (scaled < 0) {
      sign = 0x4000;
      scaled = -scaled;
    }
    long integer = scaled / 10_000;
    int fraction = (int) (scaled % 10_000);
    int groups = 0;
    short[] g = new short[5];
    for (long x = integer; x > 0; x /= 10_000) {
      g[groups++] = (short) (x % 10_000);
    }
    int ndigits = groups + 1;
    int32(8 + 2 * ndigits);
    int16((short) ndigits);
    int16((short) (groups - 1)); // weight: exponent of the first digit, in base 10000
    int16(sign);
    int16((short) 4);
    for (int i = groups - 1; i >= 0; i--) {
      int16(g[i]);
    }
    int16((short) fraction);
  }

  private void int16(short v) {
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void int32(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void int64(long v) {
    int32((int) (v >>> 32));
    int32((int) v);
  }
}
