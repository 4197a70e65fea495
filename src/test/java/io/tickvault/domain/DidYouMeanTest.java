package io.tickvault.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  private static final List<String> SOURCES = List.of("alpaca", "mock", "polygon", "synthetic", "test");

  @Test
  void suggests_the_nearest_existing_name_for_typos_and_letter_case() {
    assertEquals(Optional.of("synthetic"), DidYouMean.closest("synthetc", SOURCES));
    assertEquals(Optional.of("synthetic"), DidYouMean.closest("Synthetic", SOURCES));
    assertEquals(Optional.of("synthetic"), DidYouMean.closest("sytnhetic", SOURCES));
    assertEquals(Optional.of("polygon"), DidYouMean.closest("polgyon", SOURCES));
    assertEquals(Optional.of("test"), DidYouMean.closest("tset", SOURCES));
  }

  @Test
  void suggests_nothing_when_no_name_is_near_or_the_name_exists() {
    assertEquals(Optional.empty(), DidYouMean.closest("scenario", SOURCES));
    assertEquals(Optional.empty(), DidYouMean.closest("mydata", SOURCES));
    assertEquals(Optional.empty(), DidYouMean.closest("synthetic", SOURCES));
    assertEquals(Optional.empty(), DidYouMean.closest("x", List.of()));
  }
}
