package io.tickvault.cli;

import io.tickvault.domain.BarGrid;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import io.tickvault.domain.Timeframe;
import io.tickvault.source.SourceService;
import io.tickvault.store.Partitioning;
import io.tickvault.store.SourceRecord;
import java.time.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickvault create}: the built-in source tables, or one source. Idempotent. */
@Command(name = "create", mixinStandardHelpOptions = true,
    header = "Create the built-in sources, or one source of your own.",
    description = "Create the built-in source tables (synthetic, alpaca, polygon, mock, test), or one source. "
        + "Idempotent: existing tables and their data are left alone.",
    footer = {"", "A source holds bars of one width (--timeframe, else taken from its first write) in one market time",
        "zone (--timezone, default America/New_York; UTC with --calendar 24x7): daily bars start at local midnight.",
        "", "Examples:", "  tickvault create", "  tickvault create --source alpaca_sip --kind vendor "
        + "--description 'Alpaca SIP feed'", "  tickvault create --source scenario_crash --kind generated",
        "  tickvault create --source alpaca_1min --kind vendor --timeframe 1Min",
        "  tickvault create --source hkex --kind vendor --timeframe 1Day --timezone Asia/Hong_Kong",
        "  tickvault create --source crypto --kind vendor --calendar 24x7",
        "  tickvault create --source polygon_1min --kind vendor --timeframe 1Min --partition monthly"})
final class CreateCommand extends BaseCommand {
  @Option(names = "--source", paramLabel = "NAME", description = "Source to create ([a-z][a-z0-9_]{0,39}).")
  String source;

  @Option(names = "--kind", paramLabel = "KIND",
      description = "vendor (real market data) or generated; default: generated for synthetic/mock/test, "
          + "vendor otherwise.")
  String kind;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the source holds.")
  String description;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "The one bar width the source holds: 1Min, 5Min, 15Min, 30Min, 1Hour, 1Day, 1Week or 1Month "
          + "(default: taken from the first write).")
  String timeframe;

  @Option(names = "--timezone", paramLabel = "ZONE",
      description = "The source's market time zone, an IANA name such as America/New_York (default), "
          + "Asia/Hong_Kong, Europe/London or UTC. Days, weeks and months are cut at its local midnight.")
  String timezone;

  @Option(names = "--calendar", paramLabel = "CAL",
      description = "24x7 for markets that never close (crypto): the zone defaults to UTC.")
  String calendar;

  @Option(names = "--partition", paramLabel = "LAYOUT",
      description = "monthly: partition the new source's table by UTC month (PostgreSQL only; months are made "
          + "as bars arrive, and retention drops a month whole): see docs/partitioning.md. Default: none.")
  String partition;

  @Override
  protected boolean mayCreateStores() {
    return true;
  }

  @Override
  protected int run() {
    if (source == null && (kind != null || description != null || timeframe != null || timezone != null
        || calendar != null || partition != null)) {
      throw new InvalidInputException("--kind, --description, --timeframe, --timezone, --calendar and --partition "
          + "need --source");
    }
    Partitioning layout = partition == null ? Partitioning.NONE : Partitioning.parse(partition);
    ZoneId zone = timezone == null ? null : BarGrid.zone(timezone, "--timezone");
    if (calendar != null) {
      if (!calendar.strip().equalsIgnoreCase("24x7")) {
        throw new InvalidInputException("invalid --calendar " + Text.quote(calendar) + ": the one calendar is 24x7 "
            + "(markets that never close; the zone defaults to UTC)");
      }
      zone = zone == null ? ZoneId.of("UTC") : zone;
    }
    Timeframe width = timeframe == null ? null : Timeframe.parse(timeframe);
    SourceName name = source == null ? null : sourceName(source); // refused before any store is created
    SourceService service = new SourceService(workspace().store());
    for (SourceRecord r : service.create(name,
        kind == null ? null : SourceKind.parse(kind), description, width, zone, layout)) {
      boolean monthly = name != null && workspace().store().partitioning(r.name()) == Partitioning.MONTHLY;
      out().println("ready: " + r.name() + " (" + r.kind().label() + ", table " + r.name().tableName()
          + (monthly ? " partitioned by month" : "") + ", "
          + (r.mixed() != null ? "mixed widths" : r.width() == null ? "width from its first write" : r.width()
          + " bars") + ", " + r.zone().getId() + ")");
    }
    return ExitCodes.OK;
  }
}
