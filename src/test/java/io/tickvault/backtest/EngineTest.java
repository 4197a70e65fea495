package io.tickvault.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine and strategies on a price path computed by hand (see the comments). */
class EngineTest {
  // i:      0   1   2   3   4   5   6   7  8  9  10
  static final int[] PATH = {10, 10, 10, 12, 14, 12, 10, 8, 8, 10, 13};

  static List<BigDecimal> closes() {
    List<BigDecimal> c = new ArrayList<>();
    for (int p : PATH) c.add(BigDecimal.valueOf(p));
    return c;
  }

  static List<Instant> days() {
    List<Instant> t = new ArrayList<>();
    for (int i = 0; i < PATH.length; i++) t.add(Instant.parse("2024-01-01T05:00:00Z").plus(i, ChronoUnit.DAYS));
    return t;
  }

  @Test
  void smaCrossSignalsAtTheHandComputedCrossings() {
    // sma2 vs sma3: i3 11 > 10.67 (up: buy), i6 11 < 12 (down: sell), i9 9 > 8.67 (up: buy)
    int[] s = new Strategy.SmaCross(2, 3).signals(closes());
    assertArrayEquals(new int[] {0, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0}, s);
  }

  @Test
  void exactReturnTradesAndDrawdownWithoutFees() {
    Engine.Result r = Engine.run(days(), closes(), new Strategy.SmaCross(2, 3).signals(closes()),
        new BigDecimal("1000"), BigDecimal.ZERO);
    // buy 83 @12 (cash 4), sell @10 (cash 834), buy 83 @10 (cash 4), sold at the end @13: 4 + 1079 = 1083
    Engine.Metrics m = r.metrics();
    assertEquals(0, new BigDecimal("1083").compareTo(m.finalEquity()), m.finalEquity().toPlainString());
    assertEquals(0, new BigDecimal("0.083").compareTo(m.totalReturn()));
    assertEquals(2, m.trades());
    assertEquals(0, new BigDecimal("0.5").compareTo(m.winRate()));
    // equity peaks at 4 + 83*14 = 1166 (i4) and falls to 834: drawdown 332/1166
    assertEquals(new BigDecimal(332).divide(new BigDecimal(1166), MathContext.DECIMAL64), m.maxDrawdown());
    // in the market after bars 3, 4, 5, 9, 10
    assertEquals(new BigDecimal(5).divide(new BigDecimal(11), MathContext.DECIMAL64), m.exposure());
    assertEquals(List.of(1000, 1000, 1000, 1000, 1166, 1000, 834, 834, 834, 834, 1083),
        r.equity().stream().map(BigDecimal::intValueExact).toList());
    Engine.Trade first = r.trades().get(0);
    assertEquals(83, first.shares());
    assertEquals(0, new BigDecimal("-166").compareTo(first.pnl()));
    assertTrue(r.trades().get(1).closedAtEnd());
    assertEquals(0, new BigDecimal("249").compareTo(r.trades().get(1).pnl()));
  }

  @Test
  void feesAreChargedOnEveryTradeInExactDecimals() {
    Engine.Result r = Engine.run(days(), closes(), new Strategy.SmaCross(2, 3).signals(closes()),
        new BigDecimal("1000"), BigDecimal.TEN);
    // 10 bps: buy 83 @12 costs 996 + 0.996; sell @10 gives 830 - 0.83; buy 83 @10 costs 830.83; sell @13 1079 - 1.079
    assertEquals(0, new BigDecimal("1079.265").compareTo(r.metrics().finalEquity()),
        r.metrics().finalEquity().toPlainString());
    assertEquals(0, new BigDecimal("0.079265").compareTo(r.metrics().totalReturn()));
  }

  @Test
  void buyAndHoldIsOneTradeOverTheWholePath() {
    Engine.Result r = Engine.run(days(), closes(), new Strategy.BuyAndHold().signals(closes()), new BigDecimal("1000"),
        BigDecimal.ZERO);
    // 100 shares @10, sold @13 at the end
    assertEquals(0, new BigDecimal("1300").compareTo(r.metrics().finalEquity()));
    assertEquals(1, r.metrics().trades());
    assertEquals(0, BigDecimal.ONE.compareTo(r.metrics().exposure()));
    // peak 1400 (i4), trough 800 (i7, i8): 600/1400
    assertEquals(new BigDecimal(600).divide(new BigDecimal(1400), MathContext.DECIMAL64), r.metrics().maxDrawdown());
    assertTrue(r.metrics().annualisedReturn() > 1, "30% in 10 days annualises to far above 100%");
  }

  @Test
  void rsiFollowsWildersDefinition() {
    // closes 10, 11, 10, 11, 12 with period 2: gains/losses 1,-1,1,1
    List<BigDecimal> c = List.of(BigDecimal.valueOf(10), BigDecimal.valueOf(11), BigDecimal.valueOf(10),
        BigDecimal.valueOf(11), BigDecimal.valueOf(12));
    BigDecimal[] rsi = Strategy.RsiReversion.rsi(c, 2);
    assertNull(rsi[1]);
    // i2: avg gain (1+0)/2 = 0.5, avg loss (0+1)/2 = 0.5: RSI 50
    assertEquals(0, new BigDecimal("50").compareTo(rsi[2]));
    // i3: gain (0.5*1 + 1)/2 = 0.75, loss (0.5*1 + 0)/2 = 0.25: RS 3, RSI 75
    assertEquals(0, new BigDecimal("75").compareTo(rsi[3]));
    int[] s = new Strategy.RsiReversion(2, BigDecimal.valueOf(30), BigDecimal.valueOf(70)).signals(c);
    assertArrayEquals(new int[] {0, 0, 0, -1, -1}, s);
  }
}
