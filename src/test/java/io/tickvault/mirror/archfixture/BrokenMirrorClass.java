package io.tickvault.mirror.archfixture;

import io.tickvault.store.sqlite.SqliteBarStore;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Deliberately breaks the engine boundary: a mirror class that reaches into the SQLite engine and
 * issues SQL on a raw connection, as the mirror did before {@code MirrorStore}. Test code only:
 * {@code ArchitectureTest} checks that the rules catch it.
 */
public final class BrokenMirrorClass {
  private BrokenMirrorClass() {}

  public static int syncCount(SqliteBarStore mirror) {
    return mirror.withReadConnection(BrokenMirrorClass::count);
  }

  private static int count(Connection c) throws SQLException {
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM tickvault_sync_log")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
