package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ApiException;
import heromgr.fs.HeroPaths;
import heromgr.server.Daemon;
import heromgr.service.LiveKitCredentials;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Promise 2 of docs/reliability.md beyond the log folder, on a real daemon: a symbolic link planted in the state folder,
 * the socket folders or the daemon's own folders is refused with an error naming it, never followed, nothing is
 * written where it leads, and the daemon keeps serving. The daemon's own name is reserved.
 */
class PlantedLinksTest {
    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon();
    final TestDaemon d = daemons.daemon();

    Path outside() throws IOException {
        return Files.createDirectories(daemons.root().resolve("outside"));
    }

    JsonNode create(String name) {
        return d.call("service.create", Map.of("name", name, "argv", List.of("/bin/sh", "-c", "exec sleep 60"), "start", false));
    }

    /** Replaces folder (moved aside) by a link to where. */
    Path linkInstead(Path folder, Path where) throws IOException {
        if (Files.exists(folder)) Files.move(folder, folder.resolveSibling(folder.getFileName() + ".moved"));
        Files.createDirectories(folder.getParent());
        return Files.createSymbolicLink(folder, where);
    }

    void assertEmpty(Path folder) throws IOException {
        try (var written = Files.list(folder)) {
            assertThat(written).as("nothing written where the link leads").isEmpty();
        }
    }

    void assertStillServing() {
        assertThat(d.call("service.list", Map.of()).has("result")).as("the daemon keeps serving").isTrue();
    }

    @Test
    void aLinkedFolderOfTransientDefinitionsRefusesTheCreateNamingTheLink() throws IOException {
        Path outside = outside();
        Path link = linkInstead(d.paths.state().resolve("transient"), outside);

        JsonNode answer = create("t_linked");

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32013);
        assertThat(answer.at("/error/message").asText()).contains(link.toString(), "symbolic link");
        assertEmpty(outside);
        assertThat(d.call("service.status", Map.of("name", "t_linked")).at("/error/code").asInt())
                .as("the name is not taken").isEqualTo(-32001);
        assertStillServing();
    }

    @Test
    void aLinkedOperationLogFolderIsRefusedNamingTheLinkAndOperationsAreRecordedAgainOnceItIsGone() throws IOException {
        assertThat(create("t_ops").has("result")).isTrue();
        Path outside = outside();
        Path ops = d.paths.state().resolve("ops");
        Path link = linkInstead(ops, outside);

        JsonNode answer = d.call("service.stop", Map.of("name", "t_ops"));

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32013);
        assertThat(answer.at("/error/message").asText()).contains("operation log", link.toString(), "symbolic link");
        assertEmpty(outside);
        assertStillServing();

        Files.delete(link);
        JsonNode next = d.call("service.stop", Map.of("name", "t_ops"));
        assertThat(next.has("result")).as(next.toString()).isTrue();
        assertThat(Files.readString(ops.resolve("ops.jsonl"))).contains("service.stop");
    }

    @Test
    void aStateFileThatIsALinkIsReplacedNeverWrittenThrough() throws IOException {
        Path elsewhere = Files.writeString(outside().resolve("elsewhere.json"), "not yours\n");
        Path state = d.paths.state().resolve("runtime.json");
        // the daemon makes its state folder in the background after its first answer: maybe not yet
        Files.createDirectories(state.getParent());
        Files.deleteIfExists(state);
        Files.createSymbolicLink(state, elsewhere);

        JsonNode started = d.call("service.create", Map.of("name", "t_state", "argv", List.of("/bin/sh", "-c", "exec sleep 60")));

        assertThat(started.has("result")).as(started.toString()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.isSymbolicLink(state));
        assertThat(Files.readString(state)).contains("t_state");
        assertThat(Files.readString(elsewhere)).isEqualTo("not yours\n");
    }

    @Test
    void aLinkedSocketFolderOfTheDaemonStopsItsStartNamingTheLinkAndLeavesWhereItLeadsAlone() throws IOException {
        Path outside = outside();
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path home = daemons.root().resolve("home");
        var paths = HeroPaths.fromEnvironment(Map.of(), home);
        Path link = linkInstead(paths.managerSocket().getParent(), outside);

        assertThatThrownBy(() -> Daemon.start(paths, null, List.of(), Map.of()).close())
                .hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside))).as("no chmod through the link")
                .isEqualTo("rwxrwxr-x");
        assertEmpty(outside);
    }

    @Test
    void linkedConfigurationIsNeitherReadNorWritten() throws IOException {
        Path outside = outside();
        Files.writeString(outside.resolve("credentials"), "LIVEKIT_API_KEY=planted\n");
        Path link = linkInstead(LiveKitCredentials.file(d.paths).getParent(), outside);

        assertThatThrownBy(() -> LiveKitCredentials.ensure(d.paths, "hero_livekit")).isInstanceOf(ApiException.class)
                .hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        Files.delete(outside.resolve("credentials"));

        assertThatThrownBy(() -> LiveKitCredentials.ensure(d.paths, "hero_livekit"))
                .hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        assertEmpty(outside);
    }

    @Test
    void theDaemonsOwnNameIsReserved() {
        JsonNode answer = create(HeroPaths.DAEMON);

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32007);
        assertThat(answer.at("/error/message").asText()).contains("heromgr is the daemon itself");
        assertThat(d.paths.state().resolve("transient/heromgr.json")).doesNotExist();
    }
}
