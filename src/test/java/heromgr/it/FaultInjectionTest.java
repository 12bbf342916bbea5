package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.CrashPoint;
import heromgr.fs.FileDigest;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon stopped dead (SIGKILL to itself, {@code HEROMGR_CRASH_AT}) at a named point inside a create batch, a
 * state write, a definition write, an operation-log append, an install or a build's record; a new daemon on the same
 * home then holds every invariant: no half-written file, no temp file left, no duplicate process, no orphan, every
 * answered operation there, and each service of the unanswered batch either absent or whole (its definition, and it
 * starts). Its live heap at the end is held against the first daemon's ({@link HeapBound}): a recovery costs no
 * lasting memory.
 */
class FaultInjectionTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final List<String> SLEEP = List.of("/bin/sleep", "100000");
    private static final List<String> BATCH = List.of("b0", "b1", "b2", "b3", "b4");
    /** After the batch, recorded operations, in order: (method, service, the state it leaves when answered). */
    private static final List<List<String>> AFTER = List.of(
            List.of("service.restart", "keep", "RUNNING"), List.of("service.stop", "keep", "STOPPED"),
            List.of("service.start", "idle", "RUNNING"), List.of("service.start", "keep", "RUNNING"),
            List.of("service.stop", "idle", "STOPPED"));

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @ParameterizedTest
    @ValueSource(strings = {"create-defined:3", "definition-temp-written:3", "definition-renamed:3", "state-temp-written:3",
            "state-renamed:3", "ops-mid-record:2"})
    void aDaemonStoppedDeadInACreateBatchLeavesEachServiceWholeOrAbsent(String point) throws IOException {
        Path home = daemons.root().resolve("home");
        DaemonProcess first = daemons.startProcess(home);
        first.result("service.create", Map.of("name", "keep", "argv", SLEEP));
        first.result("service.create", Map.of("name", "idle", "argv", SLEEP, "start", false));
        HeapBound warm = HeapBound.warm(first);
        first.close();

        DaemonProcess armed = daemons.startProcess(home, Map.of(CrashPoint.VARIABLE, point));
        var answered = new LinkedHashMap<String, String>(); // service -> the state its last answered operation left
        answered.put("keep", "RUNNING");
        answered.put("idle", "STOPPED");
        var unanswered = new ArrayList<String>();
        var recorded = new ArrayList<List<String>>();
        JsonNode batch = answerOrNull(() -> armed.client().postRpc(createBatch()));
        if (batch == null) {
            unanswered.addAll(BATCH);
        } else {
            for (JsonNode a : batch) assertThat(a.has("result")).as(a.toString()).isTrue();
            BATCH.forEach(n -> answered.put(n, "RUNNING"));
            for (List<String> op : AFTER) {
                JsonNode a = answerOrNull(() -> armed.client().call(op.get(0), Map.of("name", op.get(1))));
                if (a == null) {
                    unanswered.add(op.get(1));
                    break;
                }
                assertThat(a.has("result")).as(a.toString()).isTrue();
                answered.put(op.get(1), op.get(2));
                recorded.add(op);
            }
        }
        stoppedDeadAt(armed, point);

        DaemonProcess next = daemons.startProcess(home);
        var invariants = new CrashInvariants(home);
        invariants.filesAreWhole();
        unanswered.forEach(answered::remove);
        for (String name : unanswered) wholeOrAbsent(next, invariants, name);
        await().atMost(BOUND).untilAsserted(() -> answered.forEach((name, state) ->
                assertThat(next.result("service.status", Map.of("name", name)).get("state").asText()).as(name).isEqualTo(state)));
        for (List<String> op : recorded) {
            assertThat(next.result("service.ops", Map.of("name", op.get(1), "limit", 100)).findValuesAsText("method"))
                    .as("the answered %s %s is in the operation log", op.get(0), op.get(1)).contains(op.get(0));
        }
        invariants.noDuplicateAndNoOrphan(next);
        warm.holdsIn(next, "a crash at " + point + " and the recovery");
    }

    @ParameterizedTest
    @ValueSource(strings = {"install-downloaded", "install-verified", "install-switching", "install-before-record",
            "install-record-temp-written", "install-record-renamed"})
    void anInstallStoppedDeadLeavesTheOldVersionOrTheNewOneWhole(String point) throws IOException {
        byte[] v1 = Files.readAllBytes(Path.of("/bin/true"));
        byte[] v2 = Files.readAllBytes(Path.of("/bin/false"));
        var forge = new FakeForge("hero/hero_echo");
        daemons.atEnd(forge::close);
        forge.release("v1.0.0", Instant.parse("2026-10-01T12:00:00Z"), Map.of(EchoReleases.ASSET, v1));
        forge.release("v2.0.0", Instant.parse("2026-11-01T12:00:00Z"), Map.of(EchoReleases.ASSET, v2));
        var env = Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000");
        Path home = daemons.root().resolve("home");
        Path binary = home.resolve("bin/hero_echo_server");
        DaemonProcess first = daemons.startProcess(home, env);
        first.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        HeapBound warm = HeapBound.warm(first);
        first.close();

        var armedEnv = new HashMap<>(env);
        armedEnv.put(CrashPoint.VARIABLE, point);
        DaemonProcess armed = daemons.startProcess(home, armedEnv);
        assertThat(answerOrNull(() -> armed.client().call("service.install",
                Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0")))).isNull();
        stoppedDeadAt(armed, point);

        DaemonProcess next = daemons.startProcess(home, env);
        new CrashInvariants(home).filesAreWhole();
        String version = next.result("service.inspect", Map.of("name", "hero_echo")).at("/installed/version").asText();
        assertThat(version).as("the record names one of the two").isIn("v1.0.0", "v2.0.0");
        assertThat(Files.readAllBytes(binary)).as("the binary is the one its record names, whole")
                .isEqualTo(version.equals("v1.0.0") ? v1 : v2);
        assertThat(next.result("service.verify", Map.of("name", "hero_echo")).path("ok").asBoolean())
                .as("verify: %s", next.result("service.verify", Map.of("name", "hero_echo"))).isTrue();
        next.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0"));
        assertThat(Files.readAllBytes(binary)).isEqualTo(v2);
        warm.holdsIn(next, "a crash at " + point + " and the recovery");
    }

    /**
     * A real cargo build (hero_echo, dev profile, into the target folder DaemonAdoptionTest builds in, so cargo only
     * checks it is fresh) cut while its record is written: the record is the earlier build's or this one's, whole,
     * naming binaries that are there with its digests, and an install from it works.
     */
    @ParameterizedTest
    @ValueSource(strings = {"build-record-temp-written", "build-record-renamed"})
    void aBuildStoppedDeadLeavesItsRecordWholeAndInstallable(String point) throws IOException {
        var env = Map.of("CARGO_TARGET_DIR", DaemonAdoptionTest.CARGO_TARGET.toString(),
                "CODEROOT", daemons.root().resolve("code").toString());
        Map<String, Object> build = Map.of("name", "hero_echo", "profile", "dev", "force", true);
        Path home = daemons.root().resolve("home");
        DaemonProcess first = daemons.startProcess(home, env);
        JsonNode earlier = first.result("service.build", build);
        HeapBound warm = HeapBound.warm(first);
        first.close();

        var armedEnv = new HashMap<>(env);
        armedEnv.put(CrashPoint.VARIABLE, point);
        DaemonProcess armed = daemons.startProcess(home, armedEnv);
        assertThat(answerOrNull(() -> armed.client().call("service.build", build))).isNull();
        stoppedDeadAt(armed, point);

        DaemonProcess next = daemons.startProcess(home, env);
        new CrashInvariants(home).filesAreWhole();
        JsonNode record = next.result("service.inspect", Map.of("name", "hero_echo")).get("last_build");
        if (point.endsWith("temp-written")) assertThat(record).as("not renamed: the earlier record").isEqualTo(earlier);
        for (JsonNode binary : record.get("binaries")) {
            assertThat(FileDigest.sha256(Path.of(binary.get("path").asText()))).as(binary.toString())
                    .isEqualTo(binary.get("sha256").asText());
        }
        next.result("service.install", Map.of("name", "hero_echo", "mode", "source"));
        assertThat(next.result("service.verify", Map.of("name", "hero_echo")).path("ok").asBoolean())
                .as("verify: %s", next.result("service.verify", Map.of("name", "hero_echo"))).isTrue();
        warm.holdsIn(next, "a crash at " + point + " and the recovery");
    }

    /** A service a call got no answer for: absent (no definition, not listed), or listed with its definition and it starts. */
    private static void wholeOrAbsent(DaemonProcess d, CrashInvariants home, String name) {
        Path definition = home.state().resolve("transient/" + name + ".json");
        JsonNode status = d.client().call("service.status", Map.of("name", name));
        if (status.has("error")) {
            assertThat(status.at("/error/code").asInt()).as(name + ": " + status).isEqualTo(-32001);
            assertThat(definition).as("no definition of the absent " + name).doesNotExist();
            return;
        }
        assertThat(definition).as("the definition of " + name).exists();
        d.result("service.start", Map.of("name", name));
        await().atMost(BOUND).until(() -> d.result("service.status", Map.of("name", name)).get("state").asText().equals("RUNNING"));
    }

    private static String createBatch() {
        var calls = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < BATCH.size(); i++) {
            calls.add(Map.of("jsonrpc", "2.0", "id", i, "method", "service.create",
                    "params", Map.of("name", BATCH.get(i), "argv", SLEEP)));
        }
        try {
            return JsonCodec.MAPPER.writeValueAsString(calls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon died under the call: no answer (the connection closed). */
    static JsonNode answerOrNull(Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (UncheckedIOException noAnswer) {
            return null;
        }
    }

    /** It exited by SIGKILL at the point, and said so first. */
    static void stoppedDeadAt(DaemonProcess armed, String point) throws IOException {
        await().atMost(BOUND).until(() -> !armed.process.isAlive());
        assertThat(armed.process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(armed.stderrText()).contains("crash point " + point.split(":")[0] + " reached");
    }
}
