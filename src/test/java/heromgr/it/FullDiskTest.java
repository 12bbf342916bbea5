package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonClient;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Promise 6 of docs/reliability.md under real conditions, on a real daemon (a JVM of its own): its HERO_HOME on a
 * small tmpfs filled to the brim, and its state folder bind-mounted read-only. Reads keep working, writes fail with
 * -32013 storage failed naming the file and the cause in words, nothing is left half-written, and once space returns
 * (or the folder is writable again) the next write works without a restart. Needs root (mount); skipped otherwise.
 */
class FullDiskTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    EchoReleases releases;

    @BeforeEach
    void needsRoot() throws IOException {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
                "needs root: mounts a tmpfs and a read-only bind mount (chmod does not stop root)");
        releases = EchoReleases.open();
        daemons.atEnd(releases.forge()::close);
    }

    void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    /** Mounted now, unmounted at the end (after the daemon and its services are gone). */
    void mount(Path at, String... how) throws IOException, InterruptedException {
        Files.createDirectories(at);
        var cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(how));
        cmd.add(at.toString());
        run(cmd.toArray(String[]::new));
        daemons.atEnd(() -> run("umount", at.toString()));
    }

    DaemonClient startWithTwoServices(Path home) throws IOException {
        DaemonProcess d = daemons.startProcess(home, releases.env());
        DaemonClient c = d.client();
        c.result("service.create", Map.of("name", "t_run", "argv", List.of("/bin/sh", "-c", "echo hello; exec sleep 120")));
        c.result("service.create", Map.of("name", "t_idle", "argv", List.of("/bin/sh", "-c", "exec sleep 120"), "start", false));
        c.result("service.stop", Map.of("name", "t_idle")); // the operation log has a line
        return c;
    }

    /** Writes until the file system says no more. */
    static void fill(Path file) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(chunk);
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    void assertReadsWork(DaemonClient c) throws IOException {
        assertThat(c.result("service.list", Map.of()).toString()).contains("t_run", "t_idle");
        assertThat(c.result("service.status", Map.of("name", "t_run")).path("state").asText()).isEqualTo("RUNNING");
        assertThat(c.result("service.logs", Map.of("name", "t_run")).toString()).contains("hello");
        assertThat(c.result("service.inspect", Map.of("name", "t_run")).toString()).contains("t_run");
        assertThat(c.http("GET", "/metrics", null).status()).isEqualTo(200);
    }

    static JsonNode refused(JsonNode answer, String... words) {
        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(-32013);
        assertThat(answer.at("/error/message").asText()).contains(words);
        return answer;
    }

    static JsonNode install(DaemonClient c) {
        return c.call("service.install", Map.of("name", "hero_echo", "mode", "download"));
    }

    /** No temp file of an atomic write anywhere under the home, and every record readable. */
    static void assertNothingHalfWritten(Path state) throws IOException {
        try (Stream<Path> all = Files.walk(state.getParent().getParent())) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        JsonCodec.MAPPER.readTree(state.resolve("runtime.json").toFile());
        String ops = Files.readString(state.resolve("ops/ops.jsonl"));
        assertThat(ops).endsWith("\n");
        for (String line : ops.split("\n")) JsonCodec.MAPPER.readTree(line);
    }

    @Test
    void onAFullDiskReadsWorkWritesNameTheCauseNothingIsHalfWrittenAndAllRecoversWhenSpaceReturns() throws Exception {
        Path home = daemons.root().resolve("home");
        mount(home, "-t", "tmpfs", "-o", "size=24m", "tmpfs");
        DaemonClient c = startWithTwoServices(home);
        Path state = home.resolve("var/heromgr");
        Path filler = home.resolve("filler");
        fill(filler);

        assertReadsWork(c);
        refused(c.call("service.create", Map.of("name", "t_new", "argv", List.of("/bin/sh", "-c", "exec sleep 120"))),
                state.resolve("transient/t_new.json").toString(), "no space left on device");
        assertThat(c.call("service.status", Map.of("name", "t_new")).at("/error/code").asInt()).as("not half made").isEqualTo(-32001);
        // the log's last page may still hold a few lines: stop until the append needs a new one
        JsonNode full = null;
        for (int i = 0; i < 100 && full == null; i++) {
            JsonNode answer = c.call("service.stop", Map.of("name", "t_idle"));
            if (answer.has("error")) full = answer;
        }
        refused(full, "service.stop was carried out", state.resolve("ops/ops.jsonl").toString(), "no space left on device");
        refused(install(c), home.resolve("bin").toString(), "no space left on device");
        assertThat(home.resolve("bin/hero_echo_server")).doesNotExist();
        String before = Files.readString(state.resolve("runtime.json"));
        refused(c.call("service.start", Map.of("name", "t_idle")), "no space left on device");
        // whole either way: the old state, or already the new one when the spare beside it (RenameExchange) had room
        // in the blocks it holds; never a torn file
        String after = Files.readString(state.resolve("runtime.json"));
        if (!after.equals(before)) assertThat(JsonCodec.MAPPER.readTree(after).toString()).as("the new state, whole").contains("t_idle");
        assertNothingHalfWritten(state);

        Files.delete(filler);

        assertThat(c.result("service.create", Map.of("name", "t_new", "argv", List.of("/bin/sh", "-c", "exec sleep 120")))
                .path("state").asText()).isEqualTo("RUNNING");
        c.result("service.stop", Map.of("name", "t_run"));
        assertThat(Files.readString(state.resolve("ops/ops.jsonl"))).contains("\"t_run\"");
        assertThat(install(c).at("/result/version").asText()).isEqualTo("v2.0.0");
        assertThat(state.resolve("installed/hero_echo.json")).isRegularFile();
        await().atMost(BOUND).untilAsserted(() -> assertThat(Files.readString(state.resolve("runtime.json"))).contains("t_idle", "t_new"));
        assertNothingHalfWritten(state);
    }

    @Test
    void onAReadOnlyStateFolderReadsWorkWritesNameTheCauseAndAllRecoversWhenItIsWritableAgain() throws Exception {
        Path home = daemons.root().resolve("home");
        DaemonClient c = startWithTwoServices(home);
        Path state = home.resolve("var/heromgr");
        mount(state, "--bind", state.toString());
        run("mount", "-o", "remount,ro,bind", state.toString());

        assertReadsWork(c);
        refused(c.call("service.create", Map.of("name", "t_new", "argv", List.of("/bin/sh", "-c", "exec sleep 120"))),
                state.resolve("transient").toString(), "read-only file system");
        refused(c.call("service.stop", Map.of("name", "t_run")), state.resolve("ops/ops.jsonl").toString(), "read-only file system");
        refused(install(c), state.resolve("installed").toString(), "read-only file system");
        assertNothingHalfWritten(state);

        run("mount", "-o", "remount,rw,bind", state.toString());

        assertThat(c.result("service.create", Map.of("name", "t_new", "argv", List.of("/bin/sh", "-c", "exec sleep 120")))
                .path("state").asText()).isEqualTo("RUNNING");
        c.result("service.start", Map.of("name", "t_idle"));
        assertThat(install(c).at("/result/version").asText()).isEqualTo("v2.0.0");
        assertThat(state.resolve("installed/hero_echo.json")).isRegularFile();
        assertThat(Files.readString(state.resolve("ops/ops.jsonl"))).contains("\"t_idle\"");
        await().atMost(BOUND).untilAsserted(() -> assertThat(Files.readString(state.resolve("runtime.json"))).contains("t_idle", "t_new"));
        assertNothingHalfWritten(state);
    }

    /**
     * The install records' folder on a file system of its own, full but for the page the install's mark takes: the new
     * binary is renamed into bin/ (elsewhere, with room) and then its record cannot be written. The install fails
     * naming the record, and bin/ holds the old binary again, as the record says: the next restart must not run the new
     * one without the upgrade's health check.
     */
    @Test
    void anInstallWhoseRecordCannotBeWrittenPutsTheOldBinaryBack() throws Exception {
        Path home = daemons.root().resolve("home");
        Path installed = home.resolve("var/heromgr/installed");
        mount(installed, "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs");
        DaemonClient c = daemons.startProcess(home, releases.env()).client();
        Path binary = home.resolve("bin/hero_echo_server");
        c.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        Path filler = installed.resolve("filler");
        fill(filler);
        try (var ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 4096 * 4096 - 4096);
        }

        refused(install(c), installed.resolve("hero_echo.json").toString(), "no space left on device");
        assertThat(Files.readAllBytes(binary)).as("the old binary, as the record names it").isEqualTo(releases.v1());
        assertThat(installed.resolve("hero_echo.switching")).doesNotExist();
        JsonNode verify = c.result("service.verify", Map.of("name", "hero_echo"));
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();

        Files.delete(filler);
        assertThat(install(c).at("/result/version").asText()).isEqualTo("v2.0.0");
        assertThat(Files.readAllBytes(binary)).isEqualTo(releases.v2());
    }
}
