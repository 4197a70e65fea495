package io.tickvault.cli;

import io.tickvault.archive.ParquetRestore;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.OriginCount;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tickvault import parquet}: restore an export or archive. Not thread-safe: one instance per run. */
@Command(name = "parquet", mixinStandardHelpOptions = true,
    header = "Restore a Parquet file of bars (an export or an archive) into a source, origins kept.",
    description = {"Reads a file written by tickvault export or a retention archive (the columns symbol, timestamp,",
        "price, open_price, high_price, low_price, close_price, volume, trade_count, vwap, origin) and writes",
        "its rows into the source with their own origin, exactly: restored rows are identical to the exported",
        "ones. Rows already there are replaced (upsert on symbol and timestamp), so a rerun changes nothing.",
        "Refused, with nothing changed: a file that is not Parquet or lacks a column (named), a bad row",
        "(named by its position in the file), origins that the mixing rules keep out of the source (as",
        "migrate: real and generated rows never share a table), bars of another width than the source's."},
    footer = {"", "Examples:",
        "  tickvault import parquet alpaca.parquet --source alpaca",
        "  tickvault import parquet archive/test/2024-01.parquet --source test",
        "  tickvault import parquet backup.parquet --source alpaca_restored --create",
        "", "Exit codes: 0 ok, 2 bad file, bad row or refused source, 4 store unreachable."})
final class ImportParquetCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "The Parquet file.")
  String file;

  @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "Source to restore into.")
  String source;

  @Option(names = "--create",
      description = "Create the source when it does not exist (kind from the rows' origins; width and zone from the "
          + "file's metadata).")
  boolean create;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "Bar width of the file's rows when its metadata records none (a file tickvault did not write).")
  String timeframe;

  @Mixin
  OutputOptions output;

  @Override
  protected boolean mayCreateStores() {
    return create;
  }

  @Override
  protected int run() {
    Path path = inputFile(file);
    ParquetRestore.Result r = new ParquetRestore(workspace().store()).restore(path, sourceName(source), create,
        timeframe == null ? null : Timeframe.parse(timeframe));
    if (r.written().flawed() > 0) {
      err().println(r.written().flawNote());
    }
    String origins = r.origins().stream().map(o -> o.origin() + " " + Formats.count(o.rows()))
        .collect(Collectors.joining(", "));
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", r.target().value());
      m.put("file", file);
      m.put("rows", r.rows());
      m.put("origins", r.origins().stream().collect(Collectors.toMap(o -> o.origin().value(), OriginCount::rows,
          (a, b) -> a, LinkedHashMap::new)));
      m.put("timeframe", r.width() == null ? null : r.width().cliName());
      m.put("createdSource", r.created());
      m.putAll(r.written().json());
      out().println(Json.write(m));
      return ExitCodes.OK;
    }
    out().println("restored " + Formats.count(r.rows()) + " rows into " + r.target() + (r.created() ? " (created)" : "")
        + " from " + file + (origins.isEmpty() ? "" : " (origins: " + origins + ")") + ": " + r.written().summary());
    return ExitCodes.OK;
  }
}
