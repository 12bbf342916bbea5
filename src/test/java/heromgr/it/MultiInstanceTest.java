package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.http.UnixHttpClient;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonClient;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.TestDaemon;
import heromgr.services.HeroEcho;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static heromgr.testkit.ProcFs.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances of a multi-instance class (hero_echo) side by side on real daemons: each its own name, socket, log and
 * process; stopping one leaves the other's pid; the next daemon after a SIGKILL adopts them all; a delete forgets
 * one; instance names are checked, and refused on a class that runs once.
 */
class MultiInstanceTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final List<String> ALL = List.of("hero_echo", "hero_echo@a", "hero_echo@b");

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void instancesRunSideBySideStopApartAndAreAdoptedByTheNextDaemon() throws Exception {
        Path home = daemons.root().resolve("home");
        install(home);
        long a;
        long b;
        long unnamed;
        try (DaemonProcess first = daemons.startProcess(home)) {
            DaemonClient c = first.client();
            for (String name : ALL) assertThat(c.result("service.start", Map.of("name", name)).get("healthy").asBoolean()).as(name).isTrue();
            unnamed = pid(c, "hero_echo");
            a = pid(c, "hero_echo@a");
            b = pid(c, "hero_echo@b");
            assertThat(List.of(unnamed, a, b)).doesNotHaveDuplicates();
            for (String name : ALL) {
                Path socket = home.resolve("var/sockets").resolve(name).resolve("rpc.sock");
                assertThat(get(socket, "/.well-known/heroservice.json")).as(name).contains(socket.toString());
                assertThat(home.resolve("var/log").resolve(name).resolve("server.log")).as(name).exists();
            }
            assertThat(c.result("service.inspect", Map.of("name", "hero_echo@b")).at("/env/HERO_INSTANCE").asText()).isEqualTo("b");
            assertThat(c.result("service.list", null).findValuesAsText("name")).containsAll(ALL);
            // numbered in the order they were made: the number is what gives an instance ports of its own
            assertThat(Files.readString(home.resolve("var/heromgr/instances/hero_echo@b.json"))).contains("\"number\":2");

            c.result("service.stop", Map.of("name", "hero_echo@a"));
            await().atMost(BOUND).until(() -> !running(a));
            assertThat(pid(c, "hero_echo@b")).isEqualTo(b);
            assertThat(c.result("service.health", Map.of("name", "hero_echo@b")).get("ok").asBoolean()).isTrue();
            PosixSignals.kill(first.process.pid(), 9);
            await().atMost(BOUND).until(() -> !first.process.isAlive());
        }
        assertThat(running(b) && running(unnamed)).isTrue();

        try (DaemonProcess second = daemons.startProcess(home)) {
            DaemonClient c = second.client();
            assertThat(c.result("service.list", null).findValuesAsText("name")).containsAll(ALL);
            assertThat(pid(c, "hero_echo@b")).isEqualTo(b);
            assertThat(pid(c, "hero_echo")).isEqualTo(unnamed);
            assertThat(c.result("service.status", Map.of("name", "hero_echo@a")).get("state").asText()).isEqualTo("STOPPED");
            assertThat(c.result("service.health", Map.of("name", "hero_echo@b")).get("ok").asBoolean()).isTrue();
            for (String name : List.of("hero_echo", "hero_echo@b")) c.result("service.stop", Map.of("name", name));
            await().atMost(BOUND).until(() -> !running(b) && !running(unnamed));
        }
    }

    @Test
    void aDeleteForgetsAnInstanceAndNamesAreChecked() throws IOException {
        TestDaemon d = daemons.start(List.of(new HeroEcho(), CommandService.of("plain", "/bin/sleep", "1000")), Map.of());
        install(d.home);
        assertThat(d.result("service.start", Map.of("name", "hero_echo@a")).get("healthy").asBoolean()).isTrue();
        long a = pid(d.client(), "hero_echo@a");
        JsonNode purge = d.call("service.delete", Map.of("name", "hero_echo@a", "purge_binaries", true)).get("error");
        assertThat(purge.get("code").asInt()).isEqualTo(-32602);
        assertThat(purge.get("message").asText()).contains("shares its binaries");
        JsonNode deleted = d.result("service.delete", Map.of("name", "hero_echo@a"));
        assertThat(deleted.get("removed").get(0).asText()).isEqualTo("hero_echo@a");
        await().atMost(BOUND).until(() -> !running(a));
        assertThat(d.result("service.list", null).findValuesAsText("name")).contains("hero_echo").doesNotContain("hero_echo@a");
        assertThat(d.home.resolve("var/heromgr/instances/hero_echo@a.json")).doesNotExist();
        assertThat(d.paths.bin().resolve("hero_echo_server")).exists();

        JsonNode once = d.call("service.start", Map.of("name", "plain@b")).get("error");
        assertThat(once.get("code").asInt()).isEqualTo(-32602);
        assertThat(once.get("message").asText()).contains("plain@b", "runs only once");
        JsonNode malformed = d.call("service.start", Map.of("name", "hero_echo@B")).get("error");
        assertThat(malformed.get("code").asInt()).isEqualTo(-32602);
        assertThat(malformed.get("message").asText()).contains("name");
        JsonNode unknownClass = d.call("service.start", Map.of("name", "nope@b")).get("error");
        assertThat(unknownClass.get("code").asInt()).isEqualTo(-32001);
        assertThat(unknownClass.get("message").asText()).contains("no such service: nope");
        JsonNode neverStarted = d.call("service.status", Map.of("name", "hero_echo@zz")).get("error");
        assertThat(neverStarted.get("code").asInt()).isEqualTo(-32001);
        assertThat(neverStarted.get("message").asText()).contains("no such instance: hero_echo@zz", "service start hero_echo@zz");
        assertThat(d.result("service.list", null).findValuesAsText("name")).doesNotContain("plain@b", "hero_echo@zz", "nope@b");
    }

    /** The dev build of hero_echo where the default action runs it: this test is about instances, not installs. */
    private static void install(Path home) throws IOException {
        Path bin = home.resolve("bin/hero_echo_server");
        Files.createDirectories(bin.getParent());
        Files.copy(EchoBinaries.dev(), bin, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long pid(DaemonClient c, String name) {
        return c.result("service.status", Map.of("name", name)).at("/actions/0/pid").asLong();
    }

    private static String get(Path socket, String path) throws IOException {
        try (var client = new UnixHttpClient(socket, Duration.ofSeconds(5))) {
            return client.get(path).text();
        }
    }
}
