package io.tickvault.cli;

import io.tickvault.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real command line in-process with captured stdout/stderr and a given environment. */
public final class CliHarness {
  /** Result of one run. */
  public record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path workDir;
  private final Map<String, String> env = new HashMap<>();

  public CliHarness(Path workDir) {
    this.workDir = workDir;
  }

  public CliHarness env(String key, String value) {
    env.put(key, value);
    return this;
  }

  public Run run(String... args) {
    CommandLine cl = Cli.create(Settings.load(env, workDir));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli.setOutput(cl, new PrintWriter(out, true), new PrintWriter(err, true)); // through the redaction boundary
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream(); // export's stdout
    Cli.setDataOutput(cl, data);
    int code = cl.execute(args);
    return new Run(code, out + data.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString());
  }

  /**
   * Starts a long-running command (serve, sync --every) on its own thread; {@link Background#await}
   * waits for a pattern in its stdout, {@link Background#stop} interrupts it and returns its exit code.
   */
  public Background start(String... args) {
    CommandLine cl = Cli.create(Settings.load(env, workDir));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
    Thread t = new Thread(() -> code.set(cl.execute(args)), "command-under-test");
    t.start();
    return new Background(t, out, err, code);
  }

  /** A command running on its own thread. */
  public record Background(Thread thread, StringWriter out, StringWriter err,
      java.util.concurrent.atomic.AtomicInteger code) {
    /** Waits up to 30 s for {@code pattern} in stdout; its first group (or the whole match). Fails if the command ends first. */
    public String await(java.util.regex.Pattern pattern) throws InterruptedException {
      for (int i = 0; i < 600; i++) {
        java.util.regex.Matcher m = pattern.matcher(out.toString());
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : m.group();
        }
        org.junit.jupiter.api.Assertions.assertTrue(thread.isAlive(), "the command stopped early:\n" + out + err);
        Thread.sleep(50);
      }
      return org.junit.jupiter.api.Assertions.fail("no " + pattern + " in 30 s:\n" + out + err);
    }

    /** Interrupts the command, waits up to 30 s for it to end, and returns its exit code. */
    public int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(30_000);
      return code.get();
    }
  }
}
