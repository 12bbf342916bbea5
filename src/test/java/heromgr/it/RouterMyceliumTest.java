package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.services.HeroRouter;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * hero_router's Mycelium bind, the branch a machine without Mycelium never takes: an interface (one end of a veth
 * pair) carrying an address in 400::/7 (what Mycelium's TUN interface carries) is added for the test, and the router, installed from a
 * release of the stand-in, must be started on that address, resolved at its start, instead of loopback. Needs root
 * and iproute2 (CI has both); skipped otherwise. The interface is removed afterwards.
 */
class RouterMyceliumTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    private final String nic = "hmt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final String address = "400::" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10, 0xfff)) + ":1";
    private FakeForge forge;
    private boolean added;

    private static boolean ip(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("/usr/sbin/ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @AfterEach
    void removeTheInterface() throws Exception {
        if (forge != null) forge.close();
        if (added) ip("link", "del", nic);   // its peer goes with it
    }

    @Test
    void onAMachineWithAMyceliumAddressTheRouterBindsItInsteadOfLoopback() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to add an interface");
        // a veth pair: the kind of link this sandbox lets a test make (dummy interfaces are not built in everywhere)
        added = ip("link", "add", nic, "type", "veth", "peer", "name", nic + "p");
        assumeTrue(added, "cannot add an interface here");
        assumeTrue(ip("link", "set", nic, "up") && ip("link", "set", nic + "p", "up")
                && ip("-6", "addr", "add", address + "/7", "dev", nic, "nodad"), "no IPv6 address could be put on " + nic);

        forge = new FakeForge();
        HeroStandin.publish(forge, List.of(new HeroRouter()), false);
        int port = FleetEndToEndTest.freePort();
        TestDaemon d = daemons.start(List.of(new HeroRouter()), Map.of("FORGEJO_URL", forge.url(), "HERO_ROUTER_PORT",
                Integer.toString(port)));
        d.result("service.install", Map.of("name", "hero_router", "mode", "download"));
        JsonNode started = d.result("service.start", Map.of("name", "hero_router", "timeout_ms", 60_000));
        try {
            assertThat(started.path("healthy").asBoolean()).as(started.toString()).isTrue();
            JsonNode server = d.result("service.inspect", Map.of("name", "hero_router")).at("/actions/0");
            String argv = server.path("argv").toString();
            assertThat(argv).as("bound to the Mycelium address, resolved at this start").contains("--bind")
                    .contains(InetAddress.getByName(address).getHostAddress()).doesNotContain("127.0.0.1");
            // the router's HTTP port answers on that address: the stand-in listens where it was told
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 10_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200").contains("hero_router");
            }
        } finally {
            d.result("service.stop", Map.of("name", "hero_router"));
        }
    }
}
