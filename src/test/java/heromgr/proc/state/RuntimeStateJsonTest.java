package heromgr.proc.state;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionKind;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ExitStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.Job;
import heromgr.proc.Reclaim;
import heromgr.proc.ResourceLimits;
import heromgr.proc.RestartPolicy;
import heromgr.proc.Signal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;

/** runtime.json as the writer builds it from pieces: the same bytes as Jackson's of the whole state, spec made once. */
class RuntimeStateJsonTest {
    private static final ActionSpec FULL = new ActionSpec("server", List.of("/bin/sleep", "1"), Map.of("A", "b", "C", "d\"q"),
            Path.of("/tmp"), ActionKind.PROCESS, Signal.INT, Duration.ofMillis(2500), Path.of("/tmp/x.log"),
            RestartPolicy.onFailure().withStartLimit(4, Duration.ofSeconds(9)), new Reclaim(List.of(Path.of("/tmp/s/rpc.sock")), List.of(8080)),
            List.of(HealthCheck.HttpUnix.of(Path.of("/tmp/s/rpc.sock")), new HealthCheck.Tcp("127.0.0.1", 8080, Duration.ofSeconds(1))),
            HealthPolicy.defaults(), "nobody", "nogroup", new ResourceLimits(123));
    private static final ActionSpec PLAIN = ActionSpec.process("main", List.of("/bin/sleep", "100"), Map.of("HERO_HOME", "/h"),
            Path.of("/h"), Path.of("/h/var/log/s/main.log"));

    private record Snap(ActionSpec spec, ActionState state, long pid, long pgid, long startTicks, int restartCount,
                        ExitStatus lastExit, String reason, List<Job> jobs) implements SavedAction.Snapshot {
    }

    private static final class Runner implements SavedAction {
        Snap snapshot;

        Runner(Snap snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public Snapshot snapshot() {
            return snapshot;
        }
    }

    @Test
    void theFileIsJacksonsOwnSerializationOfTheStateItHolds() throws Exception {
        var job = new Job(7, 42, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:03Z"), 1, null, "gone");
        var web = new Runner(new Snap(FULL, ActionState.RUNNING, 42, 42, 1234, 2, ExitStatus.unknown(Instant.parse("2026-01-01T00:00:01Z")),
                null, List.of(job)));
        var db = new Runner(new Snap(PLAIN, ActionState.FAILED, 0, 0, 0, 11, ExitStatus.ofCode(3, Instant.parse("2026-01-01T00:00:02Z"), false),
                "start limit hit: \"x\"", List.of()));
        var services = new TreeMap<String, List<Runner>>(Map.of("web", List.of(web), "db", List.of(db, new Runner(
                new Snap(PLAIN, ActionState.STOPPED, 0, 0, 0, 0, null, null, List.of())))));
        var json = new RuntimeStateJson();

        byte[] file = join(json.serialize(services, r -> r));

        RuntimeState expected = new RuntimeState(RuntimeState.VERSION, List.of(
                new RuntimeState.Service("db", List.of(action(db.snapshot), action(new Snap(PLAIN, ActionState.STOPPED, 0, 0, 0, 0, null, null, List.of())))),
                new RuntimeState.Service("web", List.of(action(web.snapshot)))));
        assertThat(JsonCodec.MAPPER.readValue(file, RuntimeState.class)).isEqualTo(expected);
        // and byte for byte: the compact JSON of each action as Jackson writes the record
        String text = new String(file, UTF_8);
        assertThat(text).contains(new String(JsonCodec.MAPPER.writeValueAsBytes(action(web.snapshot)), UTF_8));
        assertThat(text).contains(new String(JsonCodec.MAPPER.writeValueAsBytes(action(db.snapshot)), UTF_8));
    }

    @Test
    void aPreparedSpecIsTheOneWrittenAndANewSpecIsFingerprintedAnew() throws Exception {
        var runner = new Runner(new Snap(PLAIN, ActionState.STARTING, 0, 0, 0, 0, null, null, List.of()));
        var json = new RuntimeStateJson();
        json.prepare(runner, PLAIN);
        String first = new String(join(json.serialize(Map.of("s", List.of(runner)), r -> r)), UTF_8);
        assertThat(first).contains(new String(JsonCodec.MAPPER.writeValueAsBytes(action(runner.snapshot)), UTF_8));

        runner.snapshot = new Snap(FULL, ActionState.RUNNING, 9, 9, 99, 0, null, null, List.of());
        String second = new String(join(json.serialize(Map.of("s", List.of(runner)), r -> r)), UTF_8);
        assertThat(second).contains("\"fingerprint\":\"" + RuntimeStateStore.fingerprint(FULL) + "\"")
                .doesNotContain(RuntimeStateStore.fingerprint(PLAIN));
        assertThat(second).contains(new String(JsonCodec.MAPPER.writeValueAsBytes(action(runner.snapshot)), UTF_8));
    }

    private static RuntimeState.Action action(SavedAction.Snapshot s) {
        return new RuntimeState.Action(s.spec(), RuntimeStateStore.fingerprint(s.spec()), s.state(), s.pid(), s.pgid(), s.startTicks(),
                s.restartCount(), s.lastExit(), s.reason(), s.jobs());
    }

    private static byte[] join(List<byte[]> pieces) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : pieces) out.writeBytes(p);
        return out.toByteArray();
    }
}
