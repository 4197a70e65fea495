package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.ErrorKind;
import org.junit.jupiter.api.Test;

/** Ingest statuses are stored and printed as their lowercase labels; other stored text is refused by name. */
class IngestStatusTest {
  @Test
  void labels_round_trip_and_print_as_stored() {
    for (IngestStatus s : IngestStatus.values()) {
      assertEquals(s, IngestStatus.of(s.label(), 1));
      assertEquals(s.label(), String.valueOf(s));
    }
    assertEquals("abandoned", IngestStatus.ABANDONED.label());
  }

  @Test
  void a_status_tickvault_never_writes_names_the_row_and_the_fix() {
    StoredDataException e = assertThrows(StoredDataException.class, () -> IngestStatus.of("done", 42));
    assertEquals(ErrorKind.STORED_DATA, e.kind());
    assertTrue(e.getMessage().contains("ingest log row 42 has status 'done'"), e.getMessage());
    assertTrue(e.getMessage().contains("WHERE id = 42"), e.getMessage());
  }
}
