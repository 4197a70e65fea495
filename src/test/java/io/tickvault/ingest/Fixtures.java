package io.tickvault.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Recorded-format vendor responses under {@code src/test/resources/vendors/}. */
public final class Fixtures {
  private Fixtures() {}

  /** The text of {@code vendors/<path>}, e.g. {@code polygon/aggs-page1.json}. */
  public static String read(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/vendors/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture vendors/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
