package io.tickvault.mirror;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.BarFilter;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror copied into a folder the reader may not write (a shared read-only copy) is readable: a
 * WAL-mode file needs its {@code -shm} index, which SQLite cannot create there, so tickvault opens
 * such a file with {@code immutable=1}. Whether {@code chmod} bites depends on who runs the tests
 * (it does not for real root; the build's test JVM runs in a user namespace, where it does): when
 * it bites, the real case is tested end to end (and the plain read-only open is shown to fail);
 * either way the decision and a real {@code immutable=1} open of the file (in a folder whose name
 * needs URI escaping) are tested.
 */
class ReadOnlyFolderMirrorTest {
  private static final SourceName SYN = SourceName.SYNTHETIC;

  @TempDir
  Path dir;

  private static List<Bar> rows(BarStore s) {
    List<Bar> out = new ArrayList<>();
    s.read(SYN, BarFilter.ALL, out::add);
    return out;
  }

  private static long count(String jdbcUrl, java.util.Properties p) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, p); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM price_ticks_synthetic")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void a_mirror_in_a_folder_the_reader_cannot_write_is_read_as_immutable() throws Exception {
    List<Bar> expected;
    try (BarStore production = Stores.open(dir.resolve("production.db").toString())) {
      production.createSource(SYN, SourceKind.GENERATED, "generated");
      production.write(SYN, Timeframe.MIN_1, minutes("AAPL", "2025-01-15T14:30:00Z", 120, SYN).iterator());
      new MirrorService(dir.resolve("made/mirror.db"), Clock.systemUTC()).sync(production, SyncOptions.INCREMENTAL);
      expected = rows(production);
    }
    // the copy a team shares: the file alone (no -wal, no -shm), in a folder readers may not write
    Path folder = Files.createDirectories(dir.resolve("read only #1 %20"));
    Path copy = folder.resolve("mirror.db");
    Files.copy(dir.resolve("made/mirror.db"), copy);
    assertFalse(SqliteBarStore.readOnlyFolder(copy), "a folder we may write");

    java.util.Properties ro = new org.sqlite.SQLiteConfig().toProperties();
    ro.setProperty("open_mode", String.valueOf(org.sqlite.SQLiteOpenMode.READONLY.flag
        | org.sqlite.SQLiteOpenMode.OPEN_URI.flag));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      boolean bites = !Files.isWritable(folder);
      System.out.println("ReadOnlyFolderMirrorTest: chmod " + (bites ? "bites: the real case is tested" : "does not bite (root): decision and immutable open only"));
      if (bites) {
        assertTrue(SqliteBarStore.readOnlyFolder(copy));
        // before: a plain read-only open needs the -shm file it cannot create
        assertThrows(SQLException.class, () -> count("jdbc:sqlite:" + copy, ro));
        try (SqliteBarStore m = SqliteBarStore.open(copy, SqliteBarStore.Mode.READ_ONLY)) {
          assertEquals(expected, rows(m));
        }
        MirrorService service = new MirrorService(copy, Clock.systemUTC());
        assertTrue(service.lineage().isPresent());
        assertTrue(service.verify(null, "offline").ok());
        assertFalse(Files.exists(Path.of(copy + "-shm")), "nothing was written beside the file");
      } else {
        // running as real root: the folder stays writable for us, so the decision says no
        assertFalse(SqliteBarStore.readOnlyFolder(copy));
      }
      // the open tickvault uses for such a folder, on the real file, whoever runs the test
      String uri = "jdbc:sqlite:file:" + copy.toAbsolutePath().toString().replace("%", "%25").replace(" ", "%20")
          .replace("#", "%23") + "?immutable=1";
      assertEquals(expected.size(), count(uri, ro));
    } finally {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
