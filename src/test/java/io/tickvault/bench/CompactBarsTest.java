package io.tickvault.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.synthetic.SyntheticGenerator;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's compact bars give back exactly the bars that were generated. */
class CompactBarsTest {
  @Test
  void everyBarComesBackExactlyAsGenerated() {
    List<Bar> compact = BenchRunner.data(20_000);
    assertEquals(20_000, compact.size());
    SyntheticGenerator g = new SyntheticGenerator(20240101);
    int i = 0;
    for (int s = 0; s < 10; s++) {
      Iterator<Bar> it = g.bars(Symbol.of("BENCH" + s), LocalDate.parse("2020-01-01"), LocalDate.parse("2039-12-31"),
          Timeframe.MIN_1, false, SourceName.SYNTHETIC);
      for (int k = 0; k < 2_000; k++) {
        assertEquals(it.next().normalized(), compact.get(i), "bar " + i);
        i++;
      }
    }
  }

  @Test
  void nullPricesAndSubMillisecondTimesSurvive() {
    CompactBars c = new CompactBars(2, SourceName.SYNTHETIC);
    Bar priceOnly = new Bar(Symbol.of("X"), Instant.parse("1969-12-31T23:59:59.999999Z"), new BigDecimal("1.2345"),
        null, null, null, null, 0, 0, null, SourceName.SYNTHETIC);
    c.add(priceOnly, 0);
    assertEquals(priceOnly, c.get(0));
    assertThrows(IndexOutOfBoundsException.class, () -> c.get(1));
    assertThrows(IllegalArgumentException.class, () -> c.add(priceOnly.withOrigin(SourceName.of("mock")), 0));
  }
}
