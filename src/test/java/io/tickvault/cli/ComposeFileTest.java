package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickvault.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * compose.yaml and the Dockerfile, checked statically (no container engine runs on our machines):
 * the YAML parses; every tickvault service's command line parses with the real picocli model of
 * {@code tickvault}; the profiles the README names exist; ports agree with the serve commands and
 * the configuration's default; every environment variable a tickvault service sets is one the
 * code reads; the database URL agrees with the PostgreSQL service.
 */
class ComposeFileTest {
  static Map<String, Object> compose;
  static Map<String, Map<String, Object>> services;
  static String mainSources;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    compose = new Yaml().load(Files.readString(Path.of("compose.yaml")));
    services = (Map<String, Map<String, Object>>) compose.get("services");
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        b.append(Files.readString(p));
      }
    }
    mainSources = b.toString();
  }

  static boolean isTickvault(Map<String, Object> service) {
    return service.containsKey("build");
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Object o) {
    return o == null ? List.of() : (List<String>) o;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> env(Map<String, Object> service) {
    Object e = service.get("environment");
    return e == null ? Map.of() : (Map<String, Object>) e;
  }

  @Test
  void the_yaml_parses_into_services_and_volumes() {
    assertEquals("tickvault", compose.get("name"));
    assertTrue(services.keySet().containsAll(List.of("postgres", "dashboard", "generate", "collect-alpaca",
        "collect-polygon", "retention", "mirror-sync")), services.keySet().toString());
    Map<?, ?> volumes = (Map<?, ?>) compose.get("volumes");
    assertTrue(volumes.containsKey("pgdata") && volumes.containsKey("tickvault-data"));
    assertTrue(list(services.get("postgres").get("volumes")).contains("pgdata:/var/lib/postgresql/data"),
        "PostgreSQL keeps its data in a volume");
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      if (isTickvault(s.getValue())) {
        assertEquals(".", s.getValue().get("build"), s.getKey() + " builds the Dockerfile");
        assertTrue(list(s.getValue().get("volumes")).contains("tickvault-data:/data"), s.getKey());
      }
    }
  }

  @Test
  void every_tickvault_command_parses_with_the_real_command_line() {
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      if (!isTickvault(s.getValue())) {
        continue;
      }
      List<String> entrypoint = list(s.getValue().get("entrypoint"));
      if (!entrypoint.isEmpty()) {
        // the image's `every PERIOD --` wrapper runs the tickvault command line that follows
        assertEquals(3, entrypoint.size(), s.getKey() + ": " + entrypoint);
        assertEquals("every", entrypoint.get(0));
        assertTrue(entrypoint.get(1).matches("[1-9][0-9]*[hms]"), entrypoint.get(1));
        assertEquals("--", entrypoint.get(2));
      }
      List<String> command = list(s.getValue().get("command"));
      assertFalse(command.isEmpty(), s.getKey() + " has a command");
      CommandLine cl = Cli.create(Settings.load(Map.of(), Path.of(".")));
      try {
        ParseResult r = cl.parseArgs(command.toArray(String[]::new));
        assertTrue(r.hasSubcommand(), s.getKey() + ": " + command);
        assertFalse(r.isUsageHelpRequested() || r.subcommand().isUsageHelpRequested());
      } catch (CommandLine.ParameterException e) {
        fail(s.getKey() + ": `tickvault " + String.join(" ", command) + "` does not parse: " + e.getMessage());
      }
      checked++;
    }
    assertEquals(8, checked, "every tickvault service checked");
    CommandLine probe = Cli.create(Settings.load(Map.of(), Path.of(".")));
    assertThrows(CommandLine.ParameterException.class, () -> probe.parseArgs("serve", "--prot", "8001"),
        "the check catches a misspelt option");
  }

  @Test
  void every_profile_the_readme_names_exists_and_sets_its_data_source() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("--profile ([a-z]+)").matcher(readme);
    Set<String> named = new TreeSet<>();
    while (m.find()) {
      named.add(m.group(1));
    }
    assertEquals(Set.of("default", "alpaca", "polygon"), named, "the README names the three profiles");
    assertTrue(readme.toLowerCase(java.util.Locale.ROOT).contains("checked statically"), "the README says the compose file is only checked statically");
    Map<String, String> expected = Map.of("default", "synthetic", "alpaca", "alpaca", "polygon", "polygon");
    for (String profile : named) {
      List<String> sources = new ArrayList<>();
      boolean dashboard = false;
      for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
        if (list(s.getValue().get("profiles")).contains(profile)) {
          Object ds = env(s.getValue()).get(Settings.DATA_SOURCE);
          if (ds != null) {
            sources.add(ds.toString());
          }
          dashboard |= list(s.getValue().get("command")).contains("serve");
        }
      }
      assertFalse(sources.isEmpty(), profile);
      assertEquals(Set.of(expected.get(profile)), new TreeSet<>(sources), profile + " sets DATA_SOURCE");
      assertTrue(dashboard, profile + " has a dashboard");
    }
  }

  @Test
  void ports_agree_with_serve_and_the_configured_default() throws IOException {
    String defaultPort = Settings.load(Map.of(), Path.of(".")).get(Settings.PORT).orElseThrow();
    assertEquals("8001", defaultPort);
    int dashboards = 0;
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      List<String> command = list(s.getValue().get("command"));
      List<String> ports = list(s.getValue().get("ports"));
      if (!command.contains("serve")) {
        assertTrue(ports.isEmpty(), s.getKey() + " publishes no port");
        continue;
      }
      dashboards++;
      String port = command.get(command.indexOf("--port") + 1);
      assertEquals(defaultPort, port, s.getKey());
      assertEquals(List.of(port + ":" + port), ports, s.getKey());
      assertEquals("0.0.0.0", command.get(command.indexOf("--host") + 1), s.getKey() + " listens beyond the container");
    }
    assertEquals(3, dashboards);
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertTrue(dockerfile.contains("\nEXPOSE " + defaultPort + "\n"), "Dockerfile exposes the port");
  }

  @Test
  void environment_names_are_the_ones_the_code_reads() throws IOException {
    String launcher = Files.readString(Path.of("scripts/docker/tickvault"));
    for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
      for (String key : env(s.getValue()).keySet()) {
        if (isTickvault(s.getValue())) {
          assertTrue(mainSources.contains("\"" + key + "\"") || launcher.contains(key),
              s.getKey() + ": " + key + " is read nowhere in src/main/java");
        } else {
          assertTrue(key.startsWith("POSTGRES_"), s.getKey() + ": " + key);
        }
      }
    }
    Map<String, Object> pg = env(services.get("postgres"));
    String url = env(services.get("dashboard")).get(Settings.DATABASE_URL).toString();
    assertEquals("postgres://" + pg.get("POSTGRES_USER") + ":" + pg.get("POSTGRES_PASSWORD") + "@postgres:5432/"
        + pg.get("POSTGRES_DB"), url, "the URL names the PostgreSQL service's user, password and database");
  }

  @Test
  void the_dockerfile_builds_with_the_wrapper_and_runs_on_a_jre() throws IOException {
    String d = Files.readString(Path.of("Dockerfile"));
    List<String> from = d.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, from.size(), "two stages");
    assertTrue(from.get(0).endsWith(" AS build") && from.get(0).contains("-jdk"), from.get(0));
    assertTrue(from.get(1).contains("-jre"), from.get(1));
    assertTrue(d.contains("RUN ./mvnw -q -B -DskipTests package"));
    assertTrue(d.contains("COPY --from=build /src/target/tickvault.jar /opt/tickvault/tickvault.jar"));
    assertTrue(d.contains("ENTRYPOINT [\"tickvault\"]"));
    for (String copied : List.of("mvnw", "pom.xml", ".mvn", "src", "scripts/docker/tickvault", "scripts/docker/every")) {
      assertTrue(Files.exists(Path.of(copied)), copied + " exists to be copied");
    }
    assertTrue(Files.readString(Path.of("scripts/docker/tickvault")).contains("-jar /opt/tickvault/tickvault.jar"),
        "the launcher runs the copied jar");
  }
}
