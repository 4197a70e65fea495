package io.tickvault.ingest.alpaca.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.ingest.VendorJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 200 body of {@code GET /v2/stocks/bars} ({@code stock_bars_resp}).
 *
 * @param bars bars per symbol, in the order sent (symbol first, then time); empty when the vendor
 *     sent {@code bars} as {@code null}, {@code {}} or {@code []} (a body without {@code bars} is
 *     malformed); a symbol mapped to
 *     {@code null} has no bars
 * @param nextPageToken the token of the next page, or null when {@code next_page_token} is
 *     {@code null}, empty or absent (the last page)
 *
 * <p>Immutable and thread-safe.
 */
public record StockBarsResponse(Map<String, List<StockBar>> bars, String nextPageToken) {

  public StockBarsResponse {
    bars = Collections.unmodifiableMap(new LinkedHashMap<>(bars));
  }

  /** Reads a whole body; throws {@link VendorJson.Malformed} naming what does not match. */
  public static StockBarsResponse fromJson(JsonNode root) {
    Map<String, List<StockBar>> out = new LinkedHashMap<>();
    if (!root.has("bars")) {
      // {} or {"message": ...} with HTTP 200 is not "no bars": the documented body always has "bars"
      List<String> keys = new ArrayList<>();
      root.fieldNames().forEachRemaining(keys::add);
      throw new VendorJson.Malformed("the documented \"bars\" field is missing (the body is "
          + (keys.isEmpty() ? "an empty object" : "an object with only " + String.join(", ",
              keys.subList(0, Math.min(5, keys.size())))) + ")");
    }
    JsonNode b = root.get("bars");
    if (b != null && !b.isNull()) {
      if (b.isArray()) {
        if (!b.isEmpty()) {
          throw new VendorJson.Malformed("bars is a non-empty array where an object keyed by symbol was expected");
        }
      } else if (b.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          List<StockBar> list = new ArrayList<>();
          JsonNode arr = e.getValue();
          String path = "bars." + e.getKey();
          if (arr != null && !arr.isNull()) {
            if (!arr.isArray()) {
              throw new VendorJson.Malformed(path + " is not an array");
            }
            for (int i = 0; i < arr.size(); i++) {
              list.add(StockBar.fromJson(arr.get(i), path + "[" + i + "]"));
            }
          }
          out.put(e.getKey(), list);
        }
      } else {
        throw new VendorJson.Malformed("bars is neither an object nor null");
      }
    }
    String token = VendorJson.optionalText(root, "next_page_token", "$");
    return new StockBarsResponse(out, token == null || token.isBlank() ? null : token);
  }
}
