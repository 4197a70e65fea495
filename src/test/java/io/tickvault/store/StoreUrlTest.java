package io.tickvault.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.domain.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict parsing of PostgreSQL store URLs (issue 9, must fix 2): a URL opens exactly the database
 * it names, or is refused with the password masked. Never a default for a part the user wrote.
 */
class StoreUrlTest {
  /** Every printable ASCII character that is not a letter or digit, and two non-ASCII ones. */
  static final String SPECIAL = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~é€";

  static String pct(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      b.append(String.format("%%%02X", x & 0xff));
    }
    return b.toString();
  }

  @Test
  void the_reported_url_is_refused_with_the_password_masked() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PgUrl.parse("postgres://postgres:hunter#2@db.example.com:6543/marketdata"));
    assertTrue(e.getMessage().contains("postgres://postgres:****@db.example.com:6543/marketdata"), e.getMessage());
    assertTrue(e.getMessage().contains("%23"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter"), e.getMessage());
  }

  @Test
  void every_special_character_percent_encoded_in_user_and_password_is_read_back_exactly() {
    for (char c : SPECIAL.toCharArray()) {
      String user = "us" + c + "er";
      String pw = "pa" + c + "ss";
      PgUrl u = PgUrl.parse("postgres://" + pct(user) + ":" + pct(pw) + "@db.example.com:6543/marketdata");
      assertEquals(List.of(user, pw, "db.example.com", 6543, "marketdata"),
          List.of(u.user(), u.password(), u.host(), u.port(), u.database()), "character " + c);
    }
  }

  /**
   * Written unencoded, each special character either reads back as written with the host, port and
   * database the user wrote, or is refused without showing the password: never another database.
   */
  @Test
  void every_special_character_unencoded_opens_what_was_written_or_is_refused_masked() {
    List<String> refused = new ArrayList<>();
    for (char c : SPECIAL.toCharArray()) {
      String pw = "SECRET" + c + "pw";
      List<String> urls = new ArrayList<>(List.of("postgres://alice:" + pw + "@db.example.com:6543/marketdata"));
      if (c != ':') { // a ':' in the user ends the user name, as libpq reads it (checked below)
        urls.add("postgresql://al" + c + "ice:" + pw + "@db.example.com:6543/marketdata");
      }
      for (String url : urls) {
        try {
          PgUrl u = PgUrl.parse(url);
          assertEquals(List.of("db.example.com", 6543, "marketdata"), List.of(u.host(), u.port(), u.database()), url);
          assertEquals(pw, u.password(), url);
          assertTrue(u.user().equals("alice") || u.user().equals("al" + c + "ice"), url);
          assertFalse(u.jdbcUrl().contains("SECRET"), u.jdbcUrl());
        } catch (InvalidInputException e) {
          refused.add(url);
          assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
          assertTrue(e.getMessage().contains("****"), e.getMessage());
        }
      }
    }
    // the characters that end or split the user info are never read silently
    for (String c : List.of("#", "?", "@", "/", "%", " ", "\\", "[", "\"", "<", "`", "{", "|", "^", "é")) {
      assertTrue(refused.contains("postgres://alice:SECRET" + c + "pw@db.example.com:6543/marketdata"),
          "unencoded " + c + " must be refused");
    }
    PgUrl colon = PgUrl.parse("postgresql://al:ice:pw@db.example.com:6543/marketdata");
    assertEquals(List.of("al", "ice:pw"), List.of(colon.user(), colon.password()));
    // RFC 3986 sub-delimiters are literal in user info, and '+' is a plus (as libpq reads it)
    assertEquals("SECRET+pw", PgUrl.parse("postgres://alice:SECRET+pw@h/db").password());
    assertEquals("SECRET:pw", PgUrl.parse("postgres://alice:SECRET:pw@h/db").password());
    assertEquals("SECRET;pw", PgUrl.parse("postgres://alice:SECRET;pw@h/db").password());
  }

  @Test
  void ipv6_hosts_are_written_in_brackets() {
    PgUrl a = PgUrl.parse("postgres://u@[::1]:5433/db");
    assertEquals(List.of("::1", 5433, "db"), List.of(a.host(), a.port(), a.database()));
    assertEquals("jdbc:postgresql://[::1]:5433/db", a.jdbcUrl());
    assertEquals("postgresql://[::1]:5433/db", a.toString());
    PgUrl b = PgUrl.parse("postgresql://[2001:db8::7]/marketdata");
    assertEquals(List.of("2001:db8::7", 5432), List.of(b.host(), b.port()));
    assertNull(b.user());
    PgUrl c = PgUrl.parse("jdbc:postgresql://[::1]:6000/db?user=u");
    assertEquals(List.of("::1", 6000, "u"), List.of(c.host(), c.port(), c.user()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "postgres://", "postgres:///marketdata", "postgres://u:pw@/marketdata", "postgres://db.example.com",
      "postgres://db.example.com/", "postgres://db.example.com:/marketdata", "postgres://db.example.com:abc/marketdata",
      "postgres://db.example.com:0/marketdata", "postgres://db.example.com:65536/marketdata",
      "postgres://db.example.com:-1/marketdata", "postgres://db.example.com:6543x/marketdata",
      "postgres://@db.example.com/marketdata", "postgres://:pw@db.example.com/marketdata",
      "postgres://h1,h2/marketdata", "postgres://h1:5432,h2:5432/marketdata", "postgres://::1/db",
      "postgres://[::1/db", "postgres://[::1]x/db", "postgres://[fe80::1%25eth0]/db", "postgres://db.example.com/a/b",
      "postgres://db.example.com/market data", "postgres://db.example.com/db?sslmode", "postgres://h/db?host=evil",
      "postgres://h/db?port=1", "postgres://h/db?dbname=other", "postgres://u@h/db?user=v",
      "postgres://u:p@h/db?password=q", "postgres://h/db?a=1&a=2", "postgres://h/db%2", "postgres://h/db%ZZ",
      "postgres://h/db%C3", "postgres://h/db%00", "postgres://h/db#frag", "postgres://ho_st!/db",
      "jdbc:postgresql:marketdata", "jdbc:postgresql:/", "jdbc:postgresql:///marketdata", "jdbc:postgresql://h",
      "jdbc:postgresql://u:p@h/db", "jdbc:postgresql://h/db?user=a+b", "jdbc:postgresql://h:x/db",
      "jdbc:postgresql://h/db?password=a+b", "jdbc:postgresql://h1,h2/db", "POSTGRES://h/db", "postgres:/h/db"})
  void malformed_or_incomplete_urls_are_refused(String url) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Stores.parsePostgres(url), url);
    assertTrue(e.getMessage().startsWith("invalid PostgreSQL URL"), e.getMessage());
  }

  @Test
  void jdbc_urls_take_credentials_and_parameters_as_the_driver_does() {
    PgUrl u = PgUrl.parse("jdbc:postgresql://db.example.com:6543/market%20data?user=alice&password=p%2Bq%26r"
        + "&sslmode=require&ApplicationName=x%20y");
    assertEquals(List.of("db.example.com", 6543, "market data", "alice", "p+q&r"),
        List.of(u.host(), u.port(), u.database(), u.user(), u.password()));
    assertEquals(Map.of("sslmode", "require", "applicationname", "x y"), u.params());
    assertEquals("jdbc:postgresql://db.example.com:6543/market+data?sslmode=require&applicationname=x+y",
        u.jdbcUrl());
    PgUrl d = PgUrl.parse("jdbc:postgresql://localhost/postgres?user=postgres");
    assertEquals(List.of("localhost", 5432, "postgres"), List.of(d.host(), d.port(), d.database()));
  }

  @Test
  void the_libpq_form_keeps_parameters_and_the_default_port_only_when_no_port_is_written() {
    PgUrl u = PgUrl.parse("postgresql://alice@db.example.com/marketdata?sslmode=verify-full&connect_timeout=5");
    assertEquals(5432, u.port());
    assertEquals(Map.of("sslmode", "verify-full", "connect_timeout", "5"), u.params());
    assertEquals("verify-full", Stores.libpqEnvironment("postgresql://alice:pw@db.example.com/marketdata?sslmode="
        + "verify-full").get("PGSSLMODE"));
    assertEquals("pw", Stores.libpqEnvironment("postgresql://alice:pw@db.example.com/marketdata").get("PGPASSWORD"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres://u:SECRETpw/db", "postgres://u:SECRET@pw@h/db", "postgres://u:SECRET/pw@h/db",
      "postgres://u:SECRET?pw@h/db", "jdbc:postgresql://h/db?user=u&password=SECRET+x", "postgres://u:SECRET%zz@h/db",
      "postgres://h/db?password=SECRET&password=x", "postgres://u:SECRET pw@h/db"})
  void no_refusal_shows_the_password(String url) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PgUrl.parse(url), url);
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
  }

  /** Through the command line: exit 2, the URL shown masked, nothing opened or created. */
  @Test
  void the_command_line_refuses_with_exit_2_and_opens_nothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    for (String url : List.of("postgres://postgres:hunter#2@db.example.com:6543/marketdata",
        "postgres://postgres:hunter?2@db.example.com:6543/marketdata",
        "postgres://postgres:hunter@2@db.example.com:6543/marketdata",
        "postgres://postgres:hunter/2@db.example.com:6543/marketdata",
        "postgres://postgres:hunter2@db.example.com:65x43/marketdata")) {
      io.tickvault.cli.CliHarness.Run r = new io.tickvault.cli.CliHarness(dir)
          .env("TICKVAULT_DATABASE_URL", url).run("create", "--source", "synthetic");
      assertEquals(2, r.code(), url + "\n" + r);
      assertTrue(r.err().contains("invalid PostgreSQL URL postgres://postgres:****@db.example.com:"), r.err());
      assertFalse((r.out() + r.err()).contains("hunter"), r.toString());
    }
    assertEquals(0, dir.toFile().list().length, "nothing created");
  }
}
