package io.tickvault.server;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceName;
import io.tickvault.testing.Bars;
import java.util.List;

/** A small, exact data set: AAPL over two days, MSFT and BTC/USD over one. */
final class Fixtures {
  private Fixtures() {}

  static List<Bar> bars() {
    SourceName o = SourceName.SYNTHETIC;
    return List.of(
        Bars.bar("AAPL", "2025-01-14T14:30:00Z", "99.0000", "100.5000", "98.5000", "100.0000", 200, o),
        Bars.bar("AAPL", "2025-01-14T14:31:00Z", "100.0000", "101.5000", "99.5000", "101.0000", 300, o),
        Bars.bar("AAPL", "2025-01-15T14:30:00Z", "102.0000", "105.0000", "101.0000", "104.0000", 1000, o),
        Bars.bar("AAPL", "2025-01-15T14:31:00Z", "104.0000", "106.0000", "103.0000", "105.5000", 500, o),
        Bars.bar("BTC/USD", "2025-01-15T10:00:00Z", "42000.0000", "42100.0000", "41900.0000", "42000.5000", 3, o),
        Bars.bar("MSFT", "2025-01-15T15:00:00Z", "400.0000", "401.0000", "398.0000", "399.0000", 700, o));
  }
}
