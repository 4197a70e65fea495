package io.tickvault.app;

import io.tickvault.cli.Cli;
import io.tickvault.cli.RedactingOutput;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import io.tickvault.config.Settings;

/** The {@code tickvault} executable: real environment, real working directory. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // The redaction boundary for everything else this process prints (library logs, stack traces);
    // without -v, stack traces are left out.
    boolean verbose = java.util.Arrays.asList(args).contains("-v") || java.util.Arrays.asList(args).contains("--verbose");
    System.setOut(RedactingOutput.stream(new FileOutputStream(FileDescriptor.out), verbose));
    System.setErr(RedactingOutput.stream(new FileOutputStream(FileDescriptor.err), verbose));
    int code;
    try {
      code = Cli.run(Settings.fromSystem(), args);
    } catch (OutOfMemoryError e) {
      // said plainly (the JVM's own report is a stack trace, which is left out without -v)
      System.err.println("tickvault: out of memory (the maximum heap is "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB); give it more with "
          + "TICKVAULT_JAVA_OPTS=-Xmx2g, or ask for less at once. Nothing half-written was committed.");
      code = io.tickvault.cli.ExitCodes.INTERNAL;
    }
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }
}
