package io.tickvault.archive;

import io.tickvault.store.BarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Retention applied by long-running commands ({@code sync --every --apply-retention}, {@code serve
 * --apply-retention}): every policy at most once per UTC day of the injected clock, recorded in the
 * store ({@code tickvault_meta}, key {@value #LAST_DAY_KEY}), so two such processes on one
 * production apply it once between them and a restart does not apply it again.
 *
 * <p>Never deletes real data without the confirmation its policy already records: a plan that
 * needs {@code --confirm} is skipped (and said so in the outcome) while the others are applied. A
 * failed run (the retention lock held by another run, an archive that cannot be written) is not
 * recorded, so the next check tries again. Not thread-safe; one loop per instance.
 */
public final class DailyRetention {
  /** Where the UTC day of the last scheduled run is kept. */
  public static final String LAST_DAY_KEY = "retention-schedule.last-day";

  /** Waits for a duration; may return early when the loop is being stopped. */
  @FunctionalInterface
  public interface Waiter {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * One scheduled run: its UTC day, what was applied, the plans skipped for want of a confirmation
   * (in words), or the error of a failed run.
   */
  public record Outcome(LocalDate day, List<RetentionService.Applied> applied, List<String> skipped,
      RuntimeException error) {
    public boolean ok() {
      return error == null;
    }

    public long deleted() {
      return applied.stream().mapToLong(RetentionService.Applied::deleted).sum();
    }
  }

  private final Clock clock;
  private final Path archiveDir;

  public DailyRetention(Clock clock, Path archiveDir) {
    this.clock = clock;
    this.archiveDir = archiveDir;
  }

  /** Applies the policies of {@code production} unless they were applied already this UTC day; empty then. */
  public Optional<Outcome> runIfDue(BarStore production) {
    LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
    Optional<LocalDate> last = production.meta(LAST_DAY_KEY).map(LocalDate::parse);
    if (last.isPresent() && !last.get().isBefore(today)) {
      return Optional.empty();
    }
    List<String> skipped = new ArrayList<>();
    try {
      RetentionService service = new RetentionService(production, clock);
      List<RetentionService.SourcePlan> plans = new ArrayList<>();
      for (RetentionService.SourcePlan p : service.plan(null)) {
        if (p.needsConfirm()) {
          skipped.add(p.reason() + ": " + p.rows() + " rows before " + p.cutoff() + " kept until one `tickvault "
              + "retention apply --confirm`");
        } else {
          plans.add(p);
        }
      }
      List<RetentionService.Applied> applied = service.apply(plans, false, archiveDir);
      production.putMeta(LAST_DAY_KEY, today.toString());
      return Optional.of(new Outcome(today, applied, skipped, null));
    } catch (RuntimeException e) {
      return Optional.of(new Outcome(today, List.of(), skipped, e));
    }
  }

  /**
   * Checks every {@code every} until {@code stopped} says so (or an interrupt): each check is
   * {@code check} (usually {@code () -> runIfDue(production)}); each run it reports (not each check)
   * goes to {@code listener}. A check that throws (production unreachable) is a failed run, tried
   * again at the next check. Returns the number of runs.
   */
  public long loop(Supplier<Optional<Outcome>> check, Duration every, Waiter waiter, BooleanSupplier stopped,
      Consumer<Outcome> listener) {
    long runs = 0;
    while (!stopped.getAsBoolean()) {
      Optional<Outcome> o;
      try {
        o = check.get();
      } catch (RuntimeException e) {
        o = Optional.of(new Outcome(clock.instant().atZone(ZoneOffset.UTC).toLocalDate(), List.of(), List.of(), e));
      }
      if (o.isPresent()) {
        runs++;
        listener.accept(o.get());
      }
      if (stopped.getAsBoolean()) {
        break;
      }
      try {
        waiter.sleep(every);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return runs;
  }

  /** One line per run, for the log of {@code serve} and {@code sync --every}. */
  public static String describe(Outcome o) {
    if (!o.ok()) {
      return "retention of " + o.day() + " failed: " + o.error().getMessage() + "; tried again at the next check";
    }
    StringBuilder b = new StringBuilder("retention of " + o.day() + ": ");
    if (o.applied().isEmpty() && o.skipped().isEmpty()) {
      return b.append("no source has a policy").toString();
    }
    List<String> parts = new ArrayList<>();
    for (RetentionService.Applied a : o.applied()) {
      parts.add(a.source() + " " + a.deleted() + " rows deleted" + (a.archives().isEmpty() ? ""
          : " (" + a.archives().size() + " month(s) archived)"));
    }
    for (String s : o.skipped()) {
      parts.add("skipped " + s);
    }
    return b.append(String.join("; ", parts)).toString();
  }
}
