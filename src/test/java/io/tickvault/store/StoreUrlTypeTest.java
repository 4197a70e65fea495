package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreUrl}: a configured store parsed once, shown without credentials. */
class StoreUrlTypeTest {

  @Test
  void a_relative_sqlite_path_is_resolved_against_the_working_directory(@TempDir Path dir) {
    StoreUrl u = StoreUrl.parse("data/../data/tickvault.db", dir);
    assertFalse(u.isPostgres());
    assertEquals(dir.resolve("data/tickvault.db").toAbsolutePath().normalize(), u.file());
    assertEquals("sqlite:" + u.file(), u.location());
    assertEquals(u, StoreUrl.parse("sqlite:" + u.file(), Path.of("/elsewhere")));
    assertEquals(u, StoreUrl.sqlite(u.file()));
    assertTrue(u.sameStore(StoreUrl.parse("jdbc:sqlite:" + dir.resolve("./data/tickvault.db"), dir)));
  }

  @Test
  void a_postgres_url_is_shown_without_its_password() {
    StoreUrl u = StoreUrl.parse("postgres://ops:s3cret-pw@db.internal:6543/prices", Path.of("/w"));
    assertTrue(u.isPostgres());
    assertNull(u.file());
    assertEquals("db.internal", u.postgres().host());
    assertEquals(6543, u.postgres().port());
    assertFalse(u.location().contains("s3cret-pw"), u.location());
    assertFalse(u.toString().contains("s3cret-pw"), u.toString());
    assertTrue(u.location().contains("db.internal:6543/prices"), u.location());
  }

  @Test
  void an_unsupported_url_is_refused_without_echoing_it() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> StoreUrl.parse("mysql://root:hunter22@h/db", Path.of("/w")));
    assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
  }
}
