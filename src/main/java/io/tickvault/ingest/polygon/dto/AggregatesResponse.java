package io.tickvault.ingest.polygon.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickvault.ingest.VendorJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The 200 body of {@code GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}}.
 *
 * @param ticker the symbol, as the vendor echoes it (may be null)
 * @param status {@code OK}, or {@code DELAYED} on a delayed-data plan (both success)
 * @param results the bars; empty when the vendor sent {@code results} missing, {@code null} or {@code []}
 * @param nextUrl the absolute URL of the next page, or null on the last page
 * @param requestId the vendor's request id (for support), may be null
 *
 * <p>Immutable and thread-safe.
 */
public record AggregatesResponse(String ticker, String status, List<Aggregate> results, String nextUrl,
    String requestId) {

  public AggregatesResponse {
    results = List.copyOf(results);
  }

  /** Reads a whole body; throws {@link VendorJson.Malformed} naming what does not match. */
  public static AggregatesResponse fromJson(JsonNode root) {
    List<Aggregate> results = new ArrayList<>();
    JsonNode r = root.get("results");
    if (r != null && !r.isNull()) {
      if (!r.isArray()) {
        throw new VendorJson.Malformed("results is not an array");
      }
      for (int i = 0; i < r.size(); i++) {
        results.add(Aggregate.fromJson(r.get(i), "results[" + i + "]"));
      }
    }
    String next = VendorJson.optionalText(root, "next_url", "$");
    return new AggregatesResponse(VendorJson.optionalText(root, "ticker", "$"),
        VendorJson.optionalText(root, "status", "$"), results, next == null || next.isBlank() ? null : next,
        root.hasNonNull("request_id") ? root.get("request_id").asText() : null);
  }
}
