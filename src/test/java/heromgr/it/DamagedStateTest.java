package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * runtime.json damaged while its daemon was down (killed with SIGKILL): cut at several offsets, then filled with
 * garbage. Each next daemon finds the running services by the marker in their environment, adopts them with the
 * same pids, starts no second copy, and keeps every damaged copy under a name of its own.
 */
class DamagedStateTest {
    private static final int SERVICES = 3;
    private static final Duration BOUND = Duration.ofSeconds(20);
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    /** How the file is damaged in each round: cut to nothing, to a byte, in half, just before its last brace; then garbage. */
    static final List<UnaryOperator<byte[]>> DAMAGES = List.of(
            b -> new byte[0],
            b -> Arrays.copyOf(b, 1),
            b -> Arrays.copyOf(b, b.length / 2),
            b -> Arrays.copyOf(b, new String(b, StandardCharsets.UTF_8).lastIndexOf('}')),
            b -> "\u0000\u00ff garbage {[\"".getBytes(StandardCharsets.UTF_8));

    @Test
    void runningServicesSurviveEveryDamageOfTheStateFileWithTheirPids() throws Exception {
        Path home = daemons.root().resolve("home");
        Path state = home.resolve("var/heromgr/runtime.json");
        Map<String, Long> pids = new HashMap<>();
        DaemonProcess daemon = daemons.startProcess(home);
        for (int i = 0; i < SERVICES; i++) {
            daemon.result("service.create", Map.of("name", "keep" + i, "argv", List.of("/bin/sleep", "100000")));
            pids.put("keep" + i, pid(daemon, "keep" + i));
        }
        for (int round = 0; round < DAMAGES.size(); round++) {
            await().atMost(BOUND).until(() -> pids.values().stream().allMatch(p -> stateHolds(state, p)));
            killHard(daemon);
            Files.write(state, DAMAGES.get(round).apply(Files.readAllBytes(state)));

            daemon = daemons.startProcess(home);
            for (var e : pids.entrySet()) {
                JsonNode a = daemon.result("service.status", Map.of("name", e.getKey())).at("/actions/0");
                assertThat(a.get("state").asText()).as("round %d %s", round, e.getKey()).isEqualTo("RUNNING");
                assertThat(a.get("pid").asLong()).as("round %d %s", round, e.getKey()).isEqualTo(e.getValue());
                assertThat(daemon.result("service.start", Map.of("name", e.getKey())).get("started")).isEmpty();
            }
            assertThat(marked(state)).as("round %d: no second copy", round).containsExactlyInAnyOrderElementsOf(pids.values());
            assertThat(damagedCopies(state)).as("every damaged copy kept").hasSize(round + 1);
            assertThat(daemon.stderrText()).contains("runtime state " + state + " is damaged")
                    .contains("found " + SERVICES + " running processes of " + SERVICES + " services by their marker");
        }
        killHard(daemon);
    }

    private static long pid(DaemonProcess d, String service) {
        return d.result("service.status", Map.of("name", service)).at("/actions/0/pid").asLong();
    }

    private static boolean stateHolds(Path state, long pid) {
        try {
            return Files.readString(state).contains("\"pid\":" + pid + ",");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void killHard(DaemonProcess d) {
        PosixSignals.kill(d.process.pid(), 9);
        await().atMost(BOUND).until(() -> !d.process.isAlive());
    }

    /** The live processes spawned under this state file (the marker names it). */
    private static List<Long> marked(Path state) {
        return ProcFs.withEnvironmentEntry("HEROMGR_ACTION=" + state + "#");
    }

    private static List<Path> damagedCopies(Path state) throws IOException {
        try (Stream<Path> files = Files.list(state.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith("runtime.json.damaged-")).toList();
        }
    }
}
