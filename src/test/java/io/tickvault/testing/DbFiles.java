package io.tickvault.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The on-disk state of a SQLite database in WAL mode: the main file's SHA-256 and the write-ahead
 * log's frames. A write that committed lands in the {@code -wal} file first (as frames) and only
 * later in the main file, so "unchanged" has to look at both. The {@code -shm} file is only an
 * index of the log that readers update too (read marks), so it is not compared.
 */
public final class DbFiles {
  private static final int WAL_HEADER = 32;

  /** What is on disk at one moment. {@code walSha} is null when there is no log file. */
  public record State(Path file, String mainSha, long walBytes, String walSha) {}

  private DbFiles() {}

  public static State snapshot(Path file) {
    Path wal = file.resolveSibling(file.getFileName() + "-wal");
    try {
      boolean hasWal = Files.exists(wal);
      return new State(file, sha256(Files.readAllBytes(file)), hasWal ? Files.size(wal) : 0,
          hasWal ? sha256(Files.readAllBytes(wal)) : null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /**
   * Asserts nothing was written since {@code before}: the main file has the same bytes, and the log
   * either has the same bytes or holds no frame now (a reader may create an empty log; a frame
   * header alone is 24 bytes, so any frame makes it longer than the 32-byte log header).
   */
  public static void assertUnchanged(State before, String what) {
    State now = snapshot(before.file());
    assertEquals(before.mainSha(), now.mainSha(), what + ": the main database file changed");
    if (before.walSha() != null && before.walSha().equals(now.walSha())) {
      return;
    }
    assertTrue(now.walBytes() <= WAL_HEADER, what + ": the write-ahead log holds " + now.walBytes()
        + " bytes (new frames), before " + before.walBytes());
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
