package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * `heromgr __complete WORD…`: what a shell offers for the last of the words typed after `heromgr` (the one under
 * the cursor, possibly empty), one candidate a line. The shell scripts of {@link CompletionCommand} only pass the
 * words and print the answer, so subcommands and options come from the very command tree a run parses and can
 * never drift; service and action names come from the daemon, quickly, and nothing at all when it is down.
 */
final class Completer {
    static final String COMMAND = "__complete";
    /** A shell waits on this: a daemon that does not answer by then gets no say. */
    private static final Duration DAEMON_TIMEOUT = Duration.ofMillis(800);
    private static final String ACTION = "--action";

    private final Terminal terminal;

    private Completer(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Prints the candidates for words (the arguments after `heromgr`, the last being completed); always exit 0. */
    static int run(List<String> words, Terminal terminal) {
        new Completer(terminal).candidates(words).forEach(terminal.out()::println);
        return ExitCode.OK;
    }

    /** Where the typed words lead: the command reached, the positionals given, an option waiting for its value. */
    private record Position(CommandLine command, List<String> positionals, OptionSpec awaitingValue, Path socket) {
    }

    List<String> candidates(List<String> words) {
        String current = words.isEmpty() ? "" : words.getLast();
        Position at = walk(words.isEmpty() ? List.of() : words.subList(0, words.size() - 1));
        if (at == null) return List.of();
        List<String> offered = at.awaitingValue() != null ? values(at, at.awaitingValue())
                : current.startsWith("-") ? options(at.command().getCommandSpec())
                : words(at);
        return offered.stream().filter(c -> c.startsWith(current)).distinct().toList();
    }

    /** Follows the typed words down the command tree; null after `--` (what follows is a command of the user's). */
    private Position walk(List<String> typed) {
        CommandLine command = CommandTree.whole(Main.commandLine(terminal));
        var positionals = new ArrayList<String>();
        Path socket = null;
        for (int i = 0; i < typed.size(); i++) {
            String word = typed.get(i);
            CommandLine sub = positionals.isEmpty() ? command.getSubcommands().get(word) : null;
            OptionSpec option = command.getCommandSpec().findOption(word);
            if (word.equals("--")) return null;
            if (sub != null) {
                command = sub;
            } else if (option != null && takesValue(option)) {
                if (i == typed.size() - 1) return new Position(command, positionals, option, socket);
                String value = typed.get(++i);
                if (word.equals(GlobalOptions.SOCKET)) socket = Path.of(value);
            } else if (!word.startsWith("-")) {
                positionals.add(word);
            }
        }
        return new Position(command, positionals, null, socket);
    }

    private static boolean takesValue(OptionSpec option) {
        return !option.typeInfo().isBoolean() && option.arity().max() > 0;
    }

    private static List<String> options(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden()).flatMap(o -> List.of(o.names()).stream()).sorted().toList();
    }

    /** A word in a positional place: a subcommand, or the service a command names (all, where it means every one). */
    private List<String> words(Position at) {
        var out = new ArrayList<String>();
        if (at.positionals().isEmpty()) {
            at.command().getSubcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) out.add(name);
            });
        }
        var positional = at.command().getCommandSpec().positionalParameters().stream()
                .filter(p -> p.index().contains(at.positionals().size())).findFirst();
        positional.ifPresent(p -> {
            if ("NAME".equals(p.paramLabel())) {
                out.addAll(serviceNames(at.socket()));
                if (AllServices.offers(at.command().getCommandName())) out.add(AllServices.ALL);
            } else if (p.completionCandidates() != null) {
                p.completionCandidates().forEach(out::add);
            }
        });
        return out;
    }

    private List<String> values(Position at, OptionSpec option) {
        if (option.longestName().equals(ACTION) && !at.positionals().isEmpty()) return actionNames(at.socket(), at.positionals().getFirst());
        var out = new ArrayList<String>();
        if (option.completionCandidates() != null) option.completionCandidates().forEach(out::add);
        return out;
    }

    private List<String> serviceNames(Path socket) {
        var out = new ArrayList<String>();
        ask(socket, "service.list", null).forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    private List<String> actionNames(Path socket, String service) {
        var out = new ArrayList<String>();
        ask(socket, "service.inspect", JsonNodeFactory.instance.objectNode().put("name", service))
                .path("actions").forEach(a -> out.add(a.path("name").asText()));
        return out;
    }

    /** The daemon's answer, or an empty node whatever went wrong: a completion never prints an error. */
    private JsonNode ask(Path socket, String method, JsonNode params) {
        Path path = socket != null ? socket : new GlobalOptions(null, false).socket(terminal.env());
        try {
            return new RpcClient(path, DAEMON_TIMEOUT).call(method, params);
        } catch (Exception e) {
            return JsonNodeFactory.instance.missingNode();
        }
    }
}
