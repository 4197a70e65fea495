package io.tickvault.mirror;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Prices;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Row count and SHA-256 of one chunk's rows in tickvault's canonical, engine-independent encoding.
 * Feed the rows of one chunk in timestamp order; each row contributes one ASCII line:
 *
 * <pre>symbol|timestamp|price|open|high|low|close|volume|trade_count|vwap|origin\n</pre>
 *
 * where {@code timestamp} is microseconds since 1970-01-01T00:00Z, prices are integers scaled by
 * 10^4 (so 12.3400 is {@code 123400}), and a NULL is the empty string. This is exactly what the
 * SQLite encoding stores, so a checksum can be reproduced with the {@code sqlite3} shell and
 * {@code sha256sum} (see the mirror documentation). Not thread-safe; one per chunk.
 */
public final class ChunkDigest {
  private final MessageDigest sha;
  private final byte[] line = new byte[256];
  private long rows;
  private Instant first;
  private Instant last;

  public ChunkDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** Adds the next row (rows must come in timestamp order). */
  public void add(Bar b) {
    int p = 0;
    p = putAscii(b.symbol().value(), p);
    p = putLong(micros(b.timestamp()), p);
    p = putPrice(b.price(), p);
    p = putPrice(b.open(), p);
    p = putPrice(b.high(), p);
    p = putPrice(b.low(), p);
    p = putPrice(b.close(), p);
    p = putLong(b.volume(), p);
    p = putLong(b.tradeCount(), p);
    p = putPrice(b.vwap(), p);
    p = putAscii(b.origin().value(), p);
    line[p - 1] = '\n'; // replaces the last separator
    sha.update(line, 0, p);
    rows++;
    if (first == null) {
      first = b.timestamp();
    }
    last = b.timestamp();
  }

  public long rows() {
    return rows;
  }

  /** Timestamp of the first row added, or null. */
  public Instant first() {
    return first;
  }

  /** Timestamp of the last row added, or null. */
  public Instant last() {
    return last;
  }

  /** The lowercase hex SHA-256 of the rows added; ends this digest (call once). */
  public String finish() {
    return HexFormat.of().formatHex(sha.digest());
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  private int putAscii(String s, int p) {
    for (int i = 0; i < s.length(); i++) {
      line[p++] = (byte) s.charAt(i); // symbols and source names are validated ASCII
    }
    line[p++] = '|';
    return p;
  }

  private int putPrice(BigDecimal v, int p) {
    if (v == null) {
      line[p++] = '|';
      return p;
    }
    return putLong(Prices.toScaled(v), p);
  }

  private int putLong(long v, int p) {
    if (v == Long.MIN_VALUE) {
      return putAscii(Long.toString(v), p);
    }
    if (v < 0) {
      line[p++] = '-';
      v = -v;
    }
    int start = p;
    do {
      line[p++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = start, j = p - 1; i < j; i++, j--) {
      byte t = line[i];
      line[i] = line[j];
      line[j] = t;
    }
    line[p++] = '|';
    return p;
  }
}
