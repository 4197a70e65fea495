package io.tickvault.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs SQL with the real {@code sqlite3} command-line shell, as a person poking at a file would
 * (Debian package {@code sqlite3}). Fails the test loudly when the shell is missing.
 */
public final class Sqlite3Shell {
  private Sqlite3Shell() {}

  /** Runs {@code sql} against {@code file}; returns the shell's output. */
  public static String run(Path file, String sql) throws IOException, InterruptedException {
    return run(file, sql, new String[0]);
  }

  /** Runs {@code sql} against {@code file} with shell options such as {@code -csv -header}; returns the output. */
  public static String run(Path file, String sql, String... options) throws IOException, InterruptedException {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add("sqlite3");
    cmd.addAll(java.util.List.of(options));
    cmd.add(file.toString());
    cmd.add(sql);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("the sqlite3 shell is needed by this test: install it (apt-get install sqlite3)",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("sqlite3 did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("sqlite3 failed (exit " + p.exitValue() + "): " + out);
    }
    return out;
  }
}
