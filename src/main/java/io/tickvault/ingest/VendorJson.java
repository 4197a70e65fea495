package io.tickvault.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;

/**
 * Reading vendor JSON exactly: every number with a fraction or exponent is kept as a
 * {@link BigDecimal} ({@code 1748755.0}, {@code 2.4970168e+07}), never a {@code double}; field
 * accessors name the JSON path of what is missing or malformed. Thread-safe (stateless).
 */
public final class VendorJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private VendorJson() {}

  /** A response that does not have the documented shape; {@link #getMessage()} names the JSON path. */
  public static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a whole body; throws {@link Malformed} with the parser's position when it is not JSON
   * or not a JSON object.
   */
  public static JsonNode parseObject(String body) {
    return parse(body, true);
  }

  /**
   * Parses a whole WebSocket frame that must be a JSON array (both vendors' streams send arrays);
   * throws {@link Malformed} otherwise.
   */
  public static JsonNode parseArray(String body) {
    return parse(body, false);
  }

  private static JsonNode parse(String body, boolean object) {
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
      // the parser's own message quotes the offending text (it may be a key the vendor echoed): never shown
      throw new Malformed("not valid JSON" + where);
    }
    if (n == null || n.isMissingNode()) {
      throw new Malformed("empty body where a JSON " + (object ? "object" : "array") + " was expected");
    }
    if (object ? !n.isObject() : !n.isArray()) {
      throw new Malformed("a JSON " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
          + " where a JSON " + (object ? "object" : "array") + " was expected");
    }
    return n;
  }

  /** Whether the field is absent or JSON null. */
  public static boolean absent(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() || n.isMissingNode();
  }

  /** A required number as an exact decimal. */
  public static BigDecimal decimal(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new Malformed(path + "." + field + " is missing");
    }
    return number(n, path + "." + field);
  }

  /** An optional number as an exact decimal, or null. */
  public static BigDecimal optionalDecimal(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() ? null : number(n, path + "." + field);
  }

  private static BigDecimal number(JsonNode n, String path) {
    if (!n.isNumber()) {
      throw new Malformed(path + " is not a number: " + abbreviate(n.toString()));
    }
    return n.decimalValue();
  }

  /** A required string. */
  public static String text(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new Malformed(path + "." + field + " is missing");
    }
    if (!n.isTextual()) {
      throw new Malformed(path + "." + field + " is not a string: " + abbreviate(n.toString()));
    }
    return n.asText();
  }

  /** An optional string, or null when absent or JSON null. */
  public static String optionalText(JsonNode parent, String field, String path) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new Malformed(path + "." + field + " is not a string: " + abbreviate(n.toString()));
    }
    return n.asText();
  }

  /** A vendor value for a message: sanitised as text from outside, at most 40 characters. */
  static String abbreviate(String s) {
    return io.tickvault.domain.Secrets.foreign(s, 40);
  }
}
