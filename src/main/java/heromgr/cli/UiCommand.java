package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
 * hands it to xdg-open. Without a loopback listener it says how to get one.
 */
final class UiCommand extends LeafCommand {
    private static final String OPEN = "--open";
    private static final String VIEWER = "--viewer";
    private static final Duration ANSWER = Duration.ofSeconds(5);

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
        if (!health.hasNonNull("http")) {
            terminal.err().println("heromgr: the daemon serves the Admin UI on " + health.path("admin_socket").asText("admin.sock")
                    + " only; for a browser, run it with `heromgr daemon --http 127.0.0.1:0`");
            return ExitCode.FAILED;
        }
        String token = token(health, Boolean.TRUE.equals(option(VIEWER)));
        if (token == null) return ExitCode.FAILED;
        String url = health.path("http").asText() + "?token=" + token;
        terminal.out().println(global.json() ? JsonText.pretty(JsonNodeFactory.instance.objectNode().put("url", url)) : url);
        return Boolean.TRUE.equals(option(OPEN)) ? open(url) : ExitCode.OK;
    }

    /** The operator's or the viewer's token, from the file GET /health names; null (and said why) when unreadable. */
    private String token(JsonNode health, boolean viewer) {
        String whose = viewer ? "viewer token" : "token";
        String field = viewer ? "http_viewer_token_file" : "http_token_file";
        if (!health.hasNonNull(field)) {
            terminal.err().println("heromgr: the daemon does not name its " + whose + " file (" + field + " in GET /health)");
            return null;
        }
        Path tokenFile = Path.of(health.path(field).asText());
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
