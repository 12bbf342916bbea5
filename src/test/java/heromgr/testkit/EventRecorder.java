package heromgr.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A subscriber of the daemon's GET /events, as a client would be: it reads the stream on a virtual thread and keeps
 * every event (the JSON of each data line) and comment line. Opening returns once the subscription is live (its
 * first comment arrived), so nothing published afterwards is missed. Closing it ends the stream.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Duration BOUND = Duration.ofSeconds(10);

    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    public final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final UnixHttpClient client;

    private EventRecorder(Path socket, String query) {
        client = new UnixHttpClient(socket, BOUND);
        var opened = new CountDownLatch(1);
        reader = Thread.ofVirtual().start(() -> {
            try {
                var in = new BufferedReader(new InputStreamReader(client.stream("/events" + query), StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(":")) {
                        comments.add(line);
                        opened.countDown();
                    }
                    if (line.startsWith("data: ")) events.add(JsonCodec.MAPPER.readTree(line.substring(6)));
                }
            } catch (IOException e) {
                comments.add("ended: " + e.getMessage());
            }
        });
        await().atMost(BOUND).until(() -> opened.getCount() == 0);
    }

    public static EventRecorder follow(Path socket, String query) {
        return new EventRecorder(socket, query);
    }

    public List<JsonNode> matching(Predicate<JsonNode> which) {
        return events.stream().filter(which).toList();
    }

    /** The stream ended (the daemon closed it): the reader is done. */
    public boolean ended() {
        return !reader.isAlive();
    }

    /** Waits (bounded) for an event that matches and returns the first one. */
    public JsonNode awaitEvent(Predicate<JsonNode> which) {
        await().atMost(BOUND).until(() -> !matching(which).isEmpty());
        return matching(which).getFirst();
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        reader.join(BOUND);
    }
}
