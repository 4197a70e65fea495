package io.tickvault.backtest;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;
import io.tickvault.domain.Timeframe;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What to backtest: one symbol of one source, a strategy, inclusive trading days {@code from}..
 * {@code to} (null: all bars), the bar {@code interval} (null: the source's width), the starting
 * cash and the fee in basis points of each trade's value.
 */
public record BacktestRequest(SourceName source, Symbol symbol, Strategy strategy, LocalDate from, LocalDate to,
    Timeframe interval, BigDecimal cash, BigDecimal feeBps) {

  public BacktestRequest {
    if (cash.signum() <= 0) {
      throw new InvalidInputException("--cash must be positive, not " + cash.toPlainString());
    }
    if (feeBps.signum() < 0 || feeBps.compareTo(BigDecimal.valueOf(1000)) > 0) {
      throw new InvalidInputException("--fee-bps must be between 0 and 1000 (10%), not " + feeBps.toPlainString());
    }
    if (from != null && to != null && to.isBefore(from)) {
      throw new InvalidInputException("--to " + to + " is before --from " + from);
    }
  }

  public BacktestRequest withSource(SourceName other) {
    return new BacktestRequest(other, symbol, strategy, from, to, interval, cash, feeBps);
  }
}
