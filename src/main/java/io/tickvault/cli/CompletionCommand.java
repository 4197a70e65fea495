package io.tickvault.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickvault completion}: prints the bash/zsh completion script picocli generates from the commands. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    header = "Print a shell completion script for bash and zsh.",
    description = {"The script completes commands, options and option values; it is generated from the same",
        "definitions as --help, so it always matches this version."},
    footer = {"", "Examples:",
        "  source <(tickvault completion)                            # this shell (bash or zsh)",
        "  tickvault completion > ~/.local/share/bash-completion/completions/tickvault",
        "  echo 'source <(tickvault completion)' >> ~/.zshrc          # zsh: needs compinit/bashcompinit"})
final class CompletionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
