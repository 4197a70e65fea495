package io.tickvault.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tickvault.cli.ExitCodes;
import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.NotFoundException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.TickvaultException;
import io.tickvault.domain.Timeframe;
import io.tickvault.domain.WidthMismatchException;
import io.tickvault.ingest.RateLimitedException;
import io.tickvault.ingest.VendorAuthException;
import io.tickvault.ingest.VendorException;
import io.tickvault.mirror.MirrorException;
import io.tickvault.source.MixingRefusedException;
import io.tickvault.store.MirrorReadOnlyException;
import io.tickvault.store.StoreException;
import io.tickvault.store.StoredDataException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exception table in docs/architecture.md ("Exceptions") against the code's two tables (kind
 * to exit code in {@code cli.ExitCodes}, kind to HTTP status and type in {@link ApiErrors}), the
 * README's exit-code table and docs/server.md's error table: a drift between any of them fails here.
 */
class ErrorTablesTest {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  /** One row of the documented table. */
  record Row(ErrorKind kind, Set<String> exceptions, int exit, int status, String type) {}

  @Test
  void the_documented_table_is_the_code_tables() throws IOException {
    Map<ErrorKind, Row> doc = architectureTable();
    assertEquals(EnumSet.allOf(ErrorKind.class), EnumSet.copyOf(doc.keySet()),
        "docs/architecture.md must have one row per ErrorKind");
    for (Row r : doc.values()) {
      assertEquals(r.exit(), ExitCodes.of(r.kind()),
          "exit code of " + r.kind() + " (docs/architecture.md vs ExitCodes.of)");
      ApiErrors.Answer a = ApiErrors.answer(r.kind());
      assertEquals(r.status(), a.status().getCode(), "HTTP status of " + r.kind() + " (docs vs ApiErrors.answer)");
      assertEquals(r.type(), a.type(), "error type of " + r.kind() + " (docs vs ApiErrors.answer)");
    }
  }

  @Test
  void each_exception_has_the_kind_its_row_names_and_answers_by_it() throws Exception {
    Map<ErrorKind, Row> doc = architectureTable();
    List<TickvaultException> samples = List.of(new InvalidInputException("bad date"),
        new WidthMismatchException(SourceName.of("minutes"), Timeframe.MIN_1, Timeframe.DAY_1),
        new NotFoundException("no such symbol"), new MixingRefusedException("migrate refused"),
        ServerStartException.of("127.0.0.1", 8001, new java.net.BindException("Address already in use")),
        MirrorReadOnlyException.refused("clean synthetic", "sqlite:/m.db"), mirrorException(),
        SyncUnavailableException.alreadyRunning(), new StoredDataException("volumes overflow", null),
        new StoreException("cannot open store"), new VendorException("vendor down"),
        new VendorAuthException(401, "bad key"), new RateLimitedException("429 after retries"));
    Set<String> sampled = new TreeSet<>();
    for (TickvaultException e : samples) {
      String name = e.getClass().getSimpleName();
      sampled.add(name);
      Row row = doc.get(e.kind());
      assertTrue(row.exceptions().contains(name), name + " is of kind " + e.kind()
          + " but docs/architecture.md lists it elsewhere or not at all");
      ApiError answer = ApiErrors.of(e);
      assertEquals(row.status(), answer.status(), name);
      assertEquals(row.type(), answer.type(), name);
      assertEquals(e.getMessage(), answer.message(), name);
    }
    // every exception class of the code that can leave its class is sampled here (and so documented);
    // a private nested wrapper (SqliteSyncTx's SqlFailure, unwrapped before it leaves) cannot
    Set<String> all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tickvault").stream().filter(c -> c.isAssignableTo(TickvaultException.class))
        .filter(c -> !c.isEquivalentTo(TickvaultException.class))
        .filter(c -> !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PRIVATE))
        .map(JavaClass::getSimpleName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(all, sampled,
        "a new TickvaultException subclass needs a row in docs/architecture.md and a sample here");
  }

  @Test
  void the_readme_exit_codes_are_the_code_exit_codes() throws Exception {
    Set<Integer> readme = new TreeSet<>();
    for (List<String> cells : table(Path.of("README.md"), "## Exit codes")) {
      Matcher m = CODE.matcher(cells.get(0));
      assertTrue(m.find(), "README exit-code row without a `code`: " + cells);
      readme.add(Integer.parseInt(m.group(1)));
    }
    Set<Integer> code = new TreeSet<>();
    for (var f : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        code.add(f.getInt(null));
      }
    }
    assertEquals(code, readme, "README.md's exit-code table vs the constants of ExitCodes");
    for (ErrorKind k : ErrorKind.values()) {
      assertTrue(readme.contains(ExitCodes.of(k)), k + " exits with a code the README does not show");
    }
  }

  @Test
  void server_docs_show_each_kind_with_its_status() throws IOException {
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (List<String> cells : table(Path.of("docs/server.md"), "## Errors")) {
      int status = Integer.parseInt(cells.get(0).strip());
      Matcher m = CODE.matcher(cells.get(1));
      while (m.find()) {
        Integer before = shown.put(m.group(1), status);
        assertTrue(before == null || before == status, "type " + m.group(1) + " shown with two statuses");
      }
    }
    for (ErrorKind k : ErrorKind.values()) {
      ApiErrors.Answer a = ApiErrors.answer(k);
      assertEquals(a.status().getCode(), shown.get(a.type()),
          "docs/server.md's error table: status of `" + a.type() + "` (" + k + ")");
    }
    Set<String> kindTypes = Arrays.stream(ErrorKind.values()).map(k -> ApiErrors.answer(k).type())
        .collect(Collectors.toSet());
    for (String type : shown.keySet()) {
      assertTrue(kindTypes.contains(type) || Set.of("forbidden", "internal_error").contains(type),
          "docs/server.md shows a type no kind answers: " + type);
    }
  }

  /** The kind rows of the table under "## Exceptions" in docs/architecture.md. */
  static Map<ErrorKind, Row> architectureTable() throws IOException {
    Map<ErrorKind, Row> rows = new LinkedHashMap<>();
    for (List<String> c : table(Path.of("docs/architecture.md"), "## Exceptions")) {
      assertEquals(5, c.size(), "kind | exceptions | exit | HTTP | type: " + c);
      ErrorKind kind = ErrorKind.valueOf(unquote(c.get(0)));
      Set<String> exceptions = new TreeSet<>();
      Matcher m = CODE.matcher(c.get(1));
      while (m.find()) {
        exceptions.add(m.group(1));
      }
      Row r = new Row(kind, exceptions, Integer.parseInt(c.get(2).strip()), Integer.parseInt(c.get(3).strip()),
          unquote(c.get(4)));
      assertTrue(rows.put(kind, r) == null, "two rows for " + kind);
    }
    return rows;
  }

  /** The body rows (cells, without the header and the rule) of the first table after {@code heading}. */
  static List<List<String>> table(Path file, String heading) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int i = lines.indexOf(heading);
    assertTrue(i >= 0, file + " has no heading " + heading);
    while (i < lines.size() && !lines.get(i).startsWith("|")) {
      assertTrue(i == lines.indexOf(heading) || !lines.get(i).startsWith("## "), file + ": no table under " + heading);
      i++;
    }
    List<List<String>> rows = new ArrayList<>();
    for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String l = lines.get(i).strip();
      rows.add(Arrays.stream(l.substring(1, l.length() - 1).split("\\|", -1)).map(String::strip).toList());
    }
    assertTrue(!rows.isEmpty(), file + ": empty table under " + heading);
    return rows;
  }

  private static String unquote(String cell) {
    return cell.strip().replace("`", "");
  }

  private static MirrorException mirrorException() throws Exception {
    Method m = MirrorException.class.getDeclaredMethod("notAMirror", String.class, String.class);
    m.setAccessible(true);
    return (MirrorException) m.invoke(null, "x.db", "no lineage table");
  }
}
