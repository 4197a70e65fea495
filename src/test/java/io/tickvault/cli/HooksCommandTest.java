package io.tickvault.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickvault.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tickvault hooks install} in a real git repository, with real commits. */
class HooksCommandTest {
  @TempDir
  Path repo;

  private String gitOut;

  @BeforeEach
  void init() throws Exception {
    assertEquals(0, git("init", "-q"));
    git("config", "user.email", "dev@example.com");
    git("config", "user.name", "Dev");
    git("config", "commit.gpgsign", "false");
  }

  private int git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
    gitOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return p.exitValue();
  }

  private String install() {
    CommandLine cl = Cli.create(Settings.load(Map.of(), repo));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    cl.setOut(new PrintWriter(o));
    cl.setErr(new PrintWriter(e));
    assertEquals(0, cl.execute("hooks", "install"), e.toString());
    return o.toString();
  }

  @Test
  void the_hook_refuses_database_files_and_says_how_to_unstage_them() throws Exception {
    assertTrue(install().startsWith("installed "));
    Files.createDirectories(repo.resolve("data"));
    Files.writeString(repo.resolve("data/mirror.db"), "x");
    Files.writeString(repo.resolve("README.md"), "hello");
    git("add", "data/mirror.db", "README.md");
    assertEquals(1, git("commit", "-qm", "with a database"));
    assertTrue(gitOut.contains("refusing to commit database files"), gitOut);
    assertTrue(gitOut.contains("data/mirror.db"), gitOut);
    assertTrue(gitOut.contains("git rm --cached <file>"), gitOut);

    assertEquals(0, git("rm", "-q", "--cached", "data/mirror.db"));
    assertTrue(Files.exists(repo.resolve("data/mirror.db")));
    assertEquals(0, git("commit", "-qm", "docs only"), gitOut);
    for (String name : List.of("a.sqlite", "b.SQLITE3", "c.db-wal")) {
      Files.writeString(repo.resolve(name), "x");
      git("add", name);
      assertEquals(1, git("commit", "-qm", name), name);
      git("rm", "-q", "--cached", name);
    }
  }

  @Test
  void an_existing_hook_keeps_working_and_installing_twice_is_harmless() throws Exception {
    Path hooks = repo.resolve(".git/hooks");
    Files.createDirectories(hooks);
    Path old = hooks.resolve("pre-commit");
    Files.writeString(old, "#!/bin/sh\necho ran > \"$(git rev-parse --show-toplevel)/old-hook-ran\"\n"
        + "if git diff --cached --name-only | grep -q forbidden; then echo 'old hook says no' >&2; exit 1; fi\n");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));

    String first = install();
    assertTrue(first.contains("your previous pre-commit hook runs after the check"), first);
    assertTrue(install().startsWith("updated "));

    Files.writeString(repo.resolve("ok.txt"), "fine");
    git("add", "ok.txt");
    assertEquals(0, git("commit", "-qm", "ok"), gitOut);
    assertTrue(Files.exists(repo.resolve("old-hook-ran")), "the previous hook still runs");

    Files.writeString(repo.resolve("forbidden.txt"), "no");
    git("add", "forbidden.txt");
    assertEquals(1, git("commit", "-qm", "no"));
    assertTrue(gitOut.contains("old hook says no"), gitOut);
  }

  @Test
  void outside_a_repository_it_is_a_usage_error() throws Exception {
    Path notRepo = Files.createTempDirectory("notrepo");
    CommandLine cl = Cli.create(Settings.load(Map.of("GIT_CEILING_DIRECTORIES", ""), notRepo));
    StringWriter e = new StringWriter();
    cl.setErr(new PrintWriter(e));
    cl.setOut(new PrintWriter(new StringWriter()));
    assertEquals(2, cl.execute("hooks", "install"));
    assertTrue(e.toString().contains("not inside a git repository"), e.toString());
  }
}
