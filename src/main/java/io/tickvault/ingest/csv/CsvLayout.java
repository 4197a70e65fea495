package io.tickvault.ingest.csv;

/**
 * The CSV layouts {@code tickvault import csv} recognises from the header line alone. Column names
 * are matched case-insensitively, ignoring spaces and underscores; columns may come in any order,
 * and columns tickvault does not use (e.g. Yahoo's {@code Adj Close}) are ignored and reported.
 *
 * <p>Immutable and thread-safe.
 */
public enum CsvLayout {
  /** {@code symbol,timestamp,open,high,low,close,volume[,trade_count,vwap]}. */
  TICKVAULT("tickvault (symbol,timestamp,open,high,low,close,volume[,trade_count,vwap])"),
  /** Yahoo Finance downloads: {@code Date,Open,High,Low,Close,Adj Close,Volume}; needs {@code --symbol}. */
  YAHOO("Yahoo (Date,Open,High,Low,Close,Adj Close,Volume)"),
  /** Alpaca/Polygon bar exports: {@code t,o,h,l,c,v[,n,vw]}; needs {@code --symbol} unless a symbol column exists. */
  VENDOR_EXPORT("Alpaca/Polygon export (t,o,h,l,c,v[,n,vw])");

  private final String description;

  CsvLayout(String description) {
    this.description = description;
  }

  /** How the layout is named in messages. */
  public String description() {
    return description;
  }
}
