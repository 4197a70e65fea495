package io.tickvault.ingest.polygon.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.ingest.VendorJson;
import java.math.BigDecimal;

/**
 * One element of {@code results[]} of the aggregates endpoint, numbers kept exactly as sent.
 *
 * @param t window start, Unix milliseconds
 * @param o open; required
 * @param h high; required
 * @param l low; required
 * @param c close; required
 * @param v volume, any JSON number spelling ({@code 1748755.0}, {@code 2.4970168e+07}); required
 * @param vw volume-weighted average price; optional (null)
 * @param n number of transactions; optional (null)
 * @param otc true for an OTC ticker; the field is left off when false
 *
 * <p>Immutable and thread-safe.
 */
public record Aggregate(long t, BigDecimal o, BigDecimal h, BigDecimal l, BigDecimal c, BigDecimal v, BigDecimal vw,
    BigDecimal n, boolean otc) {

  /** Reads one result object; {@code path} (e.g. {@code results[3]}) names it in errors. */
  public static Aggregate fromJson(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new VendorJson.Malformed(path + " is not an object");
    }
    BigDecimal t = VendorJson.decimal(node, "t", path);
    long ms;
    try {
      ms = t.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new VendorJson.Malformed(path + ".t " + t.toPlainString() + " is not a whole number of milliseconds");
    }
    JsonNode otc = node.get("otc");
    return new Aggregate(ms, VendorJson.decimal(node, "o", path), VendorJson.decimal(node, "h", path),
        VendorJson.decimal(node, "l", path), VendorJson.decimal(node, "c", path), VendorJson.decimal(node, "v", path),
        VendorJson.optionalDecimal(node, "vw", path), VendorJson.optionalDecimal(node, "n", path),
        otc != null && otc.asBoolean(false));
  }
}
