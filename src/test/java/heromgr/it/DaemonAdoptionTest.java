package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import static heromgr.testkit.ProcFs.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon JVM killed with SIGKILL while hero_echo runs; the next daemon on the same HERO_HOME adopts it:
 * same pid, RUNNING, healthy, its log still growing, no second copy. Then a graceful stop leaves it running too.
 */
class DaemonAdoptionTest {
    /**
     * Not a temp dir: under Maven's target/ (gone with mvn clean), so only the first run pays for a full cargo build.
     * The dev profile: this test is about adoption, not about an optimized binary.
     */
    static final Path CARGO_TARGET = Path.of("target/cargo-adoption-it").toAbsolutePath();
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void aServiceOutlivesAKilledDaemonAndIsAdoptedByTheNext() throws Exception {
        Path home = daemons.root().resolve("home");
        Map<String, String> env = Map.of("CARGO_TARGET_DIR", CARGO_TARGET.toString(), "CODEROOT", daemons.root().resolve("code").toString());
        long pid;
        try (DaemonProcess first = daemons.startProcess(home, env)) {
            first.result("service.build", Map.of("name", "hero_echo", "profile", "dev"));
            first.result("service.install", Map.of("name", "hero_echo", "mode", "source"));
            assertThat(first.result("service.start", Map.of("name", "hero_echo")).get("healthy").asBoolean()).isTrue();
            pid = action(first).get("pid").asLong();
            Path state = home.resolve("var/heromgr/runtime.json");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(state) && Files.readString(state).contains("\"pid\":" + pid + ","));

            PosixSignals.kill(first.process.pid(), 9);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.process.isAlive());
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        try (DaemonProcess second = daemons.startProcess(home, env)) {
            JsonNode a = action(second);
            assertThat(a.get("state").asText()).isEqualTo("RUNNING");
            assertThat(a.get("pid").asLong()).isEqualTo(pid);
            assertThat(a.get("restart_count").asInt()).isZero();
            int before = logLines(second).size();
            assertThat(second.result("service.health", Map.of("name", "hero_echo")).get("ok").asBoolean()).isTrue();
            // the adopted process still writes to its log: the health request shows up in it
            await().atMost(Duration.ofSeconds(10)).until(() -> logLines(second).size() > before);
            assertThat(logLines(second).getLast()).contains("GET /health 200");
            JsonNode again = second.result("service.start", Map.of("name", "hero_echo"));
            assertThat(again.get("started")).isEmpty();
            assertThat(action(second).get("pid").asLong()).isEqualTo(pid);

            // a graceful stop leaves it running as well
            PosixSignals.kill(second.process.pid(), 15);
            await().atMost(Duration.ofSeconds(20)).until(() -> !second.process.isAlive());
            assertThat(second.process.exitValue()).isZero();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        try (DaemonProcess third = daemons.startProcess(home, env)) {
            assertThat(action(third).get("pid").asLong()).isEqualTo(pid);
            // an exit after re-adoption is seen through the pidfd and restarted by the policy; the process is not
            // this daemon's child, so how it ended cannot be known
            PosixSignals.kill(pid, 9);
            await().atMost(Duration.ofSeconds(10)).until(() -> action(third).get("pid").asLong() != pid
                    && action(third).get("state").asText().equals("RUNNING"));
            long restarted = action(third).get("pid").asLong();
            JsonNode adoptedJob = null;
            for (JsonNode job : action(third).get("jobs")) if (job.get("pid").asLong() == pid) adoptedJob = job;
            assertThat(adoptedJob).isNotNull();
            assertThat(adoptedJob.get("reason").asText()).isEqualTo("adopted: exit status unknown");
            JsonNode stop = third.result("service.stop", Map.of("name", "hero_echo"));
            assertThat(stop.get("state").asText()).isEqualTo("STOPPED");
            await().atMost(Duration.ofSeconds(10)).until(() -> !running(pid) && !running(restarted));
        }
    }

    @Test
    void servicesStartedJustBeforeTheDaemonIsKilledAreAdoptedNotStartedTwice() throws Exception {
        final int N = 20;
        // this run's own token: another checkout's suite running at the same time has sleeps of the same shape
        String token = String.format("100000.%07d4", ProcessHandle.current().pid());   // fixed width: no token is a prefix of another
        Path home = daemons.root().resolve("home");
        var calls = JsonCodec.MAPPER.createArrayNode();
        for (int i = 0; i < N; i++) {
            ObjectNode call = calls.addObject().put("jsonrpc", "2.0").put("id", i).put("method", "service.create");
            call.putObject("params").put("name", "quick" + i).putArray("argv").add("/bin/sleep").add(token + (1000 + i));
        }
        Map<String, Long> started = new HashMap<>();
        try (DaemonProcess first = daemons.startProcess(home)) {
            try (var c = new UnixHttpClient(first.socket, Duration.ofMinutes(1))) {
                JsonNode answers = JsonCodec.MAPPER.readTree(c.post("/rpc", "application/json",
                        calls.toString().getBytes(StandardCharsets.UTF_8)).body());
                // killed the moment the answers are in: the daemon had no time to write anything afterwards
                PosixSignals.kill(first.process.pid(), 9);
                assertThat(answers).hasSize(N).allSatisfy(a -> assertThat(a.has("error")).as(a.toString()).isFalse());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.process.isAlive());
        }
        List<Long> pids = sleepers(token);
        assertThat(pids).hasSize(N);

        try (DaemonProcess second = daemons.startProcess(home)) {
            for (int i = 0; i < N; i++) {
                JsonNode a = second.result("service.status", Map.of("name", "quick" + i)).at("/actions/0");
                assertThat(a.get("state").asText()).as("quick" + i).isEqualTo("RUNNING");
                assertThat(a.get("restart_count").asInt()).isZero();
                started.put("quick" + i, a.get("pid").asLong());
            }
            assertThat(started.values()).containsExactlyInAnyOrderElementsOf(pids);
            assertThat(sleepers(token)).as("no second copy").hasSize(N);
            for (int i = 0; i < N; i++) second.result("service.stop", Map.of("name", "quick" + i));
        }
    }

    /**
     * A batch of stops writes the state file once, at its end (manager.DeferredPersistence), and still answers only
     * once every "stopped" is on disk: a daemon killed the moment the answers are in restarts none of them.
     */
    @Test
    void aBatchOfStopsIsOnDiskBeforeItAnswers() throws Exception {
        final int N = 20;
        String token = String.format("100000.%07d5", ProcessHandle.current().pid());
        Path home = daemons.root().resolve("home");
        try (DaemonProcess first = daemons.startProcess(home)) {
            try (var c = new UnixHttpClient(first.socket, Duration.ofMinutes(1))) {
                assertThat(batch(c, "service.create", N, i -> Map.of("name", "calm" + i, "argv", List.of("/bin/sleep", token + (1000 + i)))))
                        .allSatisfy(a -> assertThat(a.has("error")).as(a.toString()).isFalse());
                JsonNode stops = batch(c, "service.stop", N, i -> Map.of("name", "calm" + i));
                PosixSignals.kill(first.process.pid(), 9);
                assertThat(stops).hasSize(N).allSatisfy(a -> assertThat(a.has("error")).as(a.toString()).isFalse());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.process.isAlive());
        }
        assertThat(sleepers(token)).isEmpty();
        try (DaemonProcess second = daemons.startProcess(home)) {
            for (int i = 0; i < N; i++) {
                JsonNode a = second.result("service.status", Map.of("name", "calm" + i)).at("/actions/0");
                assertThat(a.get("state").asText()).as("calm" + i).isEqualTo("STOPPED");
            }
            assertThat(sleepers(token)).as("nothing restarted").isEmpty();
        }
    }

    /**
     * A daemon killed while it waits out the stop timeout of a process that ignores SIGTERM: the next daemon finishes
     * that stop (SIGKILL after the timeout) instead of adopting the process as running.
     */
    @Test
    void aStopTheKilledDaemonWasWaitingOnIsFinishedByTheNext() throws Exception {
        Path home = daemons.root().resolve("home");
        Path state = home.resolve("var/heromgr/runtime.json");
        long pid;
        try (DaemonProcess first = daemons.startProcess(home)) {
            first.result("service.create", Map.of("name", "stubborn",
                    "argv", List.of("/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.1; done")));
            pid = daemons.killAtEnd(first.result("service.status", Map.of("name", "stubborn")).at("/actions/0/pid").asLong());
            // answered when the daemon dies: connection closed
            var stop = CompletableFuture.runAsync(() -> first.client().call("service.stop", Map.of("name", "stubborn")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(state).contains("\"state\":\"STOPPING\""));
            PosixSignals.kill(first.process.pid(), 9);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.process.isAlive());
            await().atMost(Duration.ofSeconds(10)).until(stop::isDone);
        }
        assertThat(running(pid)).as("it ignored SIGTERM").isTrue();

        try (DaemonProcess second = daemons.startProcess(home)) {
            // the default stop timeout (10 s) again, then SIGKILL
            await().atMost(Duration.ofSeconds(40)).until(() -> !running(pid));
            JsonNode a = second.result("service.status", Map.of("name", "stubborn")).at("/actions/0");
            assertThat(a.get("state").asText()).isEqualTo("STOPPED");
            assertThat(a.get("pid").asLong()).isZero();
            assertThat(a.get("restart_count").asInt()).isZero();
        }
    }

    /**
     * The run exits while no daemon runs, leaving a helper that made itself a session leader (setsid) in its cgroup:
     * it carries the run's marker, but it is not a run the state file missed, so the next daemon restarts the service
     * by its policy (the helper going with the ended run) instead of adopting the helper as the service.
     */
    @Test
    void aSetsidHelperOfARunThatEndedWhileNoDaemonRanIsNotAdoptedAsTheService() throws Exception {
        String token = String.format("100000.%07d6", ProcessHandle.current().pid());
        Path home = daemons.root().resolve("home");
        Path state = home.resolve("var/heromgr/runtime.json");
        Path flag = daemons.root().resolve("flag");
        String script = "/usr/bin/setsid /bin/sleep " + token + " & while [ ! -e " + flag + " ]; do sleep 0.05; done; exit 1";
        long pid;
        long helper;
        try (DaemonProcess first = daemons.startProcess(home)) {
            first.result("service.create", Map.of("name", "leaver", "argv", List.of("/bin/sh", "-c", script)));
            pid = daemons.killAtEnd(first.result("service.status", Map.of("name", "leaver")).at("/actions/0/pid").asLong());
            await().atMost(Duration.ofSeconds(10)).until(() -> sleepers(token).size() == 1
                    && Files.readString(state).contains("\"pid\":" + pid + ","));
            helper = daemons.killAtEnd(sleepers(token).getFirst());
            PosixSignals.kill(first.process.pid(), 9);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.process.isAlive());
        }
        Files.writeString(flag, "");
        await().atMost(Duration.ofSeconds(10)).until(() -> !running(pid));
        Files.delete(flag);
        assertThat(running(helper)).isTrue();

        try (DaemonProcess second = daemons.startProcess(home)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode a = second.result("service.status", Map.of("name", "leaver")).at("/actions/0");
                return a.get("state").asText().equals("RUNNING") && a.get("pid").asLong() != helper;
            });
            long restarted = daemons.killAtEnd(second.result("service.status", Map.of("name", "leaver")).at("/actions/0/pid").asLong());
            assertThat(restarted).isNotEqualTo(pid);
            await().atMost(Duration.ofSeconds(10)).until(() -> !running(helper));
            second.result("service.stop", Map.of("name", "leaver"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !running(restarted) && sleepers(token).isEmpty());
        }
    }

    private static JsonNode batch(UnixHttpClient c, String method, int n, IntFunction<Map<String, Object>> params) throws IOException {
        var calls = JsonCodec.MAPPER.createArrayNode();
        for (int i = 0; i < n; i++) {
            calls.addObject().put("jsonrpc", "2.0").put("id", i).put("method", method).set("params", JsonCodec.MAPPER.valueToTree(params.apply(i)));
        }
        return JsonCodec.MAPPER.readTree(c.post("/rpc", "application/json", calls.toString().getBytes(StandardCharsets.UTF_8)).body());
    }

    /** Live processes whose command line is /bin/sleep with an argument starting with the token. */
    private static List<Long> sleepers(String token) throws IOException {
        var out = new ArrayList<Long>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
                    long pid = Long.parseLong(dir.getFileName().toString());
                    if (cmd.startsWith("/bin/sleep\0" + token) && running(pid)) out.add(pid);
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        return out;
    }

    private static JsonNode action(DaemonProcess d) {
        return d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0");
    }

    private static List<String> logLines(DaemonProcess d) {
        var out = new ArrayList<String>();
        d.result("service.logs", Map.of("name", "hero_echo", "lines", 500)).get("lines").forEach(n -> out.add(n.asText()));
        return out;
    }
}
