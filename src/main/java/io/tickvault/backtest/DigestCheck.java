package io.tickvault.backtest;

import io.tickvault.backtest.DataDigest.ChunkSum;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What changed between the chunks a result recorded and the chunks there now. Stateless. */
public final class DigestCheck {
  private DigestCheck() {}

  /** One chunk whose rows are not what the result used. */
  public record Change(LocalDate day, String status, Long rowsThen, Long rowsNow) {}

  public static List<Change> changes(List<ChunkSum> then, List<ChunkSum> now) {
    Map<LocalDate, ChunkSum> a = new TreeMap<>();
    then.forEach(c -> a.put(c.day(), c));
    Map<LocalDate, ChunkSum> b = new TreeMap<>();
    now.forEach(c -> b.put(c.day(), c));
    TreeMap<LocalDate, Change> out = new TreeMap<>();
    for (ChunkSum c : a.values()) {
      ChunkSum d = b.get(c.day());
      if (d == null) {
        out.put(c.day(), new Change(c.day(), "removed", c.rows(), null));
      } else if (!d.sha256().equals(c.sha256())) {
        out.put(c.day(), new Change(c.day(), "changed", c.rows(), d.rows()));
      }
    }
    for (ChunkSum d : b.values()) {
      if (!a.containsKey(d.day())) {
        out.put(d.day(), new Change(d.day(), "added", null, d.rows()));
      }
    }
    return new ArrayList<>(out.values());
  }
}
