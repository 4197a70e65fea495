package io.tickvault.store;

import io.tickvault.domain.BarRules;
import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Symbol;

/**
 * Rows already stored cannot be aggregated: their volumes sum beyond a 64-bit integer. Only rows
 * written past the write gate can do that (by plain SQL, or by a tickvault from before volumes were
 * bounded to {@link BarRules#MAX_VOLUME}). The message names the rows' source and symbol and how to
 * find them. {@link ErrorKind#STORED_DATA}.
 */
public class StoredDataException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoredDataException(String message, Throwable cause) {
    super(ErrorKind.STORED_DATA, message, cause);
  }

  /** The volumes of a symbol's candle sum beyond BIGINT. */
  public static StoredDataException volumeOverflow(SourceName source, Symbol symbol, Throwable cause) {
    return new StoredDataException("the volumes of " + symbol + " in source " + source + " sum beyond "
        + Long.MAX_VALUE + " in one candle: some rows hold a volume above " + BarRules.MAX_VOLUME + ", the largest "
        + "a bar may have (written by plain SQL or an older tickvault); find them with SELECT \"timestamp\", volume "
        + "FROM " + source.tableName() + " WHERE symbol = '" + symbol + "' AND volume > " + BarRules.MAX_VOLUME
        + ", then correct or delete them", cause);
  }
}
