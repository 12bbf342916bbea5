package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.ProcFs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What must hold on a home after its daemon was stopped dead and a new one started on it: no half-written file, no
 * temp file left, no duplicate process and no orphan (every process carrying this home's spawn marker is the one
 * its service reports).
 */
record CrashInvariants(Path home) {
    private static final Duration BOUND = Duration.ofSeconds(30);

    Path state() {
        return home.resolve("var/heromgr");
    }

    /** Every JSON file under the state folder parses, every line of the operation log parses, no temp file is left. */
    void filesAreWhole() throws IOException {
        for (Path f : files(state())) {
            String name = f.getFileName().toString();
            assertThat(name).as("a temp file left in " + f.getParent()).doesNotEndWith(".tmp");
            if (name.endsWith(".json")) assertThat(parses(Files.readString(f))).as(f + " parses").isTrue();
            if (name.equals("ops.jsonl")) {
                for (String line : Files.readAllLines(f)) assertThat(parses(line)).as("ops.jsonl line " + line).isTrue();
            }
        }
        for (Path f : files(home.resolve("bin"))) assertThat(f.getFileName().toString()).doesNotEndWith(".tmp");
    }

    /** Within a bound: at most one live marked process per action, and each is the pid its service reports. */
    void noDuplicateAndNoOrphan(DaemonProcess d) {
        await().atMost(BOUND).untilAsserted(() -> {
            Map<String, List<Long>> byAction = marked();
            for (var e : byAction.entrySet()) {
                assertThat(e.getValue()).as("processes of " + e.getKey()).hasSize(1);
                String service = e.getKey().substring(0, e.getKey().indexOf('/'));
                JsonNode status = d.client().call("service.status", Map.of("name", service));
                assertThat(status.findValuesAsText("pid")).as("%s reports its process", service)
                        .contains(e.getValue().getFirst().toString());
            }
        });
    }

    /** Live marked processes by the action their marker names ("service/action"). */
    Map<String, List<Long>> marked() throws IOException {
        String prefix = "HEROMGR_ACTION=" + state().resolve("runtime.json") + "#";
        Map<String, List<Long>> out = new HashMap<>();
        for (long pid : ProcFs.withEnvironmentEntry(prefix)) {
            try {
                for (String e : ProcFs.read(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
                    if (e.startsWith(prefix) && pgidIsPid(pid)) out.computeIfAbsent(e.substring(prefix.length()), k -> new ArrayList<>()).add(pid);
                }
            } catch (IOException gone) {
                // exited since it was listed
            }
        }
        return out;
    }

    /** A spawn leads its own session and group; its children (a shell's, say) carry the marker too and do not count. */
    private static boolean pgidIsPid(long pid) {
        return ProcFs.pgid(pid) == pid;
    }

    private static boolean parses(String json) {
        try {
            JsonCodec.MAPPER.readTree(json);
            return !json.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().contains(".damaged-")).toList();
        }
    }
}
