package io.tickvault.cli;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.source.SourceService;
import io.tickvault.store.SourceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault create}: the built-in source tables, or one source. Idempotent. */
@Command(name = "create", mixinStandardHelpOptions = true,
    header = "Create the built-in sources, or one source of your own.",
    description = "Create the built-in source tables (synthetic, alpaca, polygon, mock, test), or one source. "
        + "Idempotent: existing tables and their data are left alone.",
    footer = {"", "Examples:", "  tickvault create", "  tickvault create --source alpaca_sip --kind vendor "
        + "--description 'Alpaca SIP feed'", "  tickvault create --source scenario_crash --kind generated"})
final class CreateCommand extends BaseCommand {
  @Option(names = "--source", paramLabel = "NAME", description = "Source to create ([a-z][a-z0-9_]{0,39}).")
  String source;

  @Option(names = "--kind", paramLabel = "KIND",
      description = "vendor (real market data) or generated; default: generated for synthetic/mock/test, "
          + "vendor otherwise.")
  String kind;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the source holds.")
  String description;

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    if (source == null && (kind != null || description != null)) {
      throw new io.tickvault.domain.InvalidInputException("--kind and --description need --source");
    }
    SourceService service = new SourceService(workspace().store());
    for (SourceRecord r : service.create(source == null ? null : SourceName.of(source),
        kind == null ? null : SourceKind.parse(kind), description)) {
      out().println("ready: " + r.name() + " (" + r.kind().label() + ", table " + r.name().tableName() + ")");
    }
    return ExitCodes.OK;
  }
}
