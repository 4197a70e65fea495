package io.tickvault.cli;

import io.tickvault.domain.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The terminal side of the redaction boundary: every line the command line prints (picocli's
 * writers) and every line written to the process's standard streams (logs of the libraries,
 * stack traces) passes through {@link Secrets#redact} before it leaves the process. Lines are
 * processed whole (at {@code \n}, {@code \r} or a flush), so a secret is never split across two
 * writes of one line. Without {@code -v}, the standard streams also drop stack-trace lines (the
 * frames, {@code Caused by:} and the exception's own line) that libraries print with their
 * warnings: the warning itself stays, one line.
 */
public final class RedactingOutput {
  private static final Pattern TRACE = Pattern.compile(
      "\\s+at [\\w$.<>/\\[\\]@-]+\\(.*\\)\\s*"
      + "|\\s+\\.\\.\\. \\d+ (more|common frames omitted)\\s*"
      + "|\\s*(Caused by|Suppressed): .*"
      + "|\\s*([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error|Throwable|Failure)(: .*)?");

  private RedactingOutput() {}

  /** A writer that redacts every line written to {@code target}; autoflushing on println. */
  public static PrintWriter writer(Writer target) {
    return new PrintWriter(new LineWriter(target, false), true);
  }

  /** A stream that redacts every line written to {@code target} and, unless verbose, drops stack traces. */
  public static PrintStream stream(OutputStream target, boolean verbose) {
    return new PrintStream(new LineStream(target, !verbose), true, StandardCharsets.UTF_8);
  }

  /** The line as it may be shown, or null when it is a stack-trace line to drop. */
  static String line(String line, boolean dropTraces) {
    if (dropTraces) {
      String body = line.endsWith("\n") || line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (TRACE.matcher(body).matches()) {
        return null;
      }
    }
    return Secrets.redact(line);
  }

  private static final class LineWriter extends Writer {
    private final Writer out;
    private final boolean dropTraces;
    private final StringBuilder line = new StringBuilder();

    LineWriter(Writer out, boolean dropTraces) {
      this.out = out;
      this.dropTraces = dropTraces;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        line.append(c);
        if (c == '\n' || c == '\r') {
          emit();
        }
      }
    }

    private void emit() throws IOException {
      if (line.length() == 0) {
        return;
      }
      String l = line(line.toString(), dropTraces);
      line.setLength(0);
      if (l != null) {
        out.write(l);
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      emit();
      out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      flush();
      out.close();
    }
  }

  /** Bytes to lines: each complete line is decoded as UTF-8 and handed to a {@link LineWriter}. */
  private static final class LineStream extends OutputStream {
    private final Writer lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineStream(OutputStream out, boolean dropTraces) {
      this.lines = new LineWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), dropTraces);
    }

    @Override
    public synchronized void write(int b) throws IOException {
      line.write(b);
      if (b == '\n' || b == '\r') {
        lines.write(line.toString(StandardCharsets.UTF_8));
        line.reset();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      lines.write(line.toString(StandardCharsets.UTF_8));
      line.reset();
      lines.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      flush();
      lines.close();
    }
  }
}
