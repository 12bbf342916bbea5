package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.service.BuildResult;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's other records damaged while it was down (an install record, a build record, a transient definition,
 * one naming another service): the next daemon serves everything else, counts each damaged one as absent and keeps
 * it beside, under a name of its own, for a person to read.
 */
class DamagedRecordsTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void damagedRecordsAreSetAsideAndNothingElseIsLost() throws IOException {
        Path home = daemons.root().resolve("home");
        DaemonProcess first = daemons.startProcess(home);
        for (String name : List.of("t_good", "t_torn", "t_other")) {
            first.result("service.create", Map.of("name", name, "argv", List.of("/bin/sleep", "300"), "start", false));
        }
        first.close();

        Path state = home.resolve("var/heromgr");
        Path installRecord = state.resolve("installed/hero_echo.json");
        Path buildRecord = state.resolve("builds/hero_echo.json");
        Path torn = state.resolve("transient/t_torn.json");
        Path misnamed = state.resolve("transient/t_other.json");
        Files.createDirectories(installRecord.getParent());
        Files.createDirectories(buildRecord.getParent());
        Files.writeString(installRecord, "{\"service\":\"hero_echo\",\"vers");
        Files.writeString(buildRecord, "\u0000garbage");
        Files.writeString(torn, Files.readString(torn).substring(0, 20));
        Files.writeString(misnamed, Files.readString(state.resolve("transient/t_good.json")));

        DaemonProcess next = daemons.startProcess(home);
        JsonNode list = next.result("service.list", Map.of());
        assertThat(list.findValuesAsText("name")).contains("hero_echo", "t_good").doesNotContain("t_torn", "t_other");
        assertThat(next.result("service.inspect", Map.of("name", "hero_echo")).path("name").asText()).isEqualTo("hero_echo");
        for (Path damaged : List.of(installRecord, buildRecord, torn, misnamed)) {
            assertThat(damaged).doesNotExist();
            try (Stream<Path> beside = Files.list(damaged.getParent())) {
                assertThat(beside.map(p -> p.getFileName().toString()))
                        .as("kept beside " + damaged).anyMatch(n -> n.startsWith(damaged.getFileName() + ".damaged-"));
            }
        }
        String log = Files.readString(home.resolve("var/log/heromgr/heromgr.log"));
        assertThat(log).contains(torn + " is damaged").contains(misnamed + " is damaged (it names the service 't_good')")
                .contains(installRecord + " is damaged");
        next.close();
    }

    /**
     * Every record the daemon reads at start, damaged in each of DamagedStateTest's ways (cut to nothing, to a byte, in
     * half, before its last brace, garbage), all at once, round after round on one home: each damaged record is set
     * aside and named in the log, the operation log keeps its whole lines, and nothing else is lost.
     */
    @Test
    void recordsCutAtAnyOffsetOrGarbledLoseNothingElse() throws IOException {
        var forge = new FakeForge("hero/hero_echo");
        daemons.atEnd(forge::close);
        forge.release("v1.0.0", Instant.parse("2026-10-01T12:00:00Z"), Map.of(EchoReleases.ASSET, Files.readAllBytes(Path.of("/bin/true"))));
        var env = Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000");
        Path home = daemons.root().resolve("home");
        Path state = home.resolve("var/heromgr");
        DaemonProcess first = daemons.startProcess(home, env);
        for (String name : List.of("t_good", "t_victim")) {
            first.result("service.create", Map.of("name", name, "argv", List.of("/bin/sleep", "300"), "start", false));
        }
        first.result("service.install", Map.of("name", "hero_echo", "mode", "download"));
        first.result("service.start", Map.of("name", "t_good"));
        first.result("service.stop", Map.of("name", "t_good"));
        first.close();
        Path ops = state.resolve("ops/ops.jsonl");
        Map<Path, byte[]> good = new LinkedHashMap<>();
        for (String f : List.of("transient/t_victim.json", "installed/hero_echo.json", "builds/hero_echo.json")) good.put(state.resolve(f), null);
        Files.createDirectories(state.resolve("builds"));
        Files.write(state.resolve("builds/hero_echo.json"), JsonCodec.MAPPER.writeValueAsBytes(
                new BuildResult("hero_echo", "release", List.of(), 1, false, home.resolve("x.log").toString())));
        for (Path f : good.keySet()) good.put(f, Files.readAllBytes(f));
        byte[] goodOps = Files.readAllBytes(ops);

        for (int round = 0; round < DamagedStateTest.DAMAGES.size(); round++) {
            var damage = DamagedStateTest.DAMAGES.get(round);
            for (var e : good.entrySet()) Files.write(e.getKey(), damage.apply(e.getValue()));
            byte[] damagedOps = damage.apply(goodOps);
            Files.write(ops, damagedOps);

            DaemonProcess next = daemons.startProcess(home, env);
            assertThat(next.result("service.list", Map.of()).findValuesAsText("name")).as("round %d", round)
                    .contains("hero_echo", "t_good").doesNotContain("t_victim");
            JsonNode installed = next.result("service.inspect", Map.of("name", "hero_echo")).path("installed");
            assertThat(installed.isNull() || installed.isMissingNode()).as("no install record: %s", installed).isTrue();
            assertThat(home.resolve("bin/hero_echo_server")).as("the binaries stay").exists();
            assertThat(next.result("service.ops", Map.of("name", "t_good", "limit", 10))).as("round %d", round)
                    .hasSize(wholeRecords(damagedOps, "t_good"));
            String log = Files.readString(home.resolve("var/log/heromgr/heromgr.log"));
            for (Path f : good.keySet()) {
                assertThat(log.split(Pattern.quote(f + " is damaged"), -1)).as("round %d: %s named in the log", round, f).hasSize(round + 2);
                assertThat(copies(f)).as("round %d: every damaged copy of %s kept", round, f).hasSize(round + 1);
            }
            if (damagedOps.length > 0 && damagedOps[damagedOps.length - 1] != '\n') {
                assertThat(log).contains("operation log " + ops + ": its last line was torn by a crash");
            }
            assertThat(Files.readString(ops)).as("round %d", round).matches("(?s)(.*\n)?");
            next.close();
        }
    }

    /** The lines of an operation log that are whole records of service (end in a newline and parse). */
    private static int wholeRecords(byte[] ops, String service) {
        String text = new String(ops, StandardCharsets.UTF_8);
        int count = 0;
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            try {
                if (!line.isBlank() && JsonCodec.MAPPER.readTree(line).path("service").asText().equals(service)) count++;
            } catch (IOException notARecord) {
                // a line damaged some other way is skipped
            }
        }
        return count;
    }

    private static List<Path> copies(Path f) throws IOException {
        try (Stream<Path> beside = Files.list(f.getParent())) {
            return beside.filter(p -> p.getFileName().toString().startsWith(f.getFileName() + ".damaged-")).toList();
        }
    }
}
