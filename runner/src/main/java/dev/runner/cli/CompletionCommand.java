package dev.runner.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code runner completion}: prints a bash/zsh completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
    "Prints a bash/zsh completion script for runner.",
    "Install: source <(runner completion)   or   runner completion > /etc/bash_completion.d/runner",
    "zsh: autoload -U +X bashcompinit && bashcompinit; source <(runner completion)"
})
final class CompletionCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash("runner", root));
    spec.commandLine().getOut().flush();
  }
}
