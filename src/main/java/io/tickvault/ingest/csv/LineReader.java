package io.tickvault.ingest.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()} ({@code \n}, {@code \r\n} or
 * {@code \r} end a line), with memory bounded by {@code maxChars}: a longer line is read to its end
 * without being kept and reported as {@link TooLong}, so a file with a 200 MB line ends in a clean
 * error instead of an {@link OutOfMemoryError}. Not thread-safe.
 */
final class LineReader implements Closeable {
  /** A line longer than the bound; the reader is positioned after it. */
  static final class TooLong extends IOException {
    private static final long serialVersionUID = 1L;
    final long length;

    TooLong(long length) {
      super("line of " + length + " characters", null);
      this.length = length;
    }
  }

  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int lim;
  private boolean skipLf;

  LineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its end, null at the end of the input; {@link TooLong} past the bound. */
  String readLine() throws IOException {
    StringBuilder sb = null;
    long length = 0;
    boolean tooLong = false;
    while (true) {
      if (pos >= lim) {
        int n = in.read(buf, 0, buf.length);
        pos = 0;
        if (n <= 0) {
          lim = 0;
          if (tooLong) {
            throw new TooLong(length);
          }
          return sb == null ? null : sb.toString();
        }
        lim = n;
      }
      if (skipLf) {
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < lim) {
        char c = buf[pos];
        if (c == '\n' || c == '\r') {
          break;
        }
        pos++;
      }
      int len = pos - start;
      length += len;
      if (!tooLong && length > maxChars) {
        tooLong = true;
        sb = null; // drop what was kept: the rest of the line is only counted
      }
      boolean eol = pos < lim;
      if (eol) {
        skipLf = buf[pos++] == '\r';
      }
      if (tooLong) {
        if (eol) {
          throw new TooLong(length);
        }
        continue;
      }
      if (eol) {
        if (sb == null) {
          return new String(buf, start, len);
        }
        return sb.append(buf, start, len).toString();
      }
      if (len > 0) {
        if (sb == null) {
          sb = new StringBuilder(Math.max(256, len * 2));
        }
        sb.append(buf, start, len);
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
