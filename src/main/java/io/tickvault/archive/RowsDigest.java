package io.tickvault.archive;

import io.tickvault.domain.Bar;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * SHA-256 over the rows of a selection in order, each as its CSV export line (every column, exact
 * decimals, origin): equal digests mean the same rows with the same values in the same order,
 * wherever they were read from (a store, a Parquet file). Also counts rows, symbols, origins and
 * the time range. Not thread-safe.
 */
final class RowsDigest implements Consumer<Bar> {
  private final MessageDigest md;
  private final BarText text;
  private final Map<String, Long> origins = new TreeMap<>();
  private long rows;
  private int symbols;
  private String lastSymbol;
  private java.time.Instant first;
  private java.time.Instant last;

  RowsDigest() {
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    text = new BarText(new Writer() {
      @Override
      public void write(char[] cbuf, int off, int len) {
        md.update(new String(cbuf, off, len).getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public Writer append(CharSequence csq) {
        md.update(csq.toString().getBytes(StandardCharsets.UTF_8));
        return this;
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    }, ExportFormat.csv);
  }

  @Override
  public void accept(Bar b) {
    text.write(b);
    rows++;
    origins.merge(b.origin().value(), 1L, Long::sum);
    if (!b.symbol().value().equals(lastSymbol)) {
      symbols++;
      lastSymbol = b.symbol().value();
    }
    if (first == null || b.timestamp().isBefore(first)) {
      first = b.timestamp();
    }
    if (last == null || b.timestamp().isAfter(last)) {
      last = b.timestamp();
    }
  }

  long rows() {
    return rows;
  }

  int symbols() {
    return symbols;
  }

  Map<String, Long> origins() {
    return origins;
  }

  java.time.Instant first() {
    return first;
  }

  java.time.Instant last() {
    return last;
  }

  String hex() {
    return HexFormat.of().formatHex(md.digest());
  }
}
