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

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** runtime.json's records: what one daemon writes, the next one reads back the same. */
class RuntimeStateTest {
    @Test
    void aSpecWithEveryFieldSurvivesTheJsonRoundTripOfTheStateFile() throws Exception {
        ActionSpec spec = new ActionSpec("server", List.of("/bin/sleep", "1"), Map.of("A", "b"), Path.of("/tmp"), ActionKind.PROCESS,
                Signal.INT, Duration.ofMillis(2500), Path.of("/tmp/x.log"),
                RestartPolicy.onFailure().withBackoff(Duration.ofMillis(5), 3.0, Duration.ofSeconds(7), 0.3).withStartLimit(4, Duration.ofSeconds(9)),
                new Reclaim(List.of(Path.of("/tmp/s/rpc.sock")), List.of(8080)),
                List.of(HealthCheck.HttpUnix.of(Path.of("/tmp/s/rpc.sock")), new HealthCheck.Tcp("127.0.0.1", 8080, Duration.ofSeconds(1)),
                        new HealthCheck.Exec(List.of("/bin/true"), Duration.ofSeconds(2))),
                HealthPolicy.defaults(), "nobody", "nogroup", new ResourceLimits(123));
        var job = new Job(7, 42, Instant.parse("2026-01-01T00:00:00Z"), null, null, null, null);
        var state = new RuntimeState(RuntimeState.VERSION, List.of(new RuntimeState.Service("web", List.of(
                new RuntimeState.Action(spec, RuntimeStateStore.fingerprint(spec), ActionState.RUNNING, 42, 42, 1234, 2,
                        ExitStatus.unknown(Instant.parse("2026-01-01T00:00:01Z")), null, List.of(job))))));

        byte[] json = JsonCodec.MAPPER.writeValueAsBytes(state);
        RuntimeState back = JsonCodec.MAPPER.readValue(json, RuntimeState.class);

        assertThat(back).isEqualTo(state);
        assertThat(RuntimeStateStore.fingerprint(back.services().getFirst().actions().getFirst().spec()))
                .isEqualTo(state.services().getFirst().actions().getFirst().fingerprint());
        // an older spec without the new components reads back with their defaults
        ActionSpec old = JsonCodec.MAPPER.readValue("""
                {"name":"a","argv":["/bin/true"],"env":{},"work_dir":"/","kind":"ONESHOT","stop_signal":"TERM",
                 "stop_timeout":"PT1S","log_file":"/tmp/a.log","restart":{"mode":"NEVER","initial_delay":"PT0.1S","factor":2.0,
                 "max_delay":"PT30S","jitter":0.1,"stable_period":"PT10S","start_limit":10,"start_limit_window":"PT60S"}}""", ActionSpec.class);
        assertThat(old.user()).isNull();
        assertThat(old.limits()).isEqualTo(ResourceLimits.INHERIT);
    }
}
