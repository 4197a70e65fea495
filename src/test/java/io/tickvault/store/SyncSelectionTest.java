package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncSelectionTest {

  @Test
  void every_source_is_recorded_as_a_star_and_read_back_from_the_forms_older_mirrors_wrote() {
    for (String recorded : new String[] {null, "", "  ", "*"}) {
      SyncSelection s = SyncSelection.parse(recorded);
      assertTrue(s.all(), String.valueOf(recorded));
      assertTrue(s.includes(SourceName.of("created_later")));
      assertEquals("*", s.recorded());
    }
    assertEquals(SyncSelection.ALL, SyncSelection.of(List.of()));
    assertEquals("all sources", SyncSelection.ALL.describe());
  }

  @Test
  void named_sources_are_sorted_and_round_trip_through_the_recorded_form() {
    SyncSelection s = SyncSelection.of(List.of(SourceName.of("synthetic"), SourceName.of("alpaca")));
    assertEquals("alpaca,synthetic", s.recorded());
    assertEquals(s, SyncSelection.parse(s.recorded()));
    assertTrue(s.includes(SourceName.of("alpaca")));
    assertFalse(s.includes(SourceName.of("polygon")));
    assertFalse(s.all());
    assertEquals("alpaca, synthetic", s.describe());
  }

  @Test
  void a_recorded_name_that_is_not_a_source_name_is_refused_not_guessed() {
    assertThrows(InvalidInputException.class, () -> SyncSelection.parse("alpaca,Bad Name"));
  }
}
