package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import io.tickvault.domain.Timeframe;
import io.tickvault.ingest.IngestPlan;
import io.tickvault.ingest.Redactor;
import io.tickvault.ingest.VendorHttp;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code ingest polygon} and {@code ingest alpaca}, and their settings. Not thread-
 * safe: picocli fills one instance per run.
 */
final class VendorOptions {
  /** Trailing window of incremental runs (default 2d). */
  static final String TRAILING_WINDOW = "TICKVAULT_TRAILING_WINDOW";
  /** Longest wait for a complete vendor response (default 60s). */
  static final String HTTP_TIMEOUT = "TICKVAULT_HTTP_TIMEOUT";

  @Option(names = "--symbols", required = true, paramLabel = "SYMBOLS",
      description = "Comma-separated symbols, e.g. AAPL,MSFT,BRK.B.")
  String symbols;

  @Option(names = "--from", paramLabel = "DATE",
      description = "First day (YYYY-MM-DD, New York calendar). Without it, each symbol continues from its last "
          + "stored bar minus the trailing window.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day, inclusive (default: today in New York).")
  LocalDate to;

  @Option(names = "--timeframe", paramLabel = "TF",
      description = "Bar width: 1Min, 5Min, 15Min, 30Min, 1Hour or 1Day (default: the width the target source "
          + "holds, 1Day for a new source). A source holds one width: other widths go into another source (--into).")
  String timeframe;

  @Option(names = "--into", paramLabel = "SOURCE",
      description = "Write into this vendor source instead of the vendor's own (created as a vendor source if "
          + "missing), e.g. alpaca_sip.")
  String into;

  @Option(names = "--trailing", paramLabel = "DURATION",
      description = "Incremental runs fetch again this much before the last stored bar, so vendor corrections "
          + "replace old values (default: " + TRAILING_WINDOW + " or 2d).")
  Duration trailing;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Longest wait for a vendor response before retrying (default: " + HTTP_TIMEOUT + " or 60s).")
  Duration timeout;

  IngestPlan plan(Settings s) {
    Duration tr = trailing != null ? trailing
        : Settings.parseDuration(s.get(TRAILING_WINDOW).orElse("2d"), TRAILING_WINDOW);
    return new IngestPlan(IngestPlan.parseSymbols(symbols), from, to,
        timeframe == null ? null : Timeframe.parse(timeframe), into == null ? null : SourceName.of(into), tr);
  }

  VendorHttp.Options http(Settings s) {
    return http(s, timeout);
  }

  /** HTTP options with the read timeout from {@code timeout} (a flag value, may be null) or the setting. */
  static VendorHttp.Options http(Settings s, Duration timeout) {
    Duration d = timeout != null ? timeout : Settings.parseDuration(s.get(HTTP_TIMEOUT).orElse("60s"), HTTP_TIMEOUT);
    if (d.isZero() || d.isNegative()) {
      throw new InvalidInputException("invalid " + (timeout != null ? "--timeout" : HTTP_TIMEOUT) + " " + d
          + ": use a positive duration such as 60s");
    }
    return VendorHttp.Options.defaults().withReadTimeout(d);
  }

  /** The base URL setting as an http(s) URI; the message never shows user info. */
  static URI baseUrl(Settings s, String key) {
    String v = s.require(key);
    try {
      URI u = new URI(v);
      if ((!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) || u.getHost() == null
          || u.getRawQuery() != null) {
        throw new URISyntaxException(v, "not an http(s) base URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new InvalidInputException("invalid " + key + ": expected an http(s) base URL such as "
          + "https://api.massive.com, without query [value=" + Text.quote(safe(v)) + "]");
    }
  }

  private static String safe(String v) {
    try {
      return Redactor.NONE.url(new URI(v));
    } catch (URISyntaxException | RuntimeException e) {
      return v.replaceAll("//[^/@]*@", "//");
    }
  }

  /** Missing settings among {@code keys}, for one clear message. */
  static List<String> missing(Settings s, String... keys) {
    return java.util.Arrays.stream(keys).filter(k -> s.get(k).isEmpty()).toList();
  }
}
