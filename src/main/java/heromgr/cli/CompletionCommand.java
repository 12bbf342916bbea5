package heromgr.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * `heromgr completion [bash|zsh|fish]`: a completion script for the shell. Each script is a thin wrapper that
 * hands the words typed so far to `heromgr __complete` ({@link Completer}) and offers what it prints, so the
 * scripts never drift from the command tree and service names are the daemon's of the moment. The command the
 * user typed (heromgr, bin/heromgr, a path) is the one asked, so a checkout completes as well as an install.
 */
final class CompletionCommand extends LeafCommand {
    enum Shell {
        BASH("""
                # heromgr completion for bash: source <(heromgr completion bash)
                _heromgr() {
                    local IFS=$'\\n'
                    COMPREPLY=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
                }
                complete -F _heromgr heromgr
                """),
        ZSH("""
                #compdef heromgr
                # heromgr completion for zsh: source <(heromgr completion zsh) after compinit, or save as _heromgr in $fpath
                _heromgr() {
                    local -a candidates
                    candidates=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
                    candidates=(${candidates:#})
                    (( ${#candidates} )) && compadd -- "${candidates[@]}"
                }
                if [ "${funcstack[1]}" = "_heromgr" ]; then
                    _heromgr "$@"
                elif (( $+functions[compdef] )); then
                    compdef _heromgr heromgr
                fi
                """),
        FISH("""
                # heromgr completion for fish: heromgr completion fish > ~/.config/fish/completions/heromgr.fish
                function __heromgr_complete
                    set -l typed (commandline -opc)
                    $typed[1] __complete $typed[2..-1] (commandline -ct) 2>/dev/null
                end
                complete -c heromgr -f -a '(__heromgr_complete)'
                """);

        final String script;

        Shell(String script) {
            this.script = script;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> SHELLS = Arrays.stream(Shell.values()).map(Shell::wireName).toList();

    CompletionCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("completion", "Print a completion script for bash (the default), zsh or fish.",
                "bash: source <(heromgr completion)",
                "zsh:  source <(heromgr completion zsh)   (after compinit)",
                "fish: heromgr completion fish > ~/.config/fish/completions/heromgr.fish");
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("SHELL").type(String.class)
                .completionCandidates(SHELLS).description("bash, zsh or fish.").build());
        return spec;
    }

    @Override
    public Integer call() {
        String shell = positional(0);
        Shell chosen = Arrays.stream(Shell.values()).filter(s -> s.wireName().equals(shell == null ? "bash" : shell)).findFirst()
                .orElseThrow(() -> new ParameterException(commandSpec().commandLine(),
                        "unknown shell '" + shell + "' (completion scripts: " + String.join(", ", SHELLS) + ")"));
        terminal.out().print(chosen.script);
        return ExitCode.OK;
    }
}
