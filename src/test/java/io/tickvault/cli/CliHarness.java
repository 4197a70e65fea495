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
}
