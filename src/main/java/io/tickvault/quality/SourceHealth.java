package io.tickvault.quality;

import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.store.IngestRecord;
import io.tickvault.store.ValidationRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * The health of one source at one instant ({@code tickvault health}, {@code GET /api/health/sources}).
 * {@code state} is the worst of what was found; {@code problems} lists each finding that makes the
 * source unhealthy (empty when fresh), {@code reason} says it in one line. {@code lastRunStatus}
 * is the last ingest run's status as the log will show it: {@code abandoned} for a {@code running}
 * row whose process is gone, even before the next run marks it. {@code rowsPerDay} has one entry
 * per UTC day of the window (zeros included); {@code validation} is the last validate run over the
 * source (its findings are the open ones), or null.
 */
public record SourceHealth(SourceName source, SourceKind kind, String width, String zone, String calendar,
    State state, List<String> problems, String reason, Instant newest, Instant expectedFrom, LocalDate session,
    Instant dueSince, String rule, long rows, long symbols, SortedMap<LocalDate, Long> rowsPerDay,
    IngestRecord lastRun, String lastRunStatus, ValidationRecord validation) {

  /** States, worst first. Failed, abandoned and late raise the alert (exit 3). */
  public enum State {
    FAILED(true), ABANDONED(true), LATE(true), EMPTY(false), FRESH(false);

    private final boolean alert;

    State(boolean alert) {
      this.alert = alert;
    }

    public boolean alert() {
      return alert;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SourceHealth {
    problems = List.copyOf(problems);
  }

  public boolean alert() {
    return state.alert();
  }

  /** Open findings: errors and warnings of the last validate run (0 when none is recorded). */
  public long openErrors() {
    return validation == null ? 0 : validation.errors();
  }

  public long openWarnings() {
    return validation == null ? 0 : validation.warnings();
  }
}
