package heromgr.proc;

import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartPolicyTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFactoriesUseTheDocumentedDefaults() {
        RestartPolicy p = RestartPolicy.always();
        assertThat(p.mode()).isEqualTo(RestartPolicy.Mode.ALWAYS);
        assertThat(p.initialDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.factor()).isEqualTo(2.0);
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.jitter()).isEqualTo(0.1);
        assertThat(p.stablePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.startLimit()).isEqualTo(10);
        assertThat(p.startLimitWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(RestartPolicy.onFailure().mode()).isEqualTo(RestartPolicy.Mode.ON_FAILURE);
        assertThat(RestartPolicy.never().mode()).isEqualTo(RestartPolicy.Mode.NEVER);
    }

    @Test
    void theFirstRestartIsImmediateThenTheDelayDoublesUpToTheCap() {
        RestartPolicy p = RestartPolicy.always().withBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30), 0);
        assertThat(List.of(0, 1, 2, 3, 4).stream().map(n -> p.delayBefore(n, 0.5).toMillis()).toList())
                .containsExactly(0L, 100L, 200L, 400L, 800L);
        assertThat(p.delayBefore(40, 0.5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsEachDelayByTheFractionButNeverPastTheCap() {
        RestartPolicy p = RestartPolicy.always();
        assertThat(p.delayBefore(1, 0.0).toMillis()).isEqualTo(90);
        assertThat(p.delayBefore(1, 0.999999).toMillis()).isBetween(109L, 110L);
        assertThat(p.delayBefore(30, 0.999999)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delayBefore(30, 0.0)).isEqualTo(Duration.ofSeconds(27));
    }

    @Test
    void invalidSettingsAreRefusedNamingTheField() {
        RestartPolicy p = RestartPolicy.always();
        assertThatThrownBy(() -> p.withBackoff(Duration.ofMillis(-1), 2, Duration.ofSeconds(1), 0)).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> p.withBackoff(Duration.ZERO, 0.5, Duration.ofSeconds(1), 0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> p.withBackoff(Duration.ZERO, Double.NaN, Duration.ofSeconds(1), 0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> p.withBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0)).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> p.withBackoff(Duration.ZERO, 2, Duration.ofSeconds(1), 1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> p.withStablePeriod(Duration.ofSeconds(-1))).hasMessageContaining("stablePeriod");
        assertThatThrownBy(() -> p.withStartLimit(-1, Duration.ofSeconds(1))).hasMessageContaining("startLimit");
        assertThatThrownBy(() -> p.withStartLimit(3, Duration.ZERO)).hasMessageContaining("startLimitWindow");
        assertThat(p.withStartLimit(0, Duration.ZERO).startLimit()).isZero(); // 0 turns the limit off
    }

    @Test
    void backoffGrowsWithQuickCrashesAndResetsAfterAStableRun() {
        RestartPolicy p = RestartPolicy.always().withBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30), 0)
                .withStartLimit(0, Duration.ZERO);
        var b = new Backoff();
        long t = 0;
        assertThat(b.next(p, t, t + 1).orElseThrow()).isEqualTo(Duration.ZERO);
        assertThat(b.next(p, t, t + 2).orElseThrow()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next(p, t, t + 3).orElseThrow()).isEqualTo(Duration.ofMillis(200));
        // a run that stayed up for the stable period (10 s) starts the sequence over
        assertThat(b.next(p, t, t + 11 * SECOND).orElseThrow()).isEqualTo(Duration.ZERO);
    }

    @Test
    void moreStartsThanTheLimitWithinTheWindowStopTheRestarts() {
        RestartPolicy p = RestartPolicy.always().withStartLimit(3, Duration.ofSeconds(60));
        var b = new Backoff();
        b.recordStart(0);
        b.recordStart(SECOND);
        assertThat(b.next(p, SECOND, 2 * SECOND)).isPresent();
        b.recordStart(2 * SECOND);
        assertThat(b.next(p, 2 * SECOND, 3 * SECOND)).isEmpty();
        // once the first start has left the window there is room again
        assertThat(b.next(p, 2 * SECOND, 61 * SECOND)).isPresent();
        b.reset();
        assertThat(b.next(p, 0, 1)).isPresent();
    }

    @Test
    void theLimitReasonSaysWhatHappened() {
        ExitStatus exit3 = new ExitStatus(3, 0, Instant.now(), false);
        assertThat(Backoff.limitReason(RestartPolicy.always(), exit3)).isEqualTo("start limit hit: 10 starts in 60 s, last exit code 3");
        ExitStatus killed = new ExitStatus(137, 9, Instant.now(), false);
        assertThat(Backoff.limitReason(RestartPolicy.always().withStartLimit(5, Duration.ofMillis(1500)), killed))
                .isEqualTo("start limit hit: 5 starts in 1500 ms, last killed by signal 9");
    }

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
