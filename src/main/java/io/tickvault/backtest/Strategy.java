package io.tickvault.backtest;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.Text;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A long-only strategy: from the closes seen so far, whether to be in the market after this bar.
 * {@link #signals} returns, per bar, +1 (buy if flat), -1 (sell if long) or 0. Exact decimals
 * (RSI divides at 16 significant digits). Immutable.
 */
public sealed interface Strategy {
  String name();

  /** Parameters as printed and stored in the results. */
  Map<String, Object> params();

  int[] signals(List<BigDecimal> closes);

  /** The names {@link #of} accepts. */
  List<String> NAMES = List.of("sma-cross", "rsi-reversion", "buy-and-hold");

  static Strategy of(String name, Integer fast, Integer slow, Integer period, BigDecimal lower, BigDecimal upper) {
    String n = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
    return switch (n) {
      case "sma-cross" -> new SmaCross(fast == null ? 10 : fast, slow == null ? 30 : slow);
      case "rsi-reversion" -> new RsiReversion(period == null ? 14 : period,
          lower == null ? BigDecimal.valueOf(30) : lower, upper == null ? BigDecimal.valueOf(70) : upper);
      case "buy-and-hold" -> new BuyAndHold();
      default -> throw new InvalidInputException("unknown strategy " + Text.quote(name)
          + ": use sma-cross, rsi-reversion or buy-and-hold");
    };
  }

  /** Buys at the first bar and holds to the end. */
  record BuyAndHold() implements Strategy {
    @Override
    public String name() {
      return "buy-and-hold";
    }

    @Override
    public Map<String, Object> params() {
      return Map.of();
    }

    @Override
    public int[] signals(List<BigDecimal> closes) {
      int[] s = new int[closes.size()];
      if (s.length > 0) {
        s[0] = 1;
      }
      return s;
    }
  }

  /**
   * Buys when the fast simple moving average of the close crosses above the slow one (fast above
   * slow on this bar, not above it on the previous bar), sells when it crosses below.
   */
  record SmaCross(int fast, int slow) implements Strategy {
    public SmaCross {
      if (fast < 1 || slow <= fast) {
        throw new InvalidInputException("sma-cross needs 1 <= --fast < --slow (got fast " + fast + ", slow " + slow + ")");
      }
    }

    @Override
    public String name() {
      return "sma-cross";
    }

    @Override
    public Map<String, Object> params() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fast", fast);
      m.put("slow", slow);
      return m;
    }

    @Override
    public int[] signals(List<BigDecimal> c) {
      int n = c.size();
      int[] s = new int[n];
      BigDecimal fastSum = BigDecimal.ZERO;
      BigDecimal slowSum = BigDecimal.ZERO;
      int prevSide = 0; // sign of (fast - slow) on the previous bar, once both are defined
      boolean prevDefined = false;
      BigDecimal f = BigDecimal.valueOf(fast);
      BigDecimal sl = BigDecimal.valueOf(slow);
      for (int i = 0; i < n; i++) {
        fastSum = fastSum.add(c.get(i));
        slowSum = slowSum.add(c.get(i));
        if (i >= fast) fastSum = fastSum.subtract(c.get(i - fast));
        if (i >= slow) slowSum = slowSum.subtract(c.get(i - slow));
        if (i < slow - 1) {
          continue;
        }
        // fast average vs slow average, exactly: fastSum / fast vs slowSum / slow
        int side = fastSum.multiply(sl).compareTo(slowSum.multiply(f));
        if (prevDefined) {
          if (side > 0 && prevSide <= 0) s[i] = 1;
          else if (side < 0 && prevSide >= 0) s[i] = -1;
        }
        prevSide = side;
        prevDefined = true;
      }
      return s;
    }
  }

  /** Wilder's RSI over {@code period} closes: buy when it falls below {@code lower}, sell above {@code upper}. */
  record RsiReversion(int period, BigDecimal lower, BigDecimal upper) implements Strategy {
    public RsiReversion {
      if (period < 2) {
        throw new InvalidInputException("rsi-reversion needs --period of at least 2 (got " + period + ")");
      }
      if (lower.signum() < 0 || upper.compareTo(BigDecimal.valueOf(100)) > 0 || lower.compareTo(upper) >= 0) {
        throw new InvalidInputException("rsi-reversion needs 0 <= --lower < --upper <= 100 (got " + lower + ", "
            + upper + ")");
      }
    }

    @Override
    public String name() {
      return "rsi-reversion";
    }

    @Override
    public Map<String, Object> params() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("period", period);
      m.put("lower", lower);
      m.put("upper", upper);
      return m;
    }

    @Override
    public int[] signals(List<BigDecimal> c) {
      int[] s = new int[c.size()];
      BigDecimal[] rsi = rsi(c, period);
      for (int i = 0; i < s.length; i++) {
        if (rsi[i] == null) continue;
        if (rsi[i].compareTo(lower) < 0) s[i] = 1;
        else if (rsi[i].compareTo(upper) > 0) s[i] = -1;
      }
      return s;
    }

    static BigDecimal[] rsi(List<BigDecimal> c, int period) {
      MathContext mc = MathContext.DECIMAL64;
      BigDecimal[] out = new BigDecimal[c.size()];
      BigDecimal n = BigDecimal.valueOf(period);
      BigDecimal gain = BigDecimal.ZERO;
      BigDecimal loss = BigDecimal.ZERO;
      BigDecimal hundred = BigDecimal.valueOf(100);
      for (int i = 1; i < c.size(); i++) {
        BigDecimal d = c.get(i).subtract(c.get(i - 1));
        BigDecimal g = d.signum() > 0 ? d : BigDecimal.ZERO;
        BigDecimal l = d.signum() < 0 ? d.negate() : BigDecimal.ZERO;
        if (i <= period) {
          gain = gain.add(g);
          loss = loss.add(l);
          if (i < period) continue;
          gain = gain.divide(n, mc);
          loss = loss.divide(n, mc);
        } else {
          gain = gain.multiply(n.subtract(BigDecimal.ONE)).add(g).divide(n, mc);
          loss = loss.multiply(n.subtract(BigDecimal.ONE)).add(l).divide(n, mc);
        }
        out[i] = loss.signum() == 0 ? hundred
            : hundred.subtract(hundred.divide(BigDecimal.ONE.add(gain.divide(loss, mc)), mc));
      }
      return out;
    }
  }
}
