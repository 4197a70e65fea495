package io.tickvault.config;

import io.tickvault.store.StoreUrl;
import io.tickvault.domain.DataMode;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tickvault's settings, resolved with the precedence command-line flag &gt; environment variable
 * &gt; {@code .env} file in the working directory &gt; default. Immutable and thread-safe;
 * {@link #with(String, String)} returns a copy with a flag applied.
 *
 * <p>Secrets ({@code POLYGON_API_KEY}, {@code MASSIVE_API_KEY}, {@code APCA_API_SECRET_KEY},
 * passwords in database URLs) are available to code through {@link #get} but never rendered by
 * {@link #toString()} or any describe method.
 */
public final class Settings {
  public static final String DATA_SOURCE = "DATA_SOURCE";
  public static final String DATA_MODE = "DATA_MODE";
  public static final String DATABASE_URL = "TICKVAULT_DATABASE_URL";
  public static final String MIRROR = "TICKVAULT_MIRROR";
  public static final String TEST_DATABASE_URL = "TICKVAULT_TEST_DATABASE_URL";
  public static final String STALE_AFTER = "TICKVAULT_STALE_AFTER";
  public static final String PORT = "TICKVAULT_PORT";
  public static final String HOST = "TICKVAULT_HOST";
  /** Extra names (comma-separated) a loopback server answers to besides localhost and loopback addresses. */
  public static final String ALLOWED_HOSTS = "TICKVAULT_ALLOWED_HOSTS";
  public static final String POLYGON_API_KEY = "POLYGON_API_KEY";
  public static final String MASSIVE_API_KEY = "MASSIVE_API_KEY";
  public static final String POLYGON_URL = "TICKVAULT_POLYGON_URL";
  public static final String ALPACA_KEY_ID = "APCA_API_KEY_ID";
  public static final String ALPACA_SECRET = "APCA_API_SECRET_KEY";
  public static final String ALPACA_URL = "TICKVAULT_ALPACA_URL";
  /** Full ws:// or wss:// URL of the Alpaca stream, feed path included (default from --feed). */
  public static final String ALPACA_STREAM_URL = "TICKVAULT_ALPACA_STREAM_URL";
  /** Full ws:// or wss:// URL of the Polygon/Massive stocks stream (default from --feed). */
  public static final String POLYGON_STREAM_URL = "TICKVAULT_POLYGON_STREAM_URL";

  private static final Map<String, String> DEFAULTS = Map.of(
      DATA_SOURCE, "synthetic",
      DATA_MODE, "live",
      DATABASE_URL, "data/tickvault.db",
      MIRROR, "data/mirror.db",
      TEST_DATABASE_URL, "data/test.db",
      STALE_AFTER, "7d",
      PORT, "8001",
      HOST, "127.0.0.1",
      POLYGON_URL, "https://api.massive.com",
      ALPACA_URL, "https://data.alpaca.markets");

  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Map<String, String> dotenv;
  private final Path workDir;
  /** Why the {@code .env} file could not be read; thrown by the first {@link #get} (so by a command, not at startup). */
  private final InvalidInputException dotenvError;

  private Settings(Map<String, String> flags, Map<String, String> env, Map<String, String> dotenv, Path workDir,
      InvalidInputException dotenvError) {
    this.flags = Map.copyOf(flags);
    this.env = Map.copyOf(env);
    this.dotenv = Map.copyOf(dotenv);
    this.workDir = workDir;
    this.dotenvError = dotenvError;
    registerSecrets();
  }

  /**
   * Hands every secret these settings hold (vendor keys, database passwords) to the redaction
   * boundary ({@link io.tickvault.domain.Secrets}), so no output of this process shows them.
   */
  private void registerSecrets() {
    for (String k : java.util.List.of(POLYGON_API_KEY, MASSIVE_API_KEY, ALPACA_KEY_ID, ALPACA_SECRET)) {
      for (Map<String, String> m : java.util.List.of(flags, env, dotenv)) {
        io.tickvault.domain.Secrets.register(m.get(k));
      }
    }
    for (String k : java.util.List.of(DATABASE_URL, TEST_DATABASE_URL, "TICKVAULT_BENCH_PG_URL")) {
      for (Map<String, String> m : java.util.List.of(flags, env, dotenv)) {
        String v = m.get(k);
        if (v != null && io.tickvault.store.Stores.isPostgres(v.strip())) {
          try {
            io.tickvault.store.Stores.parsePostgres(v.strip()); // registers the password
          } catch (RuntimeException e) {
            // refused with a masked message where it is used
          }
        }
      }
    }
  }

  /**
   * Settings from the given environment and the {@code .env} file of {@code workDir} (if any). A
   * malformed {@code .env} does not fail here: every later {@link #get} fails with the message that
   * names its line, so a command reports it as a usage error (exit 2) and {@code --help} still works.
   */
  public static Settings load(Map<String, String> env, Path workDir) {
    try {
      return new Settings(Map.of(), env, readDotenv(workDir.resolve(".env")), workDir, null);
    } catch (InvalidInputException e) {
      return new Settings(Map.of(), env, Map.of(), workDir, e);
    }
  }

  /** Settings from the process environment and the current directory. */
  public static Settings fromSystem() {
    return load(System.getenv(), Path.of("").toAbsolutePath());
  }

  /** A copy where a command-line flag sets {@code key}; a null value leaves it as it was. */
  public Settings with(String key, String value) {
    if (value == null) {
      return this;
    }
    Map<String, String> f = new HashMap<>(flags);
    f.put(key, value);
    return new Settings(f, env, dotenv, workDir, dotenvError);
  }

  public Optional<String> get(String key) {
    if (dotenvError != null) {
      throw new InvalidInputException(dotenvError.getMessage());
    }
    for (Map<String, String> m : java.util.List.of(flags, env, dotenv)) {
      String v = m.get(key);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.strip());
      }
    }
    return Optional.ofNullable(DEFAULTS.get(key));
  }

  /** Where the value of {@code key} comes from: "a flag", "the environment", ".env" or "the default". */
  public String origin(String key) {
    get(key);
    for (var e : java.util.List.of(Map.entry("a flag", flags), Map.entry("the environment", env),
        Map.entry(".env", dotenv))) {
      String v = e.getValue().get(key);
      if (v != null && !v.isBlank()) {
        return e.getKey();
      }
    }
    return "the default";
  }

  public String require(String key) {
    return get(key).orElseThrow(() -> new InvalidInputException(key + " is not set"));
  }

  public Path workDir() {
    return workDir;
  }

  /** Resolves a path setting against the working directory. */
  public Path path(String key) {
    return workDir.resolve(require(key)).normalize();
  }

  public DataMode dataMode() {
    return DataMode.parse(require(DATA_MODE));
  }

  public SourceName dataSource() {
    return SourceName.of(require(DATA_SOURCE));
  }

  /** The production store (a SQLite path is resolved against the working directory). */
  public StoreUrl database() {
    return StoreUrl.parse(require(DATABASE_URL), workDir);
  }

  /** The store of test data (a SQLite path is resolved against the working directory). */
  public StoreUrl testDatabase() {
    return StoreUrl.parse(require(TEST_DATABASE_URL), workDir);
  }

  /** Whether TICKVAULT_DATABASE_URL was set by a flag, the environment or .env (not the default). */
  public boolean productionConfigured() {
    get(DATABASE_URL); // fails on a malformed .env
    return java.util.stream.Stream.of(flags, env, dotenv)
        .map(m -> m.get(DATABASE_URL)).anyMatch(v -> v != null && !v.isBlank());
  }

  public Path mirrorPath() {
    return path(MIRROR);
  }

  public Duration staleAfter() {
    return parseDuration(require(STALE_AFTER), STALE_AFTER);
  }

  public int port() {
    return parsePort(require(PORT));
  }

  public String host() {
    return require(HOST);
  }

  /** Polygon/Massive API key, POLYGON_API_KEY first, then MASSIVE_API_KEY. */
  public Optional<String> polygonKey() {
    return get(POLYGON_API_KEY).or(() -> get(MASSIVE_API_KEY));
  }

  public static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s.strip());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new InvalidInputException("invalid port " + Text.quote(s) + ": use a number from 0 to 65535");
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhdw])");

  /** Parses {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 2w}, or ISO-8601 {@code P7D}. */
  public static Duration parseDuration(String s, String what) {
    String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
    }
    try {
      return Duration.parse(s.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new InvalidInputException("invalid " + what + " " + Text.quote(s) + ": use e.g. 7d, 12h, 30m");
    }
  }

  private static final Pattern DOTENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

  /**
   * Reads a {@code .env} file with the usual dotenv rules: {@code KEY=VALUE} lines, blank lines and
   * {@code #} comment lines, an optional {@code export } prefix, values in single quotes (literal)
   * or double quotes ({@code \n}, {@code \t}, {@code \"} and {@code \\} escapes), and for
   * unquoted values an inline comment starting at a {@code #} after whitespace. A line that breaks
   * these rules is an {@link InvalidInputException} naming the file and line (never its text: it
   * may hold a secret).
   */
  static Map<String, String> readDotenv(Path file) {
    Map<String, String> out = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    java.util.List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
    }
    int n = 0;
    for (String line : lines) {
      n++;
      String l = line.strip();
      if (n == 1 && l.startsWith("\uFEFF")) {
        l = l.substring(1).strip();
      }
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("export ") || l.startsWith("export\t")) {
        l = l.substring(7).strip();
      }
      int eq = l.indexOf('=');
      String where = file + " line " + n + ": ";
      if (eq < 0) {
        throw new InvalidInputException(where + "expected KEY=VALUE but the line has no '=' (the line is not shown: it "
            + "may hold a secret); fix or delete it, or comment it out with #");
      }
      String k = l.substring(0, eq).strip();
      if (!DOTENV_KEY.matcher(k).matches()) {
        throw new InvalidInputException(where + "expected KEY=VALUE with a name of letters, digits and '_' before "
            + "the '=' (the line is not shown: it may hold a secret)");
      }
      out.put(k, dotenvValue(l.substring(eq + 1).strip(), where));
    }
    return out;
  }

  private static String dotenvValue(String v, String where) {
    if (v.startsWith("\"") || v.startsWith("'")) {
      char q = v.charAt(0);
      StringBuilder b = new StringBuilder();
      int i = 1;
      for (; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == q) {
          break;
        }
        if (q == '"' && c == '\\' && i + 1 < v.length()) {
          char e = v.charAt(++i);
          b.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> e; // \" \\ \$ and any other character stand for themselves
          });
        } else {
          b.append(c);
        }
      }
      if (i >= v.length()) {
        throw new InvalidInputException(where + "the value opens a " + (q == '"' ? "double" : "single")
            + " quote that is not closed on the same line");
      }
      String rest = v.substring(i + 1).strip();
      if (!rest.isEmpty() && !rest.startsWith("#")) {
        throw new InvalidInputException(where + "unexpected text after the closing quote (put a comment after '#')");
      }
      return b.toString();
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) == '#' && (i == 0 || Character.isWhitespace(v.charAt(i - 1)))) {
        return v.substring(0, i).strip();
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return "Settings[mode=" + get(DATA_MODE).orElse("") + ", source=" + get(DATA_SOURCE).orElse("") + "]";
  }
}
