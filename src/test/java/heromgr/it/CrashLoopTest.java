package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.proc.RestartPolicy;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promise 5 on a real daemon (a JVM of its own): twenty services that exit at once, with every restart delay and
 * limit at zero, are held to the daemon's floor together while it keeps answering, and its live heap after their
 * restarts is held against the one it had once they were looping ({@link HeapBound}). The floor's arithmetic and a
 * single loop are proven in proc.embedded (BackoffTest, RestartAndJobsTest); the latency under the loops lives in
 * bench/crashloop_bench.py.
 */
class CrashLoopTest {
    static final int LOOPERS = 20;
    /** Restarts counted after the warm-up: at the floor's 5 a second each, twenty loopers need at least 3 s for them. */
    static final int RESTARTS = 400;
    static final Duration POLL = Duration.ofMillis(500);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void twentyLoopsAsFastAsTheTuningAllowsAreHeldToTheFloorAndLeaveTheHeapBounded() throws IOException {
        DaemonProcess d = daemons.startProcess(daemons.root().resolve("home"));
        List<String> names = IntStream.range(0, LOOPERS).mapToObj(i -> "loop" + i).toList();
        for (String name : names) {
            d.result("service.create", Map.of("name", name, "argv", List.of("/bin/sh", "-c", "exit 1"), "restart", "always",
                    "restart_tuning", Map.of("initial_delay_ms", 0, "stable_ms", 0, "start_limit", 0)));
        }
        // past their bursts, every one of them at the floor's pace
        await().atMost(Duration.ofSeconds(120)).pollInterval(POLL)
                .until(() -> restarts(d).values().stream().allMatch(n -> n > RestartPolicy.CRASH_BURST));
        HeapBound warm = HeapBound.warm(d);

        long began = System.nanoTime();
        int before = total(d);
        await().atMost(Duration.ofSeconds(180)).pollInterval(POLL).until(() -> total(d) >= before + RESTARTS);
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        // a load can only slow the loops down; the buckets refilled while the heap was measured, so their bursts are
        // taken off
        int paced = RESTARTS - LOOPERS * RestartPolicy.CRASH_BURST;
        assertThat(took).as("%d restarts of %d loopers", RESTARTS, LOOPERS)
                .isGreaterThanOrEqualTo(RestartPolicy.CRASH_FLOOR.multipliedBy(paced / LOOPERS));
        assertThat(d.result("service.list", null).findValuesAsText("name")).as("the daemon answers").containsAll(names);
        warm.holdsIn(d, RESTARTS + " restarts of " + LOOPERS + " crash loops");
        for (String name : names) d.result("service.delete", Map.of("name", name));
    }

    /** The loopers' restarts, by name, from one service.list (a status call each would load the daemon more). */
    static Map<String, Integer> restarts(DaemonProcess d) {
        var out = new HashMap<String, Integer>();
        for (JsonNode s : d.result("service.list", null)) {
            if (s.get("name").asText().startsWith("loop")) out.put(s.get("name").asText(), s.get("restarts").asInt());
        }
        assertThat(out).hasSize(LOOPERS);
        return out;
    }

    static int total(DaemonProcess d) {
        return restarts(d).values().stream().mapToInt(Integer::intValue).sum();
    }
}
