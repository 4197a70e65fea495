package io.tickvault.app;

import io.tickvault.cli.Cli;
import io.tickvault.config.Settings;

/** The {@code tickvault} executable: real environment, real working directory. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Cli.run(Settings.fromSystem(), args);
    System.exit(code);
  }
}
