package io.tickvault.cli;

import io.tickvault.archive.ExportFormat;
import io.tickvault.archive.ExportService;
import io.tickvault.domain.Dates;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault export}: a source's bars to CSV, JSON Lines or Parquet. Not thread-safe: one instance per run. */
@Command(name = "export", mixinStandardHelpOptions = true,
    header = "Write a source's bars to CSV, JSON Lines or Parquet.",
    description = {"Streams the selected bars, ordered by symbol then time, with every column the store has:",
        "symbol, timestamp (UTC), price, open_price, high_price, low_price, close_price, volume, trade_count,",
        "vwap and origin (the source that first produced the row). Prices are the stored exact decimals",
        "(185.1200), never floating point: Parquet has DECIMAL(10,4) columns and a UTC timestamp.",
        "CSV and JSON Lines go to standard output unless --output names a file; Parquet needs --output.",
        "A file is written under a temporary name and renamed when complete: a failed export leaves none.",
        "Reads only: --mode mirror exports from the read-only mirror. A progress bar shows on a terminal."},
    footer = {"", "Examples:",
        "  tickvault export --source synthetic --symbol AAPL --from 2025-01-15 --to 2025-01-20 > aapl.csv",
        "  tickvault export --source alpaca --format parquet --output alpaca.parquet",
        "  tickvault export --source synthetic --format jsonl | head -3",
        "  tickvault export --source alpaca --mode mirror --output alpaca-2024.parquet --from 2024-01-01 --to 2024-12-31",
        "  python3 -c 'import pandas as pd; print(pd.read_parquet(\"alpaca.parquet\").head())'",
        "", "Restore a Parquet export with: tickvault import parquet FILE --source S",
        "Exit codes: 0 ok, 2 bad option, unknown source or symbol, existing file without --force, 4 store unreachable."})
final class ExportCommand extends BaseCommand {
  @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "Source to export.")
  String source;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol.")
  Symbol symbol;

  @Option(names = "--from", paramLabel = "DATE", description = "From this day (inclusive, in the source's time zone) or ISO date-time.")
  String from;

  @Option(names = "--to", paramLabel = "DATE",
      description = "Through this day (inclusive, in the source's time zone), or up to this ISO date-time "
          + "(exclusive).")
  String to;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "csv, jsonl or parquet (default: from the --output file's extension, else csv).")
  ExportFormat format;

  @Option(names = {"--output", "-o"}, paramLabel = "FILE",
      description = "File to write, or - for standard output (default; not for parquet).")
  String output;

  @Option(names = "--force", description = "Replace --output when it exists.")
  boolean force;

  @Override
  protected int run() throws IOException {
    SourceName name = sourceName(source);
    Symbol sym = symbol;
    boolean toStdout = output == null || output.equals("-");
    ExportFormat f = format(toStdout);
    Path file = null;
    if (!toStdout) {
      file = settings().workDir().resolve(output).normalize();
      if (Files.exists(file) && !force) {
        throw new InvalidInputException("--output " + Text.quote(output) + " exists; add --force to replace it. "
            + "Nothing was written");
      }
      if (Files.isDirectory(file)) {
        throw new InvalidInputException("--output " + Text.quote(output) + " is a directory; name a file");
      }
      Path dir = file.getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw new InvalidInputException("--output " + Text.quote(output) + ": no such folder " + dir);
      }
    }
    ExportService service = new ExportService(workspace().store());
    ExportService.Selection sel = new ExportService.Selection(name, sym,
        Dates.range(from, to, workspace().store().requireSource(name).zone()));
    long total = service.count(sel);
    long started = System.nanoTime();
    ExportService.Result r;
    try (Progress p = Progress.forTerminal(err())) {
      java.util.function.LongConsumer progress = n -> p.update(name.value(),
          total <= 0 ? Double.NaN : (double) n / total, Formats.count(n) + " of " + Formats.count(total) + " bars");
      if (f == ExportFormat.parquet) {
        r = service.toParquet(sel, file, progress);
      } else if (toStdout) {
        OutputStream data = ((TickvaultCommand) spec.root().userObject()).dataOut;
        Writer w = new BufferedWriter(new OutputStreamWriter(nonClosing(data), StandardCharsets.UTF_8), 1 << 16);
        try {
          r = service.toText(sel, f, w, progress);
        } catch (java.io.UncheckedIOException e) {
          if (String.valueOf(e.getCause().getMessage()).contains("Broken pipe")) {
            return ExitCodes.OK; // the reader stopped early (| head): not an error, and nothing more to say
          }
          throw e;
        }
      } else {
        r = toTextFile(service, sel, f, file, progress);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    PrintWriter summary = toStdout ? err() : out();
    summary.println("exported " + Formats.count(r.rows()) + " bars" + (r.rows() == 0 ? "" : " of " + r.symbols()
        + " symbol" + (r.symbols() == 1 ? "" : "s") + ", " + Formats.time(r.first()) + " .. " + Formats.time(r.last()))
        + " from " + name + " (" + workspace().store().info().location() + ", " + settings().dataMode().name()
        .toLowerCase(Locale.ROOT) + ") as " + f + " to " + (toStdout ? "standard output" : output) + " in "
        + String.format(Locale.ROOT, "%.1f", seconds) + " s");
    return ExitCodes.OK;
  }

  private ExportFormat format(boolean toStdout) {
    ExportFormat byName = null;
    if (!toStdout) {
      String lower = output.toLowerCase(Locale.ROOT);
      for (ExportFormat e : ExportFormat.values()) {
        if (lower.endsWith("." + e.name())) {
          byName = e;
        }
      }
    }
    ExportFormat f = format != null ? format : byName != null ? byName : ExportFormat.csv;
    if (format != null && byName != null && byName != format) {
      throw new InvalidInputException("--format " + format + " but --output " + Text.quote(output) + " ends in ."
          + byName + "; make them agree. Nothing was written");
    }
    if (f == ExportFormat.parquet && toStdout) {
      throw new InvalidInputException("--format parquet needs --output FILE (a Parquet file is not a stream)");
    }
    return f;
  }

  private static ExportService.Result toTextFile(ExportService service, ExportService.Selection sel, ExportFormat f,
      Path file, java.util.function.LongConsumer progress) throws IOException {
    Path tmp = io.tickvault.store.parquet.ParquetBars.partialName(file);
    try {
      ExportService.Result r;
      try (OutputStream os = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
           Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
        r = service.toText(sel, f, w, progress);
      }
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
