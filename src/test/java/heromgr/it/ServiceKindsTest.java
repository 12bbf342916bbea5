package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ErrorCode;
import heromgr.fs.FileDigest;
import heromgr.service.HeroService;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.ForeignListener;
import heromgr.testkit.ProcFs;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kinds of service docs/writing-a-service.md shows besides a cargo service, each through a real daemon and real
 * processes: install takes note, start → healthy → verify ok → stop, and verify names a changed file, never advising
 * an install that would be refused. (The cargo kind: VerifyTest, FleetEndToEndTest; the Debian daemon: RedisServiceTest.)
 */
class ServiceKindsTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String LISTENER_C = """
            #include <arpa/inet.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/socket.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                if (argc < 2) { fprintf(stderr, "usage: port_listener PORT\\n"); return 2; }
                int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
                setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
                struct sockaddr_in a; memset(&a, 0, sizeof a);
                a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1])); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                if (bind(s, (struct sockaddr *) &a, sizeof a) || listen(s, 16)) { perror("bind"); return 1; }
                printf("listening on %s\\n", argv[1]); fflush(stdout);
                for (;;) { int c = accept(s, 0, 0); if (c >= 0) { write(c, "hello\\n", 6); close(c); } }
            }
            """;
    private static final String SERVE_PY = """
            import http.server, sys
            class Health(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200 if self.path == "/health" else 404)
                    self.end_headers()
                    self.wfile.write(b"ok\\n")
            server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health)
            print("listening on", sys.argv[1], flush=True)
            server.serve_forever()
            """;

    @TempDir
    static Path built;
    static Path listener;

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        Path c = built.resolve("port_listener.c");
        Files.writeString(c, LISTENER_C);
        listener = built.resolve("port_listener");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", listener.toString(), c.toString()).redirectErrorStream(true).start();
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as(new String(gcc.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void aPlainBinaryIsNotedStartedHealthyVerifiedAndStopped() throws IOException {
        int port = freePort();
        TestDaemon d = daemons.start(List.of(new PortListener(port)), Map.of());
        Path program = d.home.resolve("opt/port_listener/port_listener");
        Files.createDirectories(program.getParent());
        Files.copy(listener, program);
        program.toFile().setExecutable(true);

        runsThroughItsLife(d, "port_listener", program);
        assertThat(d.call("service.build", Map.of("name", "port_listener")).at("/error/code").asInt()).isEqualTo(ErrorCode.NOT_APPLICABLE.code());
        assertThat(d.result("service.logs", Map.of("name", "port_listener")).get("lines").toString()).contains("listening on " + port);
    }

    @Test
    void aScriptIsRunByItsInterpreterAndVerifiedByItsChecksum() throws IOException {
        int port = freePort();
        TestDaemon d = daemons.start(List.of(new HealthScript("python3", port)), Map.of());
        Path script = d.home.resolve("opt/health_script/serve.py");
        Files.createDirectories(script.getParent());
        Files.writeString(script, SERVE_PY);

        runsThroughItsLife(d, "health_script", script);
        JsonNode inspect = d.result("service.inspect", Map.of("name", "health_script"));
        assertThat(inspect.at("/actions/0/argv/1").asText()).isEqualTo(script.toString());
        assertThat(inspect.at("/actions/0/argv/0").asText()).endsWith("/python3");
    }

    @Test
    void aScriptsPortHeldByAnotherProgramOfItsInterpreterIsLeftAlone() throws IOException {
        int port = freePort();
        // the stranger's interpreter by the same path (PATH's python3 may be a shim of another name)
        TestDaemon d = daemons.start(List.of(new HealthScript(ForeignListener.PYTHON.toString(), port)), Map.of());
        Path script = d.home.resolve("opt/health_script/serve.py");
        Files.createDirectories(script.getParent());
        Files.writeString(script, SERVE_PY);
        d.result("service.install", Map.of("name", "health_script"));
        // someone else's python3 program on the port: the same interpreter, not the script
        Process stranger = ForeignListener.start(daemons.root(), true, "tcp", Integer.toString(port));
        try {
            JsonNode answer = d.call("service.start", Map.of("name", "health_script", "timeout_ms", BOUND.toMillis()));
            assertThat(answer.has("error")).as("started, the stranger killed: " + answer).isTrue();
            JsonNode refused = answer.get("error");
            assertThat(refused.get("code").asInt()).as(refused.toString()).isEqualTo(ErrorCode.START_FAILED.code());
            assertThat(refused.get("message").asText()).contains("is held by pid " + stranger.pid(), "refusing to kill it");
            assertThat(stranger.isAlive()).as("the stranger still runs").isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void aScriptWhoseInterpreterIsMissingIsRefusedAtStartAndNamedByVerify() throws IOException {
        TestDaemon d = daemons.start(List.of(new HealthScript("heromgr_no_such_python", freePort())), Map.of());
        Path script = d.home.resolve("opt/health_script/serve.py");
        Files.createDirectories(script.getParent());
        Files.writeString(script, SERVE_PY);
        d.result("service.install", Map.of("name", "health_script"));

        JsonNode refused = d.call("service.start", Map.of("name", "health_script")).get("error");
        assertThat(refused.get("code").asInt()).isEqualTo(ErrorCode.START_FAILED.code());
        assertThat(refused.get("message").asText()).contains("interpreter heromgr_no_such_python not found on the PATH");
        JsonNode verify = d.result("service.verify", Map.of("name", "health_script"));
        assertThat(verify.get("ok").asBoolean()).isFalse();
        assertThat(verify.get("problems").toString()).contains("heromgr_no_such_python not found").doesNotContain("service install");
    }

    @Test
    void aTransientServiceVerifiesItsCommandAndNeverAdvisesAnInstall() throws IOException {
        TestDaemon d = daemons.start(List.of(), Map.of());
        d.result("service.create", Map.of("name", "t_found", "argv", List.of("sleep", "100000"), "start", false));
        Path worker = Files.writeString(d.home.resolve("worker"), "#!/bin/sh\nexec sleep 100000\n");
        worker.toFile().setExecutable(true);
        d.result("service.create", Map.of("name", "t_missing", "argv", List.of(worker.toString()), "start", false));
        Files.delete(worker);   // gone since it was created

        JsonNode found = d.result("service.verify", Map.of("name", "t_found"));
        assertThat(found.get("ok").asBoolean()).as(found.toString()).isTrue();
        assertThat(found.at("/binaries/0/path").asText()).endsWith("/sleep");
        JsonNode missing = d.result("service.verify", Map.of("name", "t_missing"));
        assertThat(missing.get("ok").asBoolean()).isFalse();
        assertThat(missing.get("problems").toString()).contains(worker + " is missing").doesNotContain("install");
    }

    /** verify before install names the install to run; install notes the file; start → healthy → verify → stop; a changed file is named. */
    private void runsThroughItsLife(TestDaemon d, String name, Path file) throws IOException {
        JsonNode before = d.result("service.verify", Map.of("name", name));
        assertThat(before.get("ok").asBoolean()).isFalse();
        assertThat(before.get("problems").toString()).contains("run `heromgr service install " + name + "`");
        JsonNode install = d.result("service.install", Map.of("name", name));
        assertThat(install.at("/installed/0/path").asText()).isEqualTo(file.toString());
        assertThat(install.at("/installed/0/sha256").asText()).isEqualTo(FileDigest.sha256(file));

        JsonNode start = d.result("service.start", Map.of("name", name, "timeout_ms", BOUND.toMillis()));
        assertThat(start.get("healthy").asBoolean()).as(start.toString()).isTrue();
        long pid = daemons.killAtEnd(d.result("service.status", Map.of("name", name)).at("/actions/0/pid").asLong());
        JsonNode health = d.result("service.health", Map.of("name", name));
        assertThat(health.get("ok").asBoolean()).isTrue();
        assertThat(health.at("/checks/0/kind").asText()).isEqualTo("tcp");
        JsonNode verify = d.result("service.verify", Map.of("name", name));
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.at("/binaries/0/expected_sha256").asText()).isEqualTo(verify.at("/binaries/0/sha256").asText());

        assertThat(d.result("service.stop", Map.of("name", name)).get("state").asText()).isEqualTo("STOPPED");
        await().atMost(BOUND).until(() -> !ProcFs.running(pid));
        Files.write(file, new byte[]{'\n'}, StandardOpenOption.APPEND);
        JsonNode changed = d.result("service.verify", Map.of("name", name));
        assertThat(changed.get("ok").asBoolean()).isFalse();
        assertThat(changed.get("problems").toString()).contains(file + ": sha256").contains("differs from the installed");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
