package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several clients of one daemon, each on its own thread with one kept-alive connection: a fuzz run's requests cost an
 * exchange each, not a connect each, and the daemon meets them concurrently. Closing it closes every connection.
 */
final class KeptAliveClients implements AutoCloseable {
    private final List<UnixHttpClient> opened = new ArrayList<>();
    private final ThreadLocal<UnixHttpClient> mine;
    private final ExecutorService threads;

    KeptAliveClients(Path socket, int count) {
        mine = ThreadLocal.withInitial(() -> {
            var c = new UnixHttpClient(socket, Duration.ofMinutes(1));
            synchronized (opened) {
                opened.add(c);
            }
            return c;
        });
        threads = Executors.newFixedThreadPool(count);
    }

    /** The answer to a body posted to /rpc on this thread's connection; null for 204 (notifications only). */
    JsonNode post(String body) {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #post(String)}, with the body's bytes as they are (another encoding, say). */
    JsonNode post(byte[] body) {
        try {
            var r = mine.get().post("/rpc", "application/json", body);
            return r.status() == 204 ? null : JsonCodec.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(new String(body, StandardCharsets.ISO_8859_1), e);
        }
    }

    /** Each body posted from one of the threads, all at once; the answers in the bodies' order. */
    List<JsonNode> postAll(List<String> bodies) {
        List<Future<JsonNode>> pending = bodies.stream().map(b -> threads.submit(() -> post(b))).toList();
        List<JsonNode> answers = new ArrayList<>();
        try {
            for (Future<JsonNode> f : pending) answers.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return answers;
    }

    @Override
    public void close() {
        threads.close();
        synchronized (opened) {
            opened.forEach(UnixHttpClient::close);
        }
    }
}
