package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a crash leaves in the daemon's files is repaired by the next daemon, and a failed create leaves nothing: a torn
 * last line of the operation log, temp files of atomic writes, the log folder of a create whose start failed.
 */
class CrashLeftoversTest {
    private static final byte[] TORN = "{\"id\":\"torn-1\",\"method\":\"service.sto".getBytes(StandardCharsets.UTF_8);
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void aTornLastLineOfTheOperationLogIsCutOffAndTheNextRecordSurvivesRestarts() throws IOException {
        TestDaemon d = daemons.start();
        for (String name : List.of("first", "second")) {
            d.result("service.create", Map.of("name", name, "argv", List.of("/bin/true"), "start", false));
        }
        d.result("service.stop", Map.of("name", "first"));
        d.daemon.close();
        Path ops = d.paths.state().resolve("ops/ops.jsonl");
        Files.write(ops, TORN, StandardOpenOption.APPEND);

        d.restart();
        d.result("service.stop", Map.of("name", "second"));
        assertThat(recorded(d)).containsExactly("second", "first");
        d.restart();
        assertThat(recorded(d)).containsExactly("second", "first");

        assertThat(Files.readString(ops)).endsWith("\n").doesNotContain("torn-1");
        for (String line : Files.readAllLines(ops)) JsonCodec.MAPPER.readTree(line);
        List<Path> kept = siblings(ops, "ops.jsonl.damaged-");
        assertThat(kept).hasSize(1);
        assertThat(Files.readAllBytes(kept.getFirst())).isEqualTo(TORN);
    }

    @Test
    void tempFilesOfInterruptedAtomicWritesAreRemovedAtTheNextStart() throws IOException {
        TestDaemon d = daemons.start();
        d.daemon.close();
        Path state = d.paths.state();
        var leftovers = List.of(state.resolve(".runtime.json.4242-7.tmp"), state.resolve("transient/.web.json.4242-8.tmp"),
                state.resolve("previous/web/.web_server.4242-9.tmp"), d.paths.bin().resolve(".web_server.4242-10.tmp"));
        // names of the same shape that no atomic write makes: a person's files, kept
        var kept = List.of(state.resolve("transient/notes.tmp"), state.resolve(".plain.tmp"));
        for (Path f : Stream.concat(leftovers.stream(), kept.stream()).toList()) {
            Files.createDirectories(f.getParent());
            Files.writeString(f, "half");
        }

        d.restart();
        assertThat(leftovers).allSatisfy(f -> assertThat(f).doesNotExist());
        assertThat(kept).allSatisfy(f -> assertThat(f).exists());
    }

    @Test
    void aCreateWhoseStartFailsLeavesNoLogFolder() throws IOException {
        TestDaemon d = daemons.start();
        Path logs = d.paths.serviceLogs("never");
        var params = Map.of("name", "never", "argv", List.of("/bin/sleep", "100000"), "timeout_ms", 300,
                "health", Map.of("unix_socket", d.home.resolve("nobody-listens.sock").toString()));
        int code = d.call("service.create", params).at("/error/code").asInt();
        assertThat(code).isNotZero().isNotEqualTo(-32603);
        assertThat(logs).doesNotExist();

        d.result("service.create", Map.of("name", "never", "argv", List.of("/bin/sleep", "100000")));
        assertThat(logs).isDirectory();
    }

    /** The services of the recorded operations, newest first. */
    private static List<String> recorded(TestDaemon d) {
        var out = new ArrayList<String>();
        for (JsonNode op : d.result("service.ops", Map.of())) out.add(op.get("service").asText());
        return out;
    }

    private static List<Path> siblings(Path file, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
