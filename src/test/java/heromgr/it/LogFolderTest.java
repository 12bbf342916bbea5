package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promises 2 (the log folder) and 3 (the true cause) of docs/reliability.md, on a real daemon: a service's log folder,
 * or any folder on the way to it under $HERO_HOME, that is a symbolic link is refused, naming it, and nothing is
 * written where it leads; a log that cannot be written is named as the cause, not the service's program.
 */
class LogFolderTest {
    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon();
    final TestDaemon d = daemons.daemon();

    JsonNode create(String name) {
        return d.call("service.create", Map.of("name", name, "argv", List.of("/bin/sh", "-c", "echo written; exec sleep 60")));
    }

    Path outside() throws IOException {
        return Files.createDirectories(daemons.root().resolve("outside"));
    }

    @Test
    void aLogFolderThatIsALinkIsRefusedNamingItAndNotFollowed() throws IOException {
        Path outside = outside();
        Path link = Files.createSymbolicLink(Files.createDirectories(d.paths.logs()).resolve("t_link"), outside);

        JsonNode answer = create("t_link");

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32004);
        assertThat(answer.at("/error/message").asText()).contains(link.toString(), "symbolic link");
        try (var written = Files.list(outside)) {
            assertThat(written).as("nothing written where the link leads").isEmpty();
        }
    }

    @Test
    void theLogsFolderItselfBeingALinkOutOfHomeIsRefusedToo() throws IOException {
        Path outside = outside();
        Files.createDirectories(d.paths.logs().getParent());
        Path logs = d.paths.logs();
        // var/log may already hold the daemon's own log folder: move it out of the way, then plant the link
        if (Files.exists(logs)) Files.move(logs, d.home.resolve("var/log.moved"));
        Files.createSymbolicLink(logs, outside);

        JsonNode answer = create("t_far");

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32004);
        assertThat(answer.at("/error/message").asText()).contains(logs.toString(), "symbolic link");
        assertThat(outside.resolve("t_far")).doesNotExist();
    }

    @Test
    void aLogFileThatIsALinkIsNotFollowed() throws IOException {
        Path target = outside().resolve("elsewhere.log");
        Path folder = Files.createDirectories(d.paths.serviceLogs("t_file"));
        Files.createSymbolicLink(folder.resolve("main.log"), target);

        JsonNode answer = create("t_file");

        assertThat(answer.at("/error/message").asText()).as(answer.toString()).contains(folder.resolve("main.log").toString(),
                "symbolic link");
        assertThat(target).doesNotExist();
    }

    @Test
    void aLogThatCannotBeWrittenIsNamedNotTheProgram() throws IOException {
        Path log = Files.createDirectories(d.paths.serviceLogs("t_dir").resolve("main.log"));

        JsonNode answer = create("t_dir");

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32004);
        assertThat(answer.at("/error/message").asText()).contains("cannot write the log file " + log, "Is a directory")
                .doesNotContain("cannot start /bin/sh");
    }

    @Test
    void anUnknownServiceIsNamedBeforeAnOperationLogThatCannotBeWritten() throws IOException {
        Path ops = d.paths.state().resolve("ops/ops.jsonl");
        Files.deleteIfExists(ops);
        Files.createDirectories(ops);  // what a full disk or a read-only folder does to the append: it fails

        JsonNode answer = d.call("service.stop", Map.of("name", "no_such_service"));

        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32001);
        assertThat(answer.at("/error/message").asText()).contains("no_such_service").doesNotContain("operation log");
    }
}
