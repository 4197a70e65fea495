package io.tickvault.cli;

import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Text;
import io.tickvault.quality.Check;
import io.tickvault.quality.Finding;
import io.tickvault.quality.SymbolReport;
import io.tickvault.quality.ValidateOptions;
import io.tickvault.quality.ValidationJson;
import io.tickvault.quality.ValidationReport;
import io.tickvault.quality.Validator;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tickvault validate}: errors, calendar gaps and suspicious moves of one source. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    header = "Check a source's bars against the trading calendar and the bar rules.",
    description = {"Check one source's bars in a single streaming pass, per symbol:",
        "  errors    open/close/vwap outside [low, high], bars off the grid, future timestamps, volume 0 with a move;",
        "  calendar  missing sessions, bars on closed days (weekends, holidays), and a count of bars missing",
        "            inside sessions (minutes where nothing traded: counted, not listed);",
        "  warnings  jumps beyond --jump, jumps close to a split ratio, volume spikes against the rolling median,",
        "            runs of identical bars (a stalled feed).",
        "Exit code 0 when clean (warnings allowed), 3 when there are errors (or warnings, with --strict)."},
    footer = {"", "Examples:",
        "  tickvault validate --source alpaca --symbol AAPL --from 2024-01-01 --to 2024-12-31",
        "  tickvault validate --source crypto --calendar 24x7 --format json",
        "  tickvault validate --source sp500 --jump 0.05 --strict",
        "  tickvault validate --source alpaca --closed 2026-03-04     # a closure announced after this release",
        "", "Days are trading days of the calendar (New York for us-equities); --to is inclusive and capped at today."})
public final class ValidateCommand extends BaseCommand {
  @Option(names = "--source", paramLabel = "SOURCE", description = "Source to validate (default: DATA_SOURCE).")
  String source;

  @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol (default: every symbol).")
  Symbol symbol;

  @Option(names = "--from", paramLabel = "DATE", description = "First trading day to check (default: the first bar).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last trading day to check, inclusive (default: the last bar).")
  LocalDate to;

  @Option(names = "--calendar", paramLabel = "NAME", defaultValue = "us-equities",
      description = "us-equities (NYSE sessions, New York time) or 24x7 (every day; default: ${DEFAULT-VALUE}).")
  String calendar;

  @Option(names = "--closed", paramLabel = "DATE", split = ",",
      description = "Extra full-day closures (a day of mourning announced after this release); repeatable.")
  List<LocalDate> closed = new ArrayList<>();

  @Option(names = "--strict", description = "Warnings fail too (exit 3).")
  boolean strict;

  @Option(names = "--jump", paramLabel = "FRACTION", defaultValue = "0.10",
      description = "Close-to-close move that counts as a jump: 0.10 or 10%% (default: ${DEFAULT-VALUE}).")
  String jump;

  @Option(names = "--split-tolerance", paramLabel = "FRACTION", defaultValue = "0.02",
      description = "How close a jump must be to a split ratio (default: ${DEFAULT-VALUE}).")
  String splitTolerance;

  @Option(names = "--spike-window", paramLabel = "BARS", defaultValue = "50",
      description = "Bars in the rolling median of volume (default: ${DEFAULT-VALUE}).")
  int spikeWindow;

  @Option(names = "--spike-factor", paramLabel = "X", defaultValue = "10",
      description = "A volume above X times the rolling median is a spike (default: ${DEFAULT-VALUE}).")
  String spikeFactor;

  @Option(names = "--identical-run", paramLabel = "BARS", defaultValue = "5",
      description = "This many identical bars in a row are reported (default: ${DEFAULT-VALUE}).")
  int identicalRun;

  @Option(names = "--max-listed", paramLabel = "N", defaultValue = "20",
      description = "Findings listed per symbol and check; counts are always complete (default: ${DEFAULT-VALUE}).")
  int maxListed;

  @Mixin
  OutputOptions output;

  @Override
  protected int run() {
    SourceName src = source == null ? settings().dataSource() : SourceName.of(source);
    List<LocalDate> extra = new ArrayList<>(closed);
    ValidateOptions o = new ValidateOptions(symbol,
        from, to,
        TradingCalendar.named(calendar, extra), fraction(jump, "--jump"), fraction(splitTolerance, "--split-tolerance"),
        spikeWindow, number(spikeFactor, "--spike-factor"), identicalRun, maxListed, Instant.now());
    ValidationReport r;
    try (Progress p = Progress.forTerminal(err())) {
      r = Validator.validate(workspace().store(), src, o, null,
          n -> p.update("validate " + src, Double.NaN, Formats.count(n) + " bars read"));
    }
    if (symbol == null && !workspace().store().readOnly()) {
      // every symbol was checked: these are the source's open findings until the next such run (tickvault health)
      workspace().store().recordValidation(r.summary(o.now()));
    }
    if (output.json()) {
      out().println(Json.write(ValidationJson.of(r, strict)));
    } else {
      print(r, strict, out());
    }
    return r.failed(strict) ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
  }

  /** The text report (also used by {@code compare}). */
  static void print(ValidationReport r, boolean strict, PrintWriter out) {
    out.printf("validate %s (%s): %s bars, zone %s, calendar %s%n", r.source(), r.kind().label(),
        r.shape().width(), r.shape().zone().getId(), r.calendar());
    if (r.symbols().isEmpty()) {
      out.println("no bars to check");
      return;
    }
    Table t = new Table("SYMBOL", "ROWS", "DAYS", "SESSIONS", "MISSING SESSIONS", "MISSING BARS IN SESSIONS",
        "OUTSIDE SESSIONS", "ERRORS", "WARNINGS");
    for (SymbolReport s : r.symbols()) {
      t.row(s.symbol(), Formats.count(s.rows()), s.firstDay() + ".." + s.lastDay(), Formats.count(s.sessions()),
          Formats.count(s.missingSessions()), Formats.count(s.missingBars()), Formats.count(s.outsideSession()),
          Formats.count(s.errors()), Formats.count(s.warnings()));
    }
    t.print(out);
    for (SymbolReport s : r.symbols()) {
      if (s.findings().isEmpty()) {
        continue;
      }
      out.println();
      out.println(s.symbol() + ":");
      Table f = new Table("SEVERITY", "CHECK", "BAR / DAY", "DETAIL");
      for (Finding g : s.findings()) {
        f.row(g.severity().label(), g.check().label(), g.bar() == null ? g.day() : g.bar(), g.detail());
      }
      f.print(out);
      for (Check c : Check.values()) {
        long n = s.counts().get(c);
        long listed = s.findings().stream().filter(g -> g.check() == c).count();
        if (n > listed) {
          out.printf("  ... %s more %s (%s in all; --max-listed to list more)%n", Formats.count(n - listed), c.label(),
              Formats.count(n));
        }
      }
    }
    out.println();
    out.printf("%s errors, %s warnings in %s bars%s%n", Formats.count(r.errors()), Formats.count(r.warnings()),
        Formats.count(r.rows()), r.failed(strict) ? " (exit 3" + (strict && r.errors() == 0 ? ", --strict)" : ")")
            : "");
  }

  static BigDecimal fraction(String s, String option) {
    String t = s.strip();
    if (t.endsWith("%")) {
      return number(t.substring(0, t.length() - 1), option).movePointLeft(2);
    }
    return number(t, option);
  }

  static BigDecimal number(String s, String option) {
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("invalid number for " + option + ": " + Text.quote(s) + " (e.g. 0.10 or 10%)");
    }
  }
}
