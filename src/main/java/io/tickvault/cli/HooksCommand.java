package io.tickvault.cli;

import io.tickvault.mirror.GitHooks;
import picocli.CommandLine.Command;

/** {@code tickvault hooks install}: a git pre-commit guard against committing database files. */
@Command(name = "hooks", mixinStandardHelpOptions = true,
    header = "Manage git hooks that keep database files out of the repository.",
    description = "Git hooks that keep database files (the mirror, an embedded store) out of the repository.",
    subcommands = HooksCommand.Install.class,
    footer = {"", "Examples:", "  tickvault hooks install"})
public final class HooksCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tickvault hooks install}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      header = "Install a pre-commit hook that refuses to commit database files.",
      description = {"Install a pre-commit hook in the current git repository that refuses to commit *.db, *.sqlite",
          "and *.sqlite3 files (and their -wal/-shm/-journal files), saying how to unstage them.",
          "An existing pre-commit hook is kept and still runs after the check. Safe to run again."},
      footer = {"", "Examples:", "  cd my-trading-app && tickvault hooks install"})
  public static final class Install extends BaseCommand {
    @Override
    protected int run() {
      GitHooks.Installed r = GitHooks.installPreCommit(settings().workDir());
      out().println((r.replacedOwn() ? "updated " : "installed ") + r.hook());
      if (r.previousHook() != null) {
        out().println("your previous pre-commit hook runs after the check: " + r.previousHook());
      }
      return ExitCodes.OK;
    }
  }
}
