package heromgr.proc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.time.Duration;

/** The rotation settings: defaults, validation, and state files written before they existed. */
class LogRotationTest {
    private static final ActionSpec SPEC = ActionSpec.process("main", List.of("/bin/true"), Map.of(), Path.of("/"), Path.of("/tmp/x.log"));

    @Test
    void anActionRotatesByDefaultAndKeepsItsRotationThroughEveryWither() {
        assertThat(SPEC.logRotation()).isEqualTo(new LogRotation(64L << 20, 5));
        ActionSpec tuned = SPEC.withLogRotation(new LogRotation(4096, 2));
        assertThat(tuned.withRestart(RestartPolicy.never()).withStop(Signal.INT, Duration.ZERO)
                .withUser(null, null).withLimits(ResourceLimits.INHERIT).withReclaim(Reclaim.none())
                .withHealth(List.of(), HealthPolicy.defaults()).logRotation()).isEqualTo(new LogRotation(4096, 2));
    }

    @Test
    void nonPositiveSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> new LogRotation(0, 5)).hasMessageContaining("max bytes");
        assertThatThrownBy(() -> new LogRotation(4096, 0)).hasMessageContaining("keep");
    }

    @Test
    void aStateFileWrittenBeforeRotationExistedReadsAsTheDefaults() throws Exception {
        ObjectNode json = JsonCodec.MAPPER.valueToTree(SPEC.withLogRotation(new LogRotation(8192, 3)));
        assertThat(json.at("/log_rotation/max_bytes").asLong()).isEqualTo(8192);
        assertThat(JsonCodec.MAPPER.treeToValue(json, ActionSpec.class).logRotation()).isEqualTo(new LogRotation(8192, 3));
        json.remove("log_rotation");
        assertThat(JsonCodec.MAPPER.treeToValue(json, ActionSpec.class).logRotation()).isEqualTo(LogRotation.defaults());
    }

    @Test
    void rotatedFilesAreNamedAfterTheLogAndNumberedFromTheNewest() {
        Path log = Path.of("/var/log/svc/main.log");
        assertThat(LogRotation.rotated(log, 1)).isEqualTo(Path.of("/var/log/svc/main.log.1"));
        assertThat(LogRotation.rotatedFiles(Path.of("/nonexistent/main.log"))).isEmpty();
        assertThat(LogRotation.chain(Path.of("/nonexistent/main.log"))).containsExactly(Path.of("/nonexistent/main.log"));
    }
}
