package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import heromgr.http.UnixHttpClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Follows a server-sent-events stream of the daemon (/events, /logs) and hands each data line on, until it ends. */
final class SseClient {
    private SseClient() {
    }

    /** json: a failure is also told on stdout as one JSON object (the data lines are the caller's to shape). */
    static int follow(Terminal terminal, Path socket, String path, boolean json, Consumer<String> onData) {
        if (!Files.exists(socket)) return unreachable(terminal, socket, "no such socket", json);
        try (var client = new UnixHttpClient(socket, Duration.ofSeconds(10))) {
            var lines = new BufferedReader(new InputStreamReader(client.stream(path), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data: ")) continue;
                onData.accept(line.substring("data: ".length()));
                terminal.out().flush();
            }
            return ExitCode.OK;
        } catch (ConnectException e) {
            return unreachable(terminal, socket, "connection refused", json);
        } catch (IOException e) {
            if (json) terminal.out().println(JsonText.pretty(JsonNodeFactory.instance.objectNode().put("message", "stream ended: " + e.getMessage())));
            terminal.err().println("heromgr: stream ended: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    private static int unreachable(Terminal terminal, Path socket, String why, boolean json) {
        var failure = new DaemonUnreachableException(socket, why);
        if (json) terminal.out().println(failure.jsonMessage());
        terminal.err().println(failure.userMessage(terminal.env()));
        return ExitCode.UNREACHABLE;
    }
}
