package io.tickvault.quality;

import io.tickvault.calendar.AlwaysOpenCalendar;
import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.SourceName;
import io.tickvault.quality.SourceHealth.State;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.RunOwner;
import io.tickvault.store.SourceRecord;
import io.tickvault.store.SourceStats;
import io.tickvault.store.ValidationRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code tickvault health}: per source, the newest bar against the calendar ({@link HealthRules}),
 * the last ingest run, rows and their growth over the last days, and the open findings of the last
 * {@code validate}. Reads only: a {@code running} run whose process is gone is reported as
 * abandoned without writing the log (the next ingest marks it). Stateless.
 */
public final class HealthService {
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
      .withZone(ZoneOffset.UTC);

  /**
   * {@code sessionGrace} and {@code alwaysOpenGrace} (null: the defaults of {@link HealthRules}),
   * {@code days} of growth (1..90), one-off NYSE closures.
   */
  public record Options(Duration sessionGrace, Duration alwaysOpenGrace, int days, Collection<LocalDate> extraClosed) {
    public static final Options DEFAULTS = new Options(null, null, 7, List.of());

    public Options {
      sessionGrace = sessionGrace == null ? HealthRules.SESSION_GRACE : sessionGrace;
      alwaysOpenGrace = alwaysOpenGrace == null ? HealthRules.ALWAYS_OPEN_GRACE : alwaysOpenGrace;
      if (days < 1 || days > 90) {
        throw new io.tickvault.domain.InvalidInputException("--days must be 1..90, not " + days);
      }
      if (sessionGrace.isNegative() || alwaysOpenGrace.isNegative()) {
        throw new io.tickvault.domain.InvalidInputException("a grace cannot be negative");
      }
      extraClosed = extraClosed == null ? List.of() : List.copyOf(extraClosed);
    }
  }

  private HealthService() {}

  /** Every source with a table (or only {@code only}, which must exist), sorted by name. */
  public static HealthReport check(BarStore store, SourceName only, Options o, Instant now, String mode) {
    List<SourceHealth> out = new ArrayList<>();
    if (only != null) {
      out.add(source(store, store.requireSource(only), o, now));
    } else {
      for (SourceRecord r : store.sources()) {
        if (r.tableExists()) {
          out.add(source(store, r, o, now));
        }
      }
    }
    return new HealthReport(now, mode, store.info().location(), out, null);
  }

  static SourceHealth source(BarStore store, SourceRecord r, Options o, Instant now) {
    SourceName name = r.name();
    TradingCalendar cal = HealthRules.calendarFor(r.zone(), o.extraClosed());
    Duration grace = cal instanceof AlwaysOpenCalendar ? o.alwaysOpenGrace() : o.sessionGrace();
    HealthRules.Expectation e = HealthRules.expected(cal, r.mixed() == null ? r.width() : null, r.zone(), now, grace);
    SourceStats stats = store.stats(name, BarFilter.ALL);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate firstDay = today.minusDays(o.days() - 1L);
    SortedMap<LocalDate, Long> perDay = new TreeMap<>();
    for (LocalDate d = firstDay; !d.isAfter(today); d = d.plusDays(1)) {
      perDay.put(d, 0L);
    }
    if (stats.rows() > 0) {
      store.rowsPerDay(name, firstDay.atStartOfDay(ZoneOffset.UTC).toInstant()).forEach((d, n) -> {
        if (perDay.containsKey(d)) {
          perDay.put(d, n);
        }
      });
    }
    IngestRecord run = store.ingestLog(name, 1).stream().findFirst().orElse(null);
    String runStatus = run == null ? null : run.runningButGone() ? "abandoned" : run.status().label();
    ValidationRecord v = store.lastValidation(name).orElse(null);

    List<String> problems = new ArrayList<>();
    State state = State.FRESH;
    if (run != null && "failed".equals(runStatus)) {
      state = worst(state, State.FAILED);
      problems.add("last ingest run #" + run.id() + " failed" + (run.finished() == null ? ""
          : " at " + MINUTE.format(run.finished())) + (run.detail() == null ? "" : ": " + run.detail()));
    } else if (run != null && "abandoned".equals(runStatus)) {
      state = worst(state, State.ABANDONED);
      problems.add("last ingest run #" + run.id() + " was abandoned: " + (run.runningButGone()
          ? RunOwner.describe(run.owner()) + " ended without finishing it (killed or crashed; the next run marks it)"
          : run.detail() == null ? "its process ended without finishing it" : strip(run.detail())));
    }
    if (stats.rows() == 0) {
      state = worst(state, State.EMPTY);
    } else if (stats.last().isBefore(e.notBefore())) {
      state = worst(state, State.LATE);
      problems.add("late: newest bar " + MINUTE.format(stats.last()) + ", expected " + e.what());
    }
    String reason;
    if (!problems.isEmpty()) {
      reason = String.join("; ", problems);
    } else if (state == State.EMPTY) {
      reason = "no bars yet";
    } else {
      reason = "fresh: newest bar " + MINUTE.format(stats.last()) + "; expected " + e.what();
    }
    if (v != null && (v.errors() > 0 || v.warnings() > 0)) {
      reason += "; validate " + MINUTE.format(v.validatedAt()) + ": " + v.errors() + " errors, " + v.warnings()
          + " warnings open";
    }
    return new SourceHealth(name, r.kind(), r.widthLabel(), r.zone().getId(), cal.name(), state, problems, reason,
        stats.last(), e.notBefore(), e.session() == null ? null : e.session().day(), e.dueSince(), e.what(),
        stats.rows(), stats.symbols(), perDay, run, runStatus, v);
  }

  private static String strip(String detail) {
    return detail.startsWith("abandoned: ") ? detail.substring("abandoned: ".length()) : detail;
  }

  private static State worst(State a, State b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
