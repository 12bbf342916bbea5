package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.ApiException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Runs one RPC for a command and turns the outcome into output and an exit code. Every client command goes
 * through here so errors look and exit the same everywhere.
 */
public final class RpcSession {
    /** Builds compile whole workspaces and start waits for health, so these get minutes rather than seconds. */
    private static final Set<String> SLOW_METHODS = Set.of("service.build", "service.install", "service.start", "service.restart",
            "service.upgrade", "service.deploy", "service.up", "service.down");
    private static final Duration SLOW = Duration.ofMinutes(10);
    private static final Duration NORMAL = Duration.ofSeconds(30);

    private final Terminal terminal;
    private final GlobalOptions options;
    /** "see `heromgr status --help`" for the command that makes the call; null: none to point at. */
    private final String helpOf;

    public RpcSession(Terminal terminal, GlobalOptions options) {
        this(terminal, options, (String) null);
    }

    RpcSession(Terminal terminal, GlobalOptions options, CommandSpec command) {
        this(terminal, options, UsageError.seeHelp(command.commandLine()));
    }

    /** helpOf: the line that points at the command's help after a usage error ("see `heromgr status --help`"). */
    RpcSession(Terminal terminal, GlobalOptions options, String helpOf) {
        this.terminal = terminal;
        this.options = options;
        this.helpOf = helpOf;
    }

    /** Something shown while a call runs (a progress bar), given the call's JSON-RPC id. */
    @FunctionalInterface
    interface Display {
        Display NONE = requestId -> () -> { };

        Shown show(String requestId);

        /** Closed once the answer is in, before anything of it is printed. */
        interface Shown extends AutoCloseable {
            @Override
            void close();
        }
    }

    public int invoke(String method, JsonNode params, ResultView view) {
        return invoke(method, params, view, Display.NONE);
    }

    int invoke(String method, JsonNode params, ResultView view, Display display) {
        var client = new RpcClient(options.socket(terminal.env()), timeoutFor(method));
        String requestId = display == Display.NONE ? null : "heromgr-cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        JsonNode result;
        try (Display.Shown _ = display.show(requestId)) {
            result = client.call(method, params, requestId);
        } catch (DaemonUnreachableException e) {
            return unreachable(e);
        } catch (ApiException e) {
            return reportError(e, params);
        } catch (IOException e) {
            String message = method + " failed: " + e.getMessage();
            if (options.json()) terminal.out().println(JsonText.pretty(JsonNodeFactory.instance.objectNode().put("message", message)));
            terminal.err().println("heromgr: " + message);
            return ExitCode.FAILED;
        }
        if (options.json()) {
            terminal.out().println(JsonText.pretty(result));
            return view.show(result, new HumanOutput(quiet()));
        }
        return view.show(result, new HumanOutput(terminal));
    }

    /** Tells that no daemon answers, as every command does; the exit code. */
    int unreachable(DaemonUnreachableException e) {
        if (options.json()) terminal.out().println(e.jsonMessage());
        terminal.err().println(e.userMessage(terminal.env()));
        return ExitCode.UNREACHABLE;
    }

    /** Tells an error the daemon answered to a call made outside {@link #invoke} (params: what was sent); the exit code. */
    int report(ApiException e, JsonNode params) {
        return reportError(e, params);
    }

    static Duration timeoutFor(String method) {
        return SLOW_METHODS.contains(method) ? SLOW : NORMAL;
    }

    private int reportError(ApiException e, JsonNode params) {
        int exit = switch (e.code()) {
            case SERVICE_NOT_FOUND -> ExitCode.NO_SUCH_SERVICE;
            case INVALID_PARAMS -> ExitCode.USAGE;
            case FORBIDDEN -> ExitCode.FORBIDDEN;
            case null, default -> ExitCode.FAILED;
        };
        JsonNode data = (JsonNode) e.data();
        if (options.json()) {
            terminal.out().println(JsonText.pretty(errorObject(e, data)));
            return exit;
        }
        if (exit == ExitCode.USAGE) {
            // a value the daemon refused is the typist's mistake: said like one, with where to read more
            for (String line : ParamProblems.describe(e.getMessage(), params)) terminal.err().println("heromgr: " + line);
            if (helpOf != null) terminal.err().println(helpOf);
            return exit;
        }
        terminal.err().println(exit == ExitCode.NO_SUCH_SERVICE
                ? "heromgr: " + e.getMessage()
                : "heromgr: " + e.getMessage() + " (code " + e.number() + ")");
        // Build failures carry the tail of the compiler's output, failed starts the service's last log lines (a `run`
        // whose command exited at once): without them the user would have to go find the log.
        JsonNode output = data == null ? null : data.has("output") ? data.get("output") : data.get("log");
        if (output != null && output.isArray()) {
            for (JsonNode line : output) terminal.err().println(line.asText());
        }
        return exit;
    }

    /** The error object as the daemon sent it: code, message, and data when there was any (the order it writes them in). */
    private static ObjectNode errorObject(ApiException e, JsonNode data) {
        ObjectNode error = JsonNodeFactory.instance.objectNode().put("code", e.number()).put("message", e.getMessage());
        if (data != null) error.set("data", data);
        return error;
    }

    /**
     * With --json the view still runs (it decides the exit code, e.g. health's), but its text goes nowhere:
     * stdout must hold only the JSON.
     */
    private Terminal quiet() {
        var sink = new PrintWriter(Writer.nullWriter());
        return new Terminal(sink, terminal.err(), terminal.env(), false);
    }
}
