package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: resolves settings (root settings + this command's flags), opens the
 * workspace for the duration of the call, and gives access to the picocli writers. Subclasses
 * implement {@link #run()} and return an exit code from {@link ExitCodes}.
 */
public abstract class BaseCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @Mixin
  protected CommonOptions common;

  private Workspace workspace;

  /** Settings with this command's flags applied. Subclasses may override to apply more flags. */
  protected Settings settings() {
    TickvaultCommand root = (TickvaultCommand) spec.root().userObject();
    return common.apply(root.settings());
  }

  protected Workspace workspace() {
    if (workspace == null) {
      workspace = new Workspace(settings());
    }
    return workspace;
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      int code = run();
      out().flush();
      err().flush();
      return code;
    } finally {
      if (workspace != null) {
        workspace.close();
        workspace = null;
      }
    }
  }

  protected abstract int run() throws Exception;
}
