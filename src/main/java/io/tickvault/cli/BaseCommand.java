package io.tickvault.cli;

import io.tickvault.config.Settings;
import io.tickvault.config.Workspace;
import io.tickvault.domain.DidYouMean;
import io.tickvault.domain.InvalidInputException;
import io.tickvault.domain.SourceName;
import io.tickvault.domain.Text;
import io.tickvault.source.SourceService;
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

  /**
   * Settings with the global options (given before the verb) and then this command's own flags
   * applied. Subclasses may override to apply more flags.
   */
  protected Settings settings() {
    TickvaultCommand root = (TickvaultCommand) spec.root().userObject();
    return common.apply(root.settings());
  }

  /**
   * Whether this command may create a store (and its folder) that does not exist yet. False by
   * default: a command that only reads says where it looked and what would create the store, and
   * leaves no file behind. Commands that write new data override this.
   */
  protected boolean mayCreateStores() {
    return false;
  }

  protected Workspace workspace() {
    if (workspace == null) {
      workspace = new Workspace(settings(), mayCreateStores());
    }
    return workspace;
  }

  /**
   * A source name the user typed. A name that is not valid as written (e.g. in capitals) but near
   * an existing source gets "did you mean" with that source; names that are valid are checked
   * against the store where they are used (which answers "did you mean" the same way).
   */
  protected SourceName sourceName(String raw) {
    try {
      return SourceName.of(raw);
    } catch (InvalidInputException e) {
      java.util.Set<String> known = new java.util.TreeSet<>();
      SourceService.BUILT_INS.keySet().forEach(n -> known.add(n.value()));
      // the names of an existing store only: a refused name never creates a store to suggest from
      try (Workspace lookup = workspace != null ? null : new Workspace(settings(), false)) {
        (workspace != null ? workspace : lookup).store().sources().forEach(r -> known.add(r.name().value()));
      } catch (RuntimeException storeMissing) {
        // suggest from the built-in names only
      }
      String near = DidYouMean.closest(raw, known).orElse(null);
      if (near != null) {
        throw new InvalidInputException("invalid source name " + Text.quote(raw) + " (source names are lowercase); "
            + "did you mean '" + near + "'?");
      }
      throw e;
    }
  }

  /** An input file named on the command line, resolved against the working directory; it must exist. */
  protected java.nio.file.Path inputFile(String file) {
    java.nio.file.Path path = settings().workDir().resolve(file).normalize();
    if (!java.nio.file.Files.isRegularFile(path)) {
      throw new InvalidInputException("cannot import " + Text.quote(file) + ": no such file");
    }
    return path;
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
