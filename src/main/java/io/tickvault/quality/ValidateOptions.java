package io.tickvault.quality;

import io.tickvault.calendar.TradingCalendar;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Symbol;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What {@code validate} checks and how. {@code from}/{@code to} are inclusive trading days (null: the
 * symbol's first/last bar); {@code jumpThreshold} a fraction (0.10 = 10%); a volume spike is a volume
 * above {@code spikeFactor} times the median of the previous {@code spikeWindow} bars;
 * {@code identicalRun} bars in a row with the same OHLCV are a run; {@code maxListed} caps the
 * findings listed per symbol and check (counts stay exact); {@code now} decides "in the future".
 */
public record ValidateOptions(Symbol symbol, LocalDate from, LocalDate to, TradingCalendar calendar,
    BigDecimal jumpThreshold, BigDecimal splitTolerance, int spikeWindow, BigDecimal spikeFactor, int identicalRun,
    int maxListed, Instant now) {

  public static final BigDecimal DEFAULT_JUMP = new BigDecimal("0.10");
  public static final BigDecimal DEFAULT_SPLIT_TOLERANCE = new BigDecimal("0.02");
  public static final int DEFAULT_SPIKE_WINDOW = 50;
  public static final BigDecimal DEFAULT_SPIKE_FACTOR = BigDecimal.TEN;
  public static final int DEFAULT_IDENTICAL_RUN = 5;
  public static final int DEFAULT_MAX_LISTED = 20;

  public ValidateOptions {
    if (calendar == null || now == null) {
      throw new IllegalArgumentException("calendar and now are required");
    }
    if (from != null && to != null && to.isBefore(from)) {
      throw new InvalidInputException("--to " + to + " is before --from " + from);
    }
    if (jumpThreshold.signum() <= 0) {
      throw new InvalidInputException("--jump must be a positive fraction such as 0.10 (10%), not " + jumpThreshold);
    }
    if (splitTolerance.signum() < 0 || splitTolerance.compareTo(new BigDecimal("0.2")) > 0) {
      throw new InvalidInputException("--split-tolerance must be between 0 and 0.2, not " + splitTolerance);
    }
    if (spikeWindow < 3) {
      throw new InvalidInputException("--spike-window must be at least 3 bars, not " + spikeWindow);
    }
    if (spikeFactor.compareTo(BigDecimal.ONE) <= 0) {
      throw new InvalidInputException("--spike-factor must be above 1, not " + spikeFactor);
    }
    if (identicalRun < 2) {
      throw new InvalidInputException("--identical-run must be at least 2 bars, not " + identicalRun);
    }
    if (maxListed < 0) {
      throw new InvalidInputException("--max-listed must be 0 or more, not " + maxListed);
    }
  }

  /** The defaults, on the given calendar. */
  public static ValidateOptions defaults(TradingCalendar calendar, Instant now) {
    return new ValidateOptions(null, null, null, calendar, DEFAULT_JUMP, DEFAULT_SPLIT_TOLERANCE, DEFAULT_SPIKE_WINDOW,
        DEFAULT_SPIKE_FACTOR, DEFAULT_IDENTICAL_RUN, DEFAULT_MAX_LISTED, now);
  }

  public ValidateOptions withSymbol(Symbol s) {
    return new ValidateOptions(s, from, to, calendar, jumpThreshold, splitTolerance, spikeWindow, spikeFactor,
        identicalRun, maxListed, now);
  }

  public ValidateOptions withDays(LocalDate f, LocalDate t) {
    return new ValidateOptions(symbol, f, t, calendar, jumpThreshold, splitTolerance, spikeWindow, spikeFactor,
        identicalRun, maxListed, now);
  }

  public ValidateOptions withMaxListed(int n) {
    return new ValidateOptions(symbol, from, to, calendar, jumpThreshold, splitTolerance, spikeWindow, spikeFactor,
        identicalRun, n, now);
  }
}
