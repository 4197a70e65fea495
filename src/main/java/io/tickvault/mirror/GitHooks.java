package io.tickvault.mirror;

import io.tickvault.domain.ErrorKind;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.TickvaultException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Installs a git pre-commit hook that refuses to commit database files ({@code *.db},
 * {@code *.sqlite}, {@code *.sqlite3} and their {@code -wal}, {@code -shm}, {@code -journal}
 * companions), so a mirror or a production store never ends up in a repository. An existing
 * pre-commit hook keeps working: it is moved aside and run by tickvault's hook after its check.
 * Installing twice is harmless. Thread-safe (no state); not safe against two concurrent installs
 * into one repository.
 */
public final class GitHooks {
  /** Marks a hook written by tickvault. */
  static final String MARKER = "# tickvault pre-commit guard";
  /** Where an existing hook is moved to. */
  static final String PREVIOUS = "pre-commit.pre-tickvault";

  private GitHooks() {}

  /** What {@link #installPreCommit} did. */
  public record Installed(Path hook, Path previousHook, boolean replacedOwn) {}

  /**
   * Installs the hook into the repository containing {@code workDir} (honours
   * {@code core.hooksPath} and worktrees, via {@code git rev-parse --git-path hooks}).
   *
   * @throws InvalidInputException when {@code workDir} is not inside a git repository
   */
  public static Installed installPreCommit(Path workDir) {
    Path hooks = hooksDir(workDir);
    try {
      Files.createDirectories(hooks);
      Path hook = hooks.resolve("pre-commit");
      Path previous = null;
      boolean own = false;
      if (Files.exists(hook)) {
        String existing = Files.readString(hook, StandardCharsets.UTF_8);
        if (existing.contains(MARKER)) {
          own = true;
        } else {
          previous = hooks.resolve(PREVIOUS);
          if (Files.exists(previous)) {
            throw new TickvaultException(ErrorKind.REFUSED, "cannot install the pre-commit hook: " + hook + " is not tickvault's and "
                + previous + " already exists; merge them by hand");
          }
          Files.move(hook, previous, StandardCopyOption.ATOMIC_MOVE);
          makeExecutable(previous);
        }
      }
      if (own && Files.exists(hooks.resolve(PREVIOUS))) {
        previous = hooks.resolve(PREVIOUS);
      }
      Path tmp = hooks.resolve("pre-commit.tickvault-tmp");
      Files.writeString(tmp, script(), StandardCharsets.UTF_8);
      makeExecutable(tmp);
      Files.move(tmp, hook, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Installed(hook, previous, own);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the pre-commit hook in " + hooks, e);
    }
  }

  /** The hook script (POSIX sh). */
  static String script() {
    return """
        #!/bin/sh
        %s (installed by `tickvault hooks install`; reinstalling is safe).
        # Refuses to commit database files: the mirror changes only through `tickvault sync`, and
        # production data belongs in the production store, not in git.
        files=$(git diff --cached --name-only --diff-filter=ACMR -z | tr '\\0' '\\n' \\
          | grep -iE '\\.(db|sqlite|sqlite3)(-wal|-shm|-journal)?$')
        if [ -n "$files" ]; then
          echo "tickvault: refusing to commit database files:" >&2
          echo "$files" | sed 's/^/  /' >&2
          echo "Unstage them (the files stay on disk) with:  git rm --cached <file>" >&2
          echo "and add a pattern such as '*.db' to .gitignore. The mirror is made by \\`tickvault sync\\`," >&2
          echo "not shared through git. (To commit anyway, once: git commit --no-verify.)" >&2
          exit 1
        fi
        previous="$(dirname "$0")/%s"
        if [ -x "$previous" ]; then
          exec "$previous" "$@"
        fi
        exit 0
        """.formatted(MARKER, PREVIOUS);
  }

  private static void makeExecutable(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      p.toFile().setExecutable(true);
    }
  }

  private static Path hooksDir(Path workDir) {
    ProcessBuilder pb = new ProcessBuilder("git", "rev-parse", "--git-path", "hooks").directory(workDir.toFile())
        .redirectErrorStream(true);
    String out;
    int code;
    try {
      Process p = pb.start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new TickvaultException(ErrorKind.REFUSED, "git did not answer within 30 s");
      }
      code = p.exitValue();
    } catch (IOException e) {
      throw new TickvaultException(ErrorKind.REFUSED, "cannot run git (is it installed and on PATH?): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TickvaultException(ErrorKind.REFUSED, "interrupted while running git");
    }
    if (code != 0) {
      throw new InvalidInputException("not inside a git repository: " + workDir
          + "; run `tickvault hooks install` from your project's working tree");
    }
    Path hooks = Path.of(out);
    return hooks.isAbsolute() ? hooks : workDir.resolve(hooks).normalize();
  }
}
