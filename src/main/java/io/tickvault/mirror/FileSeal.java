package io.tickvault.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * What the last successful sync left on disk, so the next incremental sync knows whether anything
 * else touched the mirror file since: its size, modification and status-change times and identity
 * (device and inode), and the size of its write-ahead log, kept as one line in {@code <mirror>-seal}
 * beside it. Whoever writes the file afterwards (the sqlite3 shell, a copy or restore over it, a
 * byte-level edit) changes the modification or status-change time, or both; a copy made elsewhere
 * has no seal. Then the incremental sync checks the whole file ({@code PRAGMA quick_check}) as a
 * full sync and {@code verify} always do.
 *
 * <p>File times tick coarsely (a few milliseconds on Linux), so a write in the same tick as the
 * sync's own last write would leave the modification time as it was. The seal therefore first sets
 * the file's modification time a microsecond before that of the sync's last write: no later write
 * can produce that time again. A file whose time cannot be set (another owner) or whose times have
 * no sub-second part (a file system with whole-second times) gets no seal, and every sync checks
 * it. Damage that changes neither time (failing media) is not seen by a seal; full syncs and
 * {@code verify} find it. Stateless.
 */
final class FileSeal {
  private static final String VERSION = "tickvault mirror seal 1";

  private FileSeal() {}

  /** The seal file of {@code mirror}. */
  static Path of(Path mirror) {
    return mirror.resolveSibling(mirror.getFileName() + "-seal");
  }

  /**
   * Seals the file as it is now (right after a sync folded its log into it); best effort: when the
   * file's time cannot be set or read finely enough, no seal is left and the next sync checks the
   * whole file.
   */
  static void write(Path mirror) {
    Path seal = of(mirror);
    try {
      FileTime written = Files.getLastModifiedTime(mirror);
      long nanos = written.to(TimeUnit.NANOSECONDS);
      if (Math.floorMod(nanos, 1_000_000_000L) == 0) {
        remove(mirror); // whole-second times: a later write in the same second would not show
        return;
      }
      Files.setLastModifiedTime(mirror, FileTime.from(nanos - 1_000, TimeUnit.NANOSECONDS));
      String signature = signature(mirror);
      if (signature == null) {
        remove(mirror);
        return;
      }
      Path tmp = seal.resolveSibling(seal.getFileName() + ".tmp");
      Files.writeString(tmp, signature + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, seal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      remove(mirror);
    }
  }

  /** Whether the file is exactly as the last successful sync sealed it. */
  static boolean intact(Path mirror) {
    try {
      Path seal = of(mirror);
      if (!Files.isRegularFile(seal)) {
        return false;
      }
      String sealed = Files.readString(seal, StandardCharsets.UTF_8).strip();
      String now = signature(mirror);
      return now != null && now.equals(sealed);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Removes the seal (before a sync writes, and when none can be kept); best effort. */
  static void remove(Path mirror) {
    try {
      Files.deleteIfExists(of(mirror));
    } catch (IOException e) {
      // a seal that stays no longer matches the file once it is written
    }
  }

  /** The file's signature now, or null when its status-change time or identity cannot be read. */
  static String signature(Path mirror) throws IOException {
    BasicFileAttributes a = Files.readAttributes(mirror, BasicFileAttributes.class);
    Object key = a.fileKey();
    FileTime changed;
    try {
      changed = (FileTime) Files.getAttribute(mirror, "unix:ctime");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
    if (key == null) {
      return null;
    }
    Path wal = mirror.resolveSibling(mirror.getFileName() + "-wal");
    long walSize = Files.isRegularFile(wal) ? Files.size(wal) : 0;
    return VERSION + " size=" + a.size() + " mtime=" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " ctime="
        + changed.to(TimeUnit.NANOSECONDS) + " file=" + key + " wal=" + walSize;
  }
}
