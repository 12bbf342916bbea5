package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.http.UnixHttpClient;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * `heromgr ui`: the Admin UI's URL with the token (read from the 0600 file only the daemon's user can read), as the
 * daemon's GET /health names them; --viewer gives the viewer token's URL instead (a page that may only look), --open
 * hands it to xdg-open. A daemon without a loopback listener is asked to open one (rpc.http; operate access).
 */
final class UiCommand extends LeafCommand {
    private static final String OPEN = "--open";
    private static final String VIEWER = "--viewer";
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final String OPEN_LISTENER = "rpc.http";

    UiCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("ui", "Print the Admin UI's URL (with its token), or open it in a browser.");
        GlobalOptions.declare(spec);
        spec.addOption(flagOption(OPEN, "Open the URL with xdg-open."));
        spec.addOption(flagOption(VIEWER, "The viewer's URL: its token may only read (list, status, logs, the pages), never change."));
        return spec;
    }

    @Override
    public Integer call() {
        GlobalOptions global = GlobalOptions.read(commandSpec());
        Path socket = global.socket(terminal.env());
        JsonNode health;
        try (var http = new UnixHttpClient(socket, ANSWER)) {
            health = JsonText.read(http.get("/health").body());
        } catch (IOException e) {
            if (global.json()) terminal.out().println(new DaemonUnreachableException(socket, e.getMessage()).jsonMessage());
            terminal.err().println("heromgr: the daemon is not reachable on " + socket + ": " + e.getMessage());
            return ExitCode.UNREACHABLE;
        }
        Listener listener;
        if (health.hasNonNull("http")) {
            listener = new Listener(health.path("http").asText(), health.path("http_token_file").asText(null),
                    health.path("http_viewer_token_file").asText(null));
        } else {
            switch (openListener(global, socket)) {
                case Refused refused -> {
                    return refused.exit();
                }
                case Listener opened -> listener = opened;
            }
        }
        String token = token(listener, Boolean.TRUE.equals(option(VIEWER)));
        if (token == null) return ExitCode.FAILED;
        String url = listener.url() + "?token=" + token;
        terminal.out().println(global.json() ? JsonText.pretty(JsonNodeFactory.instance.objectNode().put("url", url)) : url);
        return Boolean.TRUE.equals(option(OPEN)) ? open(url) : ExitCode.OK;
    }

    /** What asking the daemon for its listener gave. */
    private sealed interface Opening permits Listener, Refused {
    }

    /** The Admin UI's URL and its two token files (null when the daemon did not name one). */
    private record Listener(String url, String tokenFile, String viewerTokenFile) implements Opening {
    }

    /** Not opened, and said why: the exit code. */
    private record Refused(int exit) implements Opening {
    }

    /**
     * A daemon started without --http is asked to open its loopback listener (rpc.http, operate access): the
     * listener, or the exit code once the refusal is told.
     */
    private Opening openListener(GlobalOptions global, Path socket) {
        var session = new RpcSession(terminal, global);
        JsonNode params = JsonNodeFactory.instance.objectNode();
        try {
            JsonNode r = new RpcClient(socket, RpcSession.timeoutFor(OPEN_LISTENER)).call(OPEN_LISTENER, params);
            return new Listener(r.path("url").asText(), r.path("token_file").asText(), r.path("viewer_token_file").asText());
        } catch (DaemonUnreachableException e) {
            return new Refused(session.unreachable(e));
        } catch (ApiException e) {
            int exit = session.report(e, params);
            if (e.code() == ErrorCode.FORBIDDEN && !global.json()) {
                terminal.err().println("heromgr: opening the Admin UI's listener needs operate access; ask an operator to run"
                        + " `heromgr ui` (then `heromgr ui --viewer` gives you the viewer's URL), or to run the daemon with --http");
            }
            return new Refused(exit);
        } catch (IOException e) {
            terminal.err().println("heromgr: " + OPEN_LISTENER + " failed: " + e.getMessage());
            return new Refused(ExitCode.FAILED);
        }
    }

    /** The operator's or the viewer's token, from its file; null (and said why) when unreadable. */
    private String token(Listener listener, boolean viewer) {
        String whose = viewer ? "viewer token" : "token";
        String file = viewer ? listener.viewerTokenFile() : listener.tokenFile();
        if (file == null) {
            terminal.err().println("heromgr: the daemon does not name its " + whose + " file (in GET /health)");
            return null;
        }
        Path tokenFile = Path.of(file);
        try {
            return Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            terminal.err().println("heromgr: cannot read the Admin UI's " + whose + " in " + tokenFile
                    + " (only the daemon's user can): " + e.getMessage());
            return null;
        }
    }

    private int open(String url) {
        try {
            // no shell: the URL is one argument
            new ProcessBuilder("xdg-open", url).inheritIO().start();
            return ExitCode.OK;
        } catch (IOException e) {
            terminal.err().println("heromgr: cannot run xdg-open (" + e.getMessage() + "); open the URL above in a browser");
            return ExitCode.FAILED;
        }
    }
}
