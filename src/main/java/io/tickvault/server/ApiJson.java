package io.tickvault.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapper of tickvault's output, the API's and the command line's ({@code --format json}): ISO-8601 instants and durations as strings, decimals written exactly
 * as plain numbers (never scientific notation, never through {@code double}), nulls included so
 * that every field of a response is always present. Thread-safe (Jackson's mapper is).
 */
public final class ApiJson {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  /** The same conventions, indented for people ({@code --format json} of the command line). */
  public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private ApiJson() {}
}
