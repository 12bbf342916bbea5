package heromgr.proc.health;

import heromgr.fs.HeroPaths;
import heromgr.http.UnixHttpClient;
import heromgr.manager.EventBus;
import heromgr.manager.OperationLog;
import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.StartResult;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.proc.ActionStatus;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.proc.reclaim.SocketHolders;
import heromgr.service.BinaryInstaller;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.Role;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A Hero service with only the defaults, through the manager and the embedded supervisor: its server action
 * reclaims a stale rpc.sock, and its HttpUnix check on that socket drives readiness and the actions' health.
 * The server is a small python3 program speaking HTTP on the Unix socket, as a Hero server does.
 */
class HeroServiceProbeTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SERVER = """
            #!/usr/bin/python3
            import os, socketserver, http.server
            sock = os.path.join(os.environ["HERO_SOCKET_DIR"], "hero_x", "rpc.sock")
            class Health(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b'{"service":"hero_x","status":"ok"}'
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            os.makedirs(os.path.dirname(sock), exist_ok=True)
            socketserver.UnixStreamServer(sock, Health).serve_forever()
            """;

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor();
    private HeroPaths paths;
    private ServiceManager manager;
    private Ctx ctx;

    private final HeroService heroX = heroX(System.getProperty("user.name"));

    /** hero_x, running its server as user. */
    private static HeroService heroX(String user) {
        return new HeroService() {
            @Override
            public String name() {
                return "hero_x";
            }

            @Override
            public String repo() {
                return "test/hero_x";
            }

            @Override
            public List<Role> roles() {
                return List.of(Role.SERVER);
            }

            @Override
            public String runtimeUser() {
                return user;
            }
        };
    }

    @BeforeEach
    void setUp() throws IOException {
        assumeThat(Files.isExecutable(PYTHON)).as("needs " + PYTHON).isTrue();
        paths = new HeroPaths(tmp, tmp.resolve("s"), tmp.resolve("code"));
        Path server = Files.createDirectories(paths.bin()).resolve("hero_x_server");
        Files.writeString(server, SERVER);
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwx------"));
        ctx = new Ctx(paths, sup, null, new BinaryInstaller(paths), null, Map.of(), tmp);
        manager = new ServiceManager(ServiceRegistry.of(List.of(heroX)), ctx,
                new OperationLog(tmp.resolve("ops"), 100), new EventBus());
    }

    @AfterEach
    void killTheServerAfterTheStop() {
        sup.status("hero_x").forEach(a -> fixture.killAfter(a.pid()));
    }

    @Test
    void aServicesRuntimeUserBecomesItsActionsUserUnlessItIsTheDaemonsOwn() {
        assertThat(heroX("nobody").actions(ctx).getFirst().user()).isEqualTo("nobody");
        assertThat(heroX.actions(ctx).getFirst().user()).as("the daemon's own user needs no setpriv").isNull();
    }

    @Test
    void aStaleRpcSockIsReclaimedAndTheServiceTurnsHealthyInItsStatus() throws IOException {
        Path sock = paths.serviceSocketDir("hero_x").resolve("rpc.sock");
        Files.createDirectories(sock.getParent());
        try (var crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(sock)); // left behind on close, as by a server that crashed
        }

        StartResult started = manager.start("hero_x", true, Duration.ofSeconds(20), true);

        assertThat(started.healthy()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(manager.status("hero_x").actions().getFirst().healthy()));
        ActionStatus server = manager.status("hero_x").actions().getFirst();
        assertThat(server.health()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("http_unix");
            assertThat(r.target()).isEqualTo(sock + " GET /health");
        });
        assertThat(manager.list().getFirst().healthy()).isTrue();
    }

    @Test
    void serviceHealthProbesTheActionsChecksAndFeedsTheStatus() {
        manager.start("hero_x", true, Duration.ofSeconds(20), true);

        HealthReport report = manager.health("hero_x");

        assertThat(report.ok()).isTrue();
        assertThat(report.checks()).singleElement().satisfies(r -> assertThat(r.detail()).contains("\"status\":\"ok\""));
        // the fed result, or a probe of the monitor's own that was in flight meanwhile: either way this check, passing
        assertThat(manager.status("hero_x").actions().getFirst().health()).singleElement()
                .satisfies(r -> assertThat(r.ok()).isTrue())
                .satisfies(r -> assertThat(r.target()).isEqualTo(report.checks().getFirst().target()));
    }

    @Test
    void aStaleInstanceOfTheServerScriptHoldingRpcSockIsStoppedBeforeTheStart() throws IOException {
        Path sock = paths.serviceSocketDir("hero_x").resolve("rpc.sock");
        var pb = new ProcessBuilder("/usr/bin/setsid", paths.bin().resolve("hero_x_server").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("stale.out").toFile());
        pb.environment().put("HERO_SOCKET_DIR", paths.socketDir().toString());
        Process stale = pb.start();
        fixture.killAfter(stale.pid());
        // the manager calls a service it does not run unhealthy whoever answers: ask the socket itself
        await().atMost(Duration.ofSeconds(10)).until(() -> answersHealthy(sock));

        StartResult started = manager.start("hero_x", true, Duration.ofSeconds(20), true);

        assertThat(started.healthy()).isTrue();
        assertThat(ProcFs.running(stale.pid())).as("the stale instance was stopped").isFalse();
        long pid = manager.status("hero_x").actions().getFirst().pid();
        assertThat(SocketHolders.ofUnixSocket(sock).holders()).extracting(SocketHolders.Holder::pid).containsExactly(pid);
    }

    private static boolean answersHealthy(Path sock) {
        try (var client = new UnixHttpClient(sock, Duration.ofSeconds(1))) {
            return client.get("/health").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
