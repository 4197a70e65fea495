package io.tickvault.cli;

import static io.tickvault.testing.Bars.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.Bar;
import io.tickvault.domain.SourceKind;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Timeframe;
import io.tickvault.mirror.Lineage;
import io.tickvault.mirror.MirrorService;
import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync that runs out of space says "disk full at ..." (not SQLite's follow-up "cannot commit - no
 * transaction is active") and leaves the mirror as it was. The space runs out for real: the real
 * executable runs in a child process under a file size limit ({@code ulimit -f}), so SQLite's write
 * of the mirror's log is cut short and SQLite reports SQLITE_FULL. SQLite's native library is
 * extracted beforehand (the driver would otherwise extract it under the same limit).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DiskFullTest {
  @TempDir
  Path dir;

  private static final SourceName SYN = SourceName.SYNTHETIC;

  private void write(BarStore p, String symbol, String start, int days) {
    List<Bar> bars = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      bars.addAll(minutes(symbol, java.time.Instant.parse(start).plus(java.time.Duration.ofDays(d)).toString(), 390,
          SYN));
    }
    p.write(SYN, Timeframe.MIN_1, bars.iterator());
  }

  /** SQLite's native library, extracted from the driver's jar: {@code -D} options for the child. */
  private List<String> nativeLibrary() throws Exception {
    String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
    Path out = dir.resolve("native");
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.contains("sqlite-jdbc")) {
        continue;
      }
      try (ZipFile z = new ZipFile(entry)) {
        var e = z.getEntry("org/sqlite/native/" + folder + "/libsqlitejdbc.so");
        if (e != null) {
          Files.createDirectories(out);
          try (InputStream in = z.getInputStream(e)) {
            Files.copy(in, out.resolve("libsqlitejdbc.so"));
          }
          return List.of("-Dorg.sqlite.lib.path=" + out, "-Dorg.sqlite.lib.name=libsqlitejdbc.so");
        }
      }
    }
    throw new AssertionError("no SQLite native library for " + folder + " on the class path");
  }

  /** Runs tickvault in {@code dir}, with files limited to {@code limitKb} KB when it is positive. */
  private String tickvault(int limitKb, String... args) throws Exception {
    return tickvault(limitKb, List.of(), args);
  }

  private String tickvault(int limitKb, List<String> jvmOptions, String... args) throws Exception {
    String java = System.getenv("TICKVAULT_JAVA");
    if (java == null || java.isBlank()) {
      java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", (limitKb > 0 ? "ulimit -f " + limitKb + "; " : "")
        + "exec \"$@\"", "tickvault", java));
    cmd.addAll(nativeLibraryOptions);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tickvault.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TICKVAULT_"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return "exit " + p.exitValue() + "\n" + out;
  }

  private List<String> nativeLibraryOptions = List.of();

  private Lineage firstSyncThenMoreInProduction(MirrorService mirror) throws Exception {
    Path prod = dir.resolve("data/tickvault.db");
    try (BarStore p = Stores.open(prod.toString())) {
      p.createSource(SYN, SourceKind.GENERATED, "generated");
      write(p, "AAPL", "2025-01-06T14:30:00Z", 10);
    }
    String first = tickvault(0, "sync");
    assertTrue(first.startsWith("exit 0\n"), first);
    Lineage before = mirror.lineage().orElseThrow();
    try (BarStore p = Stores.open(prod.toString())) {
      write(p, "MSFT", "2025-01-06T14:30:00Z", 20); // 7,800 new bars: about 500 KB more in the mirror
    }
    return before;
  }

  private void assertIntactAndSyncsAgain(MirrorService mirror, Lineage before) throws Exception {
    assertEquals(before, mirror.lineage().orElseThrow());
    assertTrue(mirror.verify(null, "offline").ok());
    String again = tickvault(0, "sync");
    assertTrue(again.startsWith("exit 0\n"), again);
    assertEquals(3_900 + 7_800, mirror.lineage().orElseThrow().sources().get(0).rows(), again);
  }

  /** SQLITE_FULL for real: SQLite's own page limit on the mirror, which it enforces as a full disk. */
  @Test
  void a_sync_that_fills_the_disk_says_disk_full_and_leaves_the_mirror_as_it_was() throws Exception {
    nativeLibraryOptions = nativeLibrary();
    MirrorService mirror = new MirrorService(dir.resolve("data/mirror.db"), Clock.systemUTC());
    Lineage before = firstSyncThenMoreInProduction(mirror);
    long pages = Files.size(dir.resolve("data/mirror.db")) / 4096;
    String full = tickvault(0, List.of("-Dtickvault.sqlite.mirrorMaxPages=" + (pages + 10)), "sync");
    assertTrue(full.startsWith("exit 4\n"), full);
    assertTrue(full.contains("disk full at " + dir.resolve("data")), full);
    assertFalse(full.contains("cannot commit"), full);
    assertIntactAndSyncsAgain(mirror, before);
  }

  /**
   * A file size limit ({@code ulimit -f}): the write fails with EFBIG, which SQLite reports as a
   * disk I/O error; the message names the file and the likely causes.
   */
  @Test
  void a_sync_over_a_file_size_limit_names_the_file_and_leaves_the_mirror_as_it_was() throws Exception {
    nativeLibraryOptions = nativeLibrary();
    MirrorService mirror = new MirrorService(dir.resolve("data/mirror.db"), Clock.systemUTC());
    Lineage before = firstSyncThenMoreInProduction(mirror);
    long limitKb = Files.size(dir.resolve("data/mirror.db")) / 1024 + 100;
    String full = tickvault((int) limitKb, "sync");
    assertTrue(full.startsWith("exit 4\n"), full);
    assertTrue(full.contains("cannot write " + dir.resolve("data/mirror.db")) && full.contains("may be full"), full);
    assertFalse(full.contains("cannot commit"), full);
    assertIntactAndSyncsAgain(mirror, before);
  }
}
