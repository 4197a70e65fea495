package io.tickvault.domain;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for names the user typed: the known name nearest to a typo, by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours), letter case ignored. Never
 * suggests anything when no known name is near: a suggestion must be a name that exists.
 */
public final class DidYouMean {
  private DidYouMean() {}

  /** The known name closest to {@code given}, when one is close enough to be a typo of it. */
  public static Optional<String> closest(String given, Collection<String> known) {
    if (given == null || given.isBlank()) {
      return Optional.empty();
    }
    String g = given.strip().toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(g, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance || d == bestDistance && best != null && k.compareTo(best) < 0) {
        best = k;
        bestDistance = d;
      }
    }
    if (best == null || best.equals(given) || bestDistance > allowed(Math.max(g.length(), best.length()))) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** {@code ; did you mean 'x'?} or the empty string. */
  public static String hint(String given, Collection<String> known) {
    return closest(given, known).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  private static int allowed(int length) {
    return length <= 3 ? 1 : length <= 8 ? 2 : 3;
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
