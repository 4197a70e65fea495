package io.tickvault.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickvault.server.ApiJson;
import java.io.UncheckedIOException;

/**
 * {@code --format json} output through the one mapper the API uses ({@link ApiJson}): ISO-8601
 * instants and durations, decimals exactly and never in exponent form, every field present;
 * indented for people.
 */
public final class Json {
  public static final ObjectMapper MAPPER = ApiJson.MAPPER;

  private Json() {}

  public static String write(Object value) {
    try {
      return ApiJson.PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
