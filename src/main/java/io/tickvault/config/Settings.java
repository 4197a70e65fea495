package io.tickvault.config;

import io.tickvault.domain.DataMode;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  private Settings(Map<String, String> flags, Map<String, String> env, Map<String, String> dotenv, Path workDir) {
    this.flags = Map.copyOf(flags);
    this.env = Map.copyOf(env);
    this.dotenv = Map.copyOf(dotenv);
    this.workDir = workDir;
  }

  /** Settings from the given environment and the {@code .env} file of {@code workDir} (if any). */
  public static Settings load(Map<String, String> env, Path workDir) {
    return new Settings(Map.of(), env, readDotenv(workDir.resolve(".env")), workDir);
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
    return new Settings(f, env, dotenv, workDir);
  }

  public Optional<String> get(String key) {
    for (Map<String, String> m : java.util.List.of(flags, env, dotenv)) {
      String v = m.get(key);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.strip());
      }
    }
    return Optional.ofNullable(DEFAULTS.get(key));
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

  /** The production store URL (a SQLite path is resolved against the working directory). */
  public String databaseUrl() {
    return resolveStoreUrl(require(DATABASE_URL));
  }

  public String testDatabaseUrl() {
    return resolveStoreUrl(require(TEST_DATABASE_URL));
  }

  /** Whether TICKVAULT_DATABASE_URL was set by a flag, the environment or .env (not the default). */
  public boolean productionConfigured() {
    return java.util.stream.Stream.of(flags, env, dotenv)
        .map(m -> m.get(DATABASE_URL)).anyMatch(v -> v != null && !v.isBlank());
  }

  private String resolveStoreUrl(String url) {
    if (io.tickvault.store.Stores.isPostgres(url)) {
      return url;
    }
    return workDir.resolve(io.tickvault.store.Stores.sqlitePath(url)).normalize().toString();
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

  /** Reads KEY=VALUE lines; {@code #} comments, blank lines, {@code export} and quotes allowed. */
  static Map<String, String> readDotenv(Path file) {
    Map<String, String> out = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        if (l.startsWith("export ")) {
          l = l.substring(7).strip();
        }
        int eq = l.indexOf('=');
        if (eq <= 0) {
          throw new InvalidInputException(file + " line " + n + ": expected KEY=VALUE");
        }
        String k = l.substring(0, eq).strip();
        String v = l.substring(eq + 1).strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        out.put(k, v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  @Override
  public String toString() {
    return "Settings[mode=" + get(DATA_MODE).orElse("") + ", source=" + get(DATA_SOURCE).orElse("") + "]";
  }
}
