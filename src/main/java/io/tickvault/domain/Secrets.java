package io.tickvault.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction boundary: the secrets this process holds (vendor keys, database passwords)
 * and the rule that keeps them out of every text that leaves it. Tested by {@code SecretLeakTest}. Terminal output and logs pass
 * through it at the stream level, stored texts (the ingest log) and API bodies before they are
 * written. Secrets are registered where they are read ({@link #register}).
 *
 * <p>Redaction is exact and fuzzy: a secret is replaced by {@code ****} wherever it occurs; a word
 * that is the secret with a character or two changed, added or removed, in any case, and a word
 * that shares a long run of characters with it (the secret echoed with one character mangled
 * into a separator), are replaced as well. Secrets shorter than 4 characters are never searched
 * for (they would mangle ordinary text); fuzzy matching needs 8. Text from outside (a vendor's
 * message) additionally goes through {@link #foreign}, which never shows a token-like word.
 * Thread-safe.
 */
public final class Secrets {
  static final int MIN_EXACT = 4;
  static final int MIN_FUZZY = 8;
  private static final List<String> REGISTERED = new CopyOnWriteArrayList<>();
  private static final List<String> PASSWORDS = new CopyOnWriteArrayList<>();
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_\\-+/=.~]{6,}");
  /** A word of 16 or more letters, digits and token punctuation, with a letter and a digit: a token, not prose. */
  private static final Pattern TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9_\\-+/~])(?=[A-Za-z0-9_\\-+/~]*\\d)(?=[A-Za-z0-9_\\-+/~]*[A-Za-z])[A-Za-z0-9_\\-+/~]{16,}");

  private Secrets() {}

  /**
   * Registers a password of this process (a database password): redacted exactly, wherever it is
   * not part of a longer word (a password {@code postgres} does not mask {@code postgresql://}).
   */
  public static void registerPassword(String password) {
    if (password != null && password.length() >= MIN_EXACT && !PASSWORDS.contains(password)) {
      PASSWORDS.add(password);
    }
  }

  /**
   * Registers a key of this process (a vendor key): redacted exactly and fuzzily. Nulls, blanks and
   * values shorter than 4 characters are ignored.
   */
  public static void register(String secret) {
    if (secret == null) {
      return;
    }
    String s = secret.strip();
    if (s.length() >= MIN_EXACT && !REGISTERED.contains(s)) {
      REGISTERED.add(s);
    }
  }

  /** The text with every registered secret (exact or fuzzy) replaced by {@code ****}; null stays null. */
  public static String redact(String text) {
    return redact(text, List.of());
  }

  /** As {@link #redact(String)}, also redacting {@code extra} secrets. */
  public static String redact(String text, Collection<String> extra) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<String> all = new ArrayList<>(REGISTERED);
    for (String e : extra) {
      if (e != null && e.strip().length() >= MIN_EXACT && !all.contains(e.strip())) {
        all.add(e.strip());
      }
    }
    String out = text;
    for (String p : PASSWORDS) {
      out = out.replaceAll("(?<![A-Za-z0-9])" + Pattern.quote(p) + "(?![A-Za-z0-9])", "****");
    }
    if (all.isEmpty()) {
      return out;
    }
    all.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a key containing another
    for (String s : all) {
      out = out.replace(s, "****");
    }
    return fuzzy(out, all);
  }

  /**
   * Text that came from outside (a vendor's error message, a body): control characters removed,
   * known secrets redacted, every other token-like word (16 or more characters with letters and
   * digits, as keys and ids are) shown as {@code [token]}, at most {@code max} characters.
   */
  public static String foreign(String text, int max) {
    if (text == null) {
      return "";
    }
    String t = redact(text.replaceAll("\\p{Cntrl}+", " ").strip());
    t = TOKEN.matcher(t).replaceAll("[token]");
    if (t.length() > max) {
      t = t.substring(0, max) + "...";
    }
    return t;
  }

  /**
   * Refuses a secret that cannot be sent as an HTTP header value or could break a log line:
   * control characters (a newline), spaces, or characters outside printable ASCII. The message
   * names the setting and the position, never the value.
   */
  public static void requireClean(String setting, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new InvalidInputException(setting + " contains " + (Character.isISOControl(c) ? "a control character"
            : c == ' ' ? "a space" : "a character outside printable ASCII") + " at position " + (i + 1) + " of "
            + value.length() + "; copy the key again (nothing was sent)");
      }
    }
  }

  private static String fuzzy(String text, List<String> secrets) {
    List<String> longOnes = secrets.stream().filter(s -> s.length() >= MIN_FUZZY).toList();
    if (longOnes.isEmpty() || text.length() > 1_000_000) {
      return text;
    }
    Matcher m = WORD.matcher(text);
    StringBuilder b = null;
    int last = 0;
    while (m.find()) {
      String w = m.group();
      if (w.contains("****") && w.replace("****", "").length() < MIN_FUZZY) {
        continue;
      }
      for (String s : longOnes) {
        if (near(w, s)) {
          if (b == null) {
            b = new StringBuilder(text.length());
          }
          b.append(text, last, m.start()).append("****");
          last = m.end();
          break;
        }
      }
    }
    if (b == null) {
      return text;
    }
    return b.append(text, last, text.length()).toString();
  }

  /** Whether word {@code w} is secret {@code s} slightly changed, or holds a long part of it. */
  static boolean near(String w, String s) {
    String a = w.toLowerCase(Locale.ROOT);
    String k = s.toLowerCase(Locale.ROOT);
    int allowed = Math.max(2, k.length() / 8);
    if (Math.abs(a.length() - k.length()) <= allowed && distance(a, k, allowed) <= allowed) {
      return true;
    }
    int run = MIN_FUZZY; // 8 characters of a key in a row are never ordinary text
    return a.length() >= run && commonRun(a, k) >= run;
  }

  /** Levenshtein distance, or {@code limit + 1} once it is certainly larger than {@code limit}. */
  private static int distance(String a, String b, int limit) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int best = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        best = Math.min(best, cur[j]);
      }
      if (best > limit) {
        return limit + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Length of the longest common substring. */
  private static int commonRun(String a, String b) {
    int best = 0;
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = a.charAt(i - 1) == b.charAt(j - 1) ? prev[j - 1] + 1 : 0;
        best = Math.max(best, cur[j]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
      java.util.Arrays.fill(cur, 0);
    }
    return best;
  }
}
