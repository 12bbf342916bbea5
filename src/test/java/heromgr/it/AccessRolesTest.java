package heromgr.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.HeroPaths;
import heromgr.fs.JsonCodec;
import heromgr.server.AccessGroups;
import heromgr.server.Daemon;
import heromgr.services.Services;
import heromgr.testkit.DaemonClient;
import heromgr.testkit.DaemonExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Roles by peer credentials, with real clients running as other users (setpriv): a daemon started with
 * --operator-group staff --viewer-group users lets a member of staff start a service, a member of users list but
 * not stop it (-32012, one log line; on admin.sock GET /access tells each its role), and refuses a stranger, whether the file modes stop it or the peer check does.
 */
class AccessRolesTest {
    static final String OPERATOR_GROUP = "staff";
    static final String VIEWER_GROUP = "users";

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @BeforeAll
    static void rootOnly() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run clients as other users");
    }

    /** A client as uid (not root, not in any group but gid) calling the socket with curl; body null for a GET of /health. */
    static Curl curl(Path socket, int uid, int gid, String body) throws Exception {
        return body == null ? get(socket, uid, gid, "/health")
                : asUser(socket, uid, gid, List.of("-H", "Content-Type: application/json", "-d", body, "http://x/rpc"));
    }

    static Curl get(Path socket, int uid, int gid, String path) throws Exception {
        return asUser(socket, uid, gid, List.of("http://x" + path));
    }

    private static Curl asUser(Path socket, int uid, int gid, List<String> request) throws Exception {
        var cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                "curl", "-sS", "--max-time", "10", "--unix-socket", socket.toString()));
        cmd.addAll(request);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(p.exitValue(), out);
    }

    record Curl(int exit, String output) {
        JsonNode json() throws Exception {
            assertThat(exit).as(output).isZero();
            return JsonCodec.MAPPER.readTree(output);
        }
    }

    static String rpc(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @Test
    void operatorsOperateViewersOnlyReadStrangersAreRefused() throws Exception {
        Path home = daemons.root().resolve("home");
        // other users must be able to walk down to the socket's folder: that folder itself is the daemon's to open
        Files.setPosixFilePermissions(daemons.root(), PosixFilePermissions.fromString("rwx--x--x"));
        var paths = new HeroPaths(home, home.resolve("var/sockets"), home.resolve("code"));
        Files.createDirectories(paths.managerSocket().getParent().getParent());
        for (Path p = paths.managerSocket().getParent().getParent(); !p.equals(daemons.root()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        var env = new HashMap<>(System.getenv());
        env.put("CODEROOT", home.resolve("code").toString());
        Daemon daemon = Daemon.start(paths, null, Services.all(), env, true, new AccessGroups(OPERATOR_GROUP, VIEWER_GROUP));
        daemons.atEnd(daemon::close);
        Path socket = daemon.socket();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");

        String create = rpc("service.create", "{\"name\":\"r_sleep\",\"argv\":[\"/bin/sleep\",\"3600\"],\"start\":false}");
        assertThat(new DaemonClient(socket).postRpc(create).has("result")).as("the daemon's own user operates").isTrue();

        // uid 1 (daemon) with staff as its group: an operator
        JsonNode started = curl(socket, 1, 50, rpc("service.start", "{\"name\":\"r_sleep\"}")).json();
        assertThat(started.at("/result/state").asText()).as(started.toString()).isEqualTo("RUNNING");
        JsonNode ops = new DaemonClient(socket).result("service.ops", Map.of("name", "r_sleep"));
        assertThat(ops.at("/0/caller").asText()).isEqualTo("daemon");

        // uid 2 (bin) with users as its group: a viewer
        var refusals = new ListAppender<ILoggingEvent>();
        refusals.start();
        var dispatcherLog = (Logger) LoggerFactory.getLogger("heromgr.rpc.Dispatcher");
        dispatcherLog.addAppender(refusals);
        try {
            JsonNode list = curl(socket, 2, 100, rpc("service.list", "{}")).json();
            assertThat(list.get("result").findValuesAsText("name")).contains("r_sleep");
            assertThat(curl(socket, 2, 100, rpc("service.status", "{\"name\":\"r_sleep\"}")).json().at("/result/state").asText())
                    .isEqualTo("RUNNING");
            JsonNode stop = curl(socket, 2, 100, rpc("service.stop", "{\"name\":\"r_sleep\"}")).json();
            assertThat(stop.at("/error/code").asInt()).as(stop.toString()).isEqualTo(-32012);
            assertThat(stop.at("/error/message").asText()).contains("service.stop", "'bin'", "may only read");
        } finally {
            dispatcherLog.detachAppender(refusals);
        }
        assertThat(refusals.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("refused service.stop to user 'bin': read access, the method needs operate");
        assertThat(new DaemonClient(socket).result("service.status", Map.of("name", "r_sleep")).get("state").asText())
                .as("the viewer's stop did nothing").isEqualTo("RUNNING");

        // admin.sock, where the Admin UI's page asks what it may do: the same peer credentials decide
        JsonNode viewerPage = get(daemon.adminSocket(), 2, 100, "/access").json();
        assertThat(viewerPage.get("caller").asText()).isEqualTo("bin");
        assertThat(viewerPage.get("access").asText()).isEqualTo("read");
        assertThat(viewerPage.get("may_call").toString()).contains("\"service.status\"").doesNotContain("\"service.stop\"");
        JsonNode operatorPage = get(daemon.adminSocket(), 1, 50, "/access").json();
        assertThat(operatorPage.get("access").asText()).as(operatorPage.toString()).isEqualTo("operate");
        assertThat(operatorPage.get("may_call").toString()).contains("\"service.stop\"");

        // nobody: stopped by the modes; with root's group (the socket's own), it passes them and the peer check refuses it
        Curl byModes = curl(socket, 65534, 65534, null);
        assertThat(byModes.exit()).as(byModes.output()).isNotZero();
        var connectorLog = (Logger) LoggerFactory.getLogger("heromgr.server.PeerCheckingConnector");
        var refused = new ListAppender<ILoggingEvent>();
        refused.start();
        connectorLog.addAppender(refused);
        try {
            Curl byPeerCheck = curl(socket, 65534, 0, null);
            assertThat(byPeerCheck.exit()).as(byPeerCheck.output()).isNotZero();
            assertThat(byPeerCheck.output()).doesNotContain("\"status\":\"ok\"");
            // the connector closes the connection before it logs: the line may come after curl is gone
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(refused.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("refused connection from user 'nobody' (group root): not allowed")));
        } finally {
            connectorLog.detachAppender(refused);
        }
        assertThat(curl(socket, 2, 100, null).output()).as("a viewer reads /health").contains("\"status\":\"ok\"");
    }

    @Test
    void anUnknownGroupStopsTheStartNamingTheOption() {
        Path home = daemons.root().resolve("home");
        var paths = new HeroPaths(home, home.resolve("var/sockets"), home.resolve("code"));
        assertThat(catchThrowable(() -> Daemon.start(paths, null, Services.all(), Map.of(), true,
                new AccessGroups(null, "no_such_group_here")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--viewer-group: no such group 'no_such_group_here'");
    }
}
