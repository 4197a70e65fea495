package io.tickvault.backtest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact engine: one long-only position in whole shares, all available cash on a buy (as many
 * shares as cash covers with the fee), trades at the close of the bar that signals, a fee of
 * {@code feeBps} basis points of each trade's value, and a position still open at the end sold at
 * the last close (counted as a trade). Cash and equity are exact decimals. Stateless.
 */
public final class Engine {
  private static final MathContext MC = MathContext.DECIMAL64;
  private static final double SECONDS_PER_YEAR = 365.25 * 86400;

  private Engine() {}

  /** One round trip. {@code pnl} is after both fees. */
  public record Trade(Instant entry, BigDecimal entryPrice, Instant exit, BigDecimal exitPrice, long shares, BigDecimal pnl,
      boolean closedAtEnd) {}

  /** Metrics of one run; ratios are fractions (0.12 = 12%); null where undefined (too few bars). */
  public record Metrics(BigDecimal initialCash, BigDecimal finalEquity, BigDecimal totalReturn, Double annualisedReturn,
      Double sharpe, BigDecimal maxDrawdown, int trades, BigDecimal winRate, BigDecimal exposure, int bars,
      Instant first, Instant last) {}

  public record Result(Metrics metrics, List<Trade> trades, List<BigDecimal> equity) {}

  static Result run(List<Instant> times, List<BigDecimal> closes, int[] signals, BigDecimal cash0, BigDecimal feeBps) {
    int n = closes.size();
    BigDecimal fee = feeBps.movePointLeft(4);
    BigDecimal cash = cash0;
    long shares = 0;
    BigDecimal basis = null;
    Instant entry = null;
    BigDecimal entryPrice = null;
    List<Trade> trades = new ArrayList<>();
    List<BigDecimal> equity = new ArrayList<>(n);
    int held = 0;
    for (int i = 0; i < n; i++) {
      BigDecimal p = closes.get(i);
      if (signals[i] > 0 && shares == 0) {
        long q = cash.divide(p.multiply(BigDecimal.ONE.add(fee)), 0, RoundingMode.FLOOR).longValueExact();
        if (q > 0) {
          BigDecimal cost = p.multiply(BigDecimal.valueOf(q));
          BigDecimal f = cost.multiply(fee);
          cash = cash.subtract(cost).subtract(f);
          basis = cost.add(f);
          shares = q;
          entry = times.get(i);
          entryPrice = p;
        }
      } else if (signals[i] < 0 && shares > 0) {
        trades.add(sell(times.get(i), p, shares, basis, entry, entryPrice, fee, false));
        cash = cash.add(proceeds(p, shares, fee));
        shares = 0;
      }
      if (shares > 0) {
        held++;
      }
      if (i == n - 1 && shares > 0) {
        trades.add(sell(times.get(i), p, shares, basis, entry, entryPrice, fee, true));
        cash = cash.add(proceeds(p, shares, fee));
        shares = 0;
      }
      equity.add(cash.add(p.multiply(BigDecimal.valueOf(shares))));
    }
    return new Result(metrics(times, equity, cash0, trades, held), List.copyOf(trades), equity);
  }

  private static BigDecimal proceeds(BigDecimal p, long shares, BigDecimal fee) {
    BigDecimal value = p.multiply(BigDecimal.valueOf(shares));
    return value.subtract(value.multiply(fee));
  }

  private static Trade sell(Instant t, BigDecimal p, long shares, BigDecimal basis, Instant entry, BigDecimal entryPrice,
      BigDecimal fee, boolean atEnd) {
    return new Trade(entry, entryPrice, t, p, shares, proceeds(p, shares, fee).subtract(basis), atEnd);
  }

  private static Metrics metrics(List<Instant> times, List<BigDecimal> equity, BigDecimal cash0, List<Trade> trades,
      int held) {
    int n = equity.size();
    if (n == 0) {
      return new Metrics(cash0, cash0, BigDecimal.ZERO, null, null, BigDecimal.ZERO, 0, null, BigDecimal.ZERO, 0, null,
          null);
    }
    BigDecimal last = equity.get(n - 1);
    BigDecimal total = last.subtract(cash0).divide(cash0, MC);
    double years = Duration.between(times.get(0), times.get(n - 1)).getSeconds() / SECONDS_PER_YEAR;
    Double annual = years > 0 ? Math.pow(last.divide(cash0, MC).doubleValue(), 1 / years) - 1 : null;
    BigDecimal peak = equity.get(0);
    BigDecimal maxDd = BigDecimal.ZERO;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      BigDecimal e = equity.get(i);
      if (e.compareTo(peak) > 0) peak = e;
      BigDecimal dd = peak.subtract(e).divide(peak, MC);
      if (dd.compareTo(maxDd) > 0) maxDd = dd;
      if (i > 0) {
        double r = e.divide(equity.get(i - 1), MC).doubleValue() - 1;
        sum += r;
        sumSq += r * r;
      }
    }
    Double sharpe = null;
    int k = n - 1;
    if (k >= 2 && years > 0) {
      double mean = sum / k;
      double var = (sumSq - k * mean * mean) / (k - 1);
      if (var > 1e-30) {
        sharpe = mean / Math.sqrt(var) * Math.sqrt(k / years);
      }
    }
    long wins = trades.stream().filter(t -> t.pnl().signum() > 0).count();
    BigDecimal winRate = trades.isEmpty() ? null
        : BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(trades.size()), MC);
    BigDecimal exposure = BigDecimal.valueOf(held).divide(BigDecimal.valueOf(n), MC);
    return new Metrics(cash0, last, plain(total), annual, sharpe, plain(maxDd), trades.size(),
        winRate == null ? null : plain(winRate), plain(exposure), n, times.get(0), times.get(n - 1));
  }

  /** Without trailing zeros, but never in exponent form (1E+1). */
  static BigDecimal plain(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
