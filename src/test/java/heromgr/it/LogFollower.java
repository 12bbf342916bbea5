package heromgr.it;

import heromgr.http.UnixHttpClient;
import heromgr.testkit.DaemonExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client of GET /logs on its own virtual thread, keeping each `data:` line; it ends when the daemon closes the stream. */
final class LogFollower {
    final List<String> data = new CopyOnWriteArrayList<>();
    private final Thread reader;

    LogFollower(Path socket, String query) {
        reader = Thread.ofVirtual().start(() -> {
            try (var c = new UnixHttpClient(socket, Duration.ofSeconds(10))) {
                var in = new BufferedReader(new InputStreamReader(c.stream("/logs" + query), StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("data: ")) data.add(line.substring(6));
                }
            } catch (IOException e) {
                data.add("ended: " + e.getMessage());
            }
        });
    }

    /**
     * The `data:` lines of GET /logs with this query as they come; the reader is waited for after the test, once the
     * extension has closed the daemon (which ends the stream).
     */
    static List<String> follow(DaemonExtension daemons, Path socket, String query) {
        var follower = new LogFollower(socket, query);
        daemons.atEnd(follower::join);
        return follower.data;
    }

    /** Waits for the reader to end (after the daemon closed), bounded. */
    void join() throws InterruptedException {
        reader.join(Duration.ofSeconds(10));
    }
}
