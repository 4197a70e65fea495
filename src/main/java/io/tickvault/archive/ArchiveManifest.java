package io.tickvault.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tickvault.domain.SourceName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source's archive folder ({@code <archive dir>/<source>/}): one Parquet file per month of
 * archived bars ({@code 2024-01.parquet}; rows of a month archived later go to {@code
 * 2024-01+2.parquet}) and {@code MANIFEST.json}, which lists each file with its SHA-256, rows,
 * time range, symbols, origin counts and a digest of its rows. The manifest is replaced atomically
 * (written beside it, flushed, renamed, folder flushed). Not thread-safe: one retention run at a time.
 */
final class ArchiveManifest {
  static final String NAME = "MANIFEST.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** One archived file. Times are ISO-8601 UTC; {@code to} is exclusive. */
  record Entry(String file, String month, String sha256, long rows, int symbols, String first, String last,
      String from, String to, Map<String, Long> origins, String rowsDigest, String archivedAt) {}

  /** The manifest document. */
  record Document(String source, String format, List<Entry> files) {}

  private final Path folder;
  private final SourceName source;
  private final List<Entry> entries;

  private ArchiveManifest(Path folder, SourceName source, List<Entry> entries) {
    this.folder = folder;
    this.source = source;
    this.entries = entries;
  }

  static ArchiveManifest open(Path archiveDir, SourceName source) {
    Path folder = archiveDir.resolve(source.value());
    Path file = folder.resolve(NAME);
    List<Entry> entries = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      try {
        Document d = JSON.readValue(file.toFile(), Document.class);
        if (d.files() != null) {
          entries.addAll(d.files());
        }
      } catch (IOException e) {
        throw new io.tickvault.domain.InvalidInputException("cannot read the archive manifest " + file + ": "
            + e.getMessage() + "; fix or move it (nothing was changed)", e);
      }
    }
    return new ArchiveManifest(folder, source, entries);
  }

  Path folder() {
    return folder;
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The newest entry for a month, if any. */
  Optional<Entry> latest(String month) {
    Entry found = null;
    for (Entry e : entries) {
      if (e.month().equals(month)) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  /** A file name for the month that no entry and no file uses yet. */
  Path newFile(String month) {
    for (int part = 1; ; part++) {
      String name = month + (part == 1 ? "" : "+" + part) + ".parquet";
      Path p = folder.resolve(name);
      boolean listed = entries.stream().anyMatch(e -> e.file().equals(name));
      if (!listed && !Files.exists(p)) {
        return p;
      }
    }
  }

  /** Adds the entry and replaces MANIFEST.json durably. */
  void add(Entry e) {
    entries.add(e);
    Path file = folder.resolve(NAME);
    Path tmp = folder.resolve("." + NAME + ".partial");
    try {
      Files.createDirectories(folder);
      JSON.writeValue(tmp.toFile(), new Document(source.value(), io.tickvault.store.parquet.ParquetBars.FORMAT,
          entries));
      force(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      forceFolder(folder);
    } catch (IOException ex) {
      entries.remove(entries.size() - 1);
      throw new UncheckedIOException("cannot write the archive manifest " + file + ": " + ex.getMessage(), ex);
    }
  }

  static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Flushes a folder's entries (a rename) to disk, where the platform allows it. */
  static void forceFolder(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not supported on every platform (Windows); the file itself was flushed
    }
  }

  /** SHA-256 of a file's bytes, as lowercase hex. */
  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
