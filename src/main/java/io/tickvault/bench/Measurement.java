package io.tickvault.bench;

/**
 * One benchmark line: {@code rows} processed in {@code seconds}, compared with a baseline measured in
 * the same run. {@code ratio} is this path's rows/s divided by the baseline's (higher is better);
 * {@code target} states the goal in words, and {@code met} whether the ratio reaches {@code goal}.
 */
public record Measurement(String name, long rows, double seconds, String baseline, long baselineRows,
    double baselineSeconds, double goal, String target) {

  public double rowsPerSecond() {
    return rows / Math.max(seconds, 1e-9);
  }

  public double baselineRowsPerSecond() {
    return baselineRows / Math.max(baselineSeconds, 1e-9);
  }

  public double ratio() {
    return rowsPerSecond() / baselineRowsPerSecond();
  }

  public boolean met() {
    return ratio() >= goal;
  }
}
