package io.tickvault.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json} for commands whose output is data. */
public final class OutputOptions {
  /** Output formats. */
  public enum Format { text, json }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  public boolean json() {
    return format == Format.json;
  }
}
