package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.proc.os.PosixSignals;
import heromgr.service.HeroService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 20 clients issue random start / stop / restart on 5 services for 30 s (STORM_SECONDS overrides). Afterwards each
 * service's state matches the last operation that took effect on it, exactly one process runs per running service
 * and none per stopped one, and the operation log holds every call.
 */
class StormTest {
    static final int CLIENTS = 20;
    static final int SERVICES = 5;
    /** A bound on the storm besides its time, so a fast machine stays within what the log keeps before compaction. */
    static final int MAX_CALLS = 9_000;
    static final String TOKEN = "1000." + System.nanoTime();

    TestDaemon d;

    @AfterEach
    void down() throws IOException {
        if (d != null) d.close();
        for (long pid : processesWithToken("")) PosixSignals.kill(pid, 9);
    }

    @Test
    void theFinalStateMatchesTheLastOperationAndNothingIsLeftBehind() throws Exception {
        List<HeroService> services = new ArrayList<>();
        // each /bin/sleep's argv carries this run's token, so the test finds exactly its own processes in /proc
        for (int i = 0; i < SERVICES; i++) services.add(CommandService.of("storm" + i, "/bin/sleep", TOKEN + i));
        d = TestDaemon.start(services, Map.of());
        long seconds = Long.parseLong(System.getenv().getOrDefault("STORM_SECONDS", "30"));
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        var calls = new AtomicInteger();
        var failures = new ConcurrentLinkedQueue<String>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                long seed = c;
                clients.submit(() -> storm(new Random(seed), end, calls, failures));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(calls.get()).isGreaterThan(CLIENTS);

        for (int i = 0; i < SERVICES; i++) {
            String name = "storm" + i;
            JsonNode inspect = d.result("service.inspect", Map.of("name", name));
            String last = inspect.at("/last_change/operation").asText();
            String state = inspect.at("/runtime/state").asText();
            String expected = last.equals("stop") ? "STOPPED" : "RUNNING";
            assertThat(state).as(name + " after " + last).isEqualTo(expected);
            assertThat(processesWithToken(String.valueOf(i))).as(name + " processes").hasSize(expected.equals("RUNNING") ? 1 : 0);
        }
        // the API answers with the newest 5000; the append-only file holds every call until it is compacted at 10000
        JsonNode ops = d.result("service.ops", Map.of("limit", 5000));
        assertThat(ops.size()).isEqualTo(Math.min(calls.get(), 5000));
        assertThat(calls.get()).as("calls fit the log before compaction").isLessThan(10_000);
        try (var lines = Files.lines(d.paths.state().resolve("ops/ops.jsonl"))) {
            assertThat(lines.count()).isEqualTo(calls.get());
        }
    }

    private void storm(Random random, long end, AtomicInteger calls, ConcurrentLinkedQueue<String> failures) {
        String[] methods = {"service.start", "service.stop", "service.restart"};
        try (var client = new UnixHttpClient(d.socket(), Duration.ofMinutes(2))) {
            while (System.nanoTime() < end && calls.get() < MAX_CALLS) {
                String method = methods[random.nextInt(methods.length)];
                String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":{\"name\":\"storm"
                        + random.nextInt(SERVICES) + "\"}}";
                JsonNode answer = JsonCodec.MAPPER.readTree(client.post("/rpc", "application/json",
                        body.getBytes(StandardCharsets.UTF_8)).body());
                calls.incrementAndGet();
                if (answer.has("error")) failures.add(method + ": " + answer.get("error"));
            }
        } catch (IOException e) {
            failures.add(e.toString());
        }
    }

    /** Live processes whose command line holds this run's token (+ suffix), zombies excluded. */
    static List<Long> processesWithToken(String suffix) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                try (InputStream cmd = Files.newInputStream(dir.resolve("cmdline")); InputStream stat = Files.newInputStream(dir.resolve("stat"))) {
                    String argv = new String(cmd.readAllBytes(), StandardCharsets.UTF_8);
                    String st = new String(stat.readAllBytes(), StandardCharsets.UTF_8);
                    char state = st.charAt(st.lastIndexOf(')') + 2);
                    if (argv.contains(TOKEN + suffix) && state != 'Z') pids.add(Long.parseLong(dir.getFileName().toString()));
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        return pids;
    }
}
