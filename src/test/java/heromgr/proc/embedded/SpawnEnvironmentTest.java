package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.RestartPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A spawn's environment: the daemon's with the action's on top and the marker, kept with its spec from a restart on. */
class SpawnEnvironmentTest {
    private final ActionSpec spec = ActionSpec.process("main", List.of("/bin/sleep", "1"), Map.of("GREETING", "hi", "PATH", "/opt/bin"),
            Path.of("/tmp"), Path.of("/tmp/main.log"));

    @Test
    void theDaemonsEnvironmentWithTheActionsOnTopAndTheMarker() {
        Map<String, String> env = new SpawnEnvironment("state", "web").of(spec, false);
        assertThat(env).containsEntry("GREETING", "hi").containsEntry("PATH", "/opt/bin")
                .containsEntry(Adoption.MARKER, Adoption.marker("state", "web", "main")).doesNotContainKey("NOTIFY_SOCKET");
        System.getenv().forEach((name, value) -> {
            if (!name.equals("PATH") && !name.equals("NOTIFY_SOCKET")) assertThat(env).containsEntry(name, value);
        });
        assertThat(new SpawnEnvironment(null, "web").of(spec, false)).doesNotContainKey(Adoption.MARKER);
    }

    @Test
    void aRestartsEnvironmentIsKeptUntilTheSpecChangesOrTheActionStops() {
        var environment = new SpawnEnvironment("state", "web");
        Map<String, String> first = environment.of(spec, false);
        assertThat(environment.of(spec, false)).as("a first start keeps nothing").isNotSameAs(first).isEqualTo(first);

        Map<String, String> kept = environment.of(spec, true);
        assertThat(environment.of(spec, true)).isSameAs(kept);
        assertThat(environment.of(spec, false)).as("the next start of the same spec").isSameAs(kept);

        ActionSpec changed = spec.withRestart(RestartPolicy.always());
        assertThat(environment.of(changed, true)).isNotSameAs(kept).isEqualTo(kept);
        environment.forget();
        assertThat(environment.of(changed, false)).isNotSameAs(environment.of(changed, false));
    }
}
