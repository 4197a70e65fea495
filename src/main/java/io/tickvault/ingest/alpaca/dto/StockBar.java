package io.tickvault.ingest.alpaca.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.ingest.VendorJson;
import java.math.BigDecimal;

/**
 * One bar of the stock bars endpoints ({@code stock_bar}); every field is required by the spec.
 *
 * @param t bar start, RFC-3339 in UTC, nanosecond precision allowed
 * @param o open
 * @param h high
 * @param l low
 * @param c close
 * @param v volume (an int64 for stocks; kept as an exact decimal)
 * @param n trade count
 * @param vw volume-weighted average price
 *
 * <p>Immutable and thread-safe.
 */
public record StockBar(String t, BigDecimal o, BigDecimal h, BigDecimal l, BigDecimal c, BigDecimal v, BigDecimal n,
    BigDecimal vw) {

  /** Reads one bar object; {@code path} (e.g. {@code bars.AAPL[3]}) names it in errors. */
  public static StockBar fromJson(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new VendorJson.Malformed(path + " is not an object");
    }
    return new StockBar(VendorJson.text(node, "t", path), VendorJson.decimal(node, "o", path),
        VendorJson.decimal(node, "h", path), VendorJson.decimal(node, "l", path), VendorJson.decimal(node, "c", path),
        VendorJson.decimal(node, "v", path), VendorJson.optionalDecimal(node, "n", path),
        VendorJson.optionalDecimal(node, "vw", path));
  }
}
