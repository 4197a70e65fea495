package io.tickvault.backtest;

import io.tickvault.domain.Bar;
import io.tickvault.domain.Chunk;
import io.tickvault.mirror.ChunkDigest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The data digest of a backtest: the bars used are cut into chunks (one UTC day of one symbol, as
 * the mirror's checksums), each chunk's rows get the mirror's canonical SHA-256 ({@link ChunkDigest}),
 * and the digest is the SHA-256 of the lines {@code <symbol> <day> <rows> <chunk sha256>\n} in day
 * order. The source's name is not part of it: the same bars in two sources have the same digest.
 * Feed bars of one symbol in timestamp order. Not thread-safe.
 */
public final class DataDigest {
  /** One chunk's rows and checksum. */
  public record ChunkSum(LocalDate day, long rows, String sha256) {}

  private final List<ChunkSum> chunks = new ArrayList<>();
  private ChunkDigest current;
  private LocalDate day;
  private String symbol;

  public void add(Bar b) {
    LocalDate d = Chunk.dayOf(b.timestamp());
    if (!d.equals(day)) {
      flush();
      day = d;
      current = new ChunkDigest();
    }
    symbol = b.symbol().value();
    current.add(b);
  }

  private void flush() {
    if (current != null) {
      chunks.add(new ChunkSum(day, current.rows(), current.finish()));
      current = null;
    }
  }

  /** Ends the digest: the chunks, in day order. */
  public List<ChunkSum> chunks() {
    flush();
    return List.copyOf(chunks);
  }

  /** The digest of the given chunks of one symbol. */
  public static String digest(String symbol, List<ChunkSum> chunks) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (ChunkSum c : chunks) {
        sha.update((symbol + " " + c.day() + " " + c.rows() + " " + c.sha256() + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  public String symbol() {
    return symbol;
  }
}
