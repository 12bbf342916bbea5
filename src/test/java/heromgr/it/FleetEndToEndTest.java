package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.http.UnixHttpClient;
import heromgr.service.HeroService;
import heromgr.service.Role;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole Hero fleet, every binary the stand-in (which acts by the conventions of its file name and the seed, not
 * by our classes): install (download from a forge of one release per repository) → start in dependency order, each
 * waited for until healthy → every service healthy → verify → stop. The quirks are seen from outside: hero_db's RESP
 * port answers PING, hero_router's loopback port answers HTTP, hero_books started only because its env named a
 * data folder and an embedder that answered.
 */
class FleetEndToEndTest {
    /** The seed's 33 modules. */
    static final Set<String> SEED_33 = Set.of("hero_agent", "hero_aibroker", "hero_biz", "hero_books", "hero_browser",
            "hero_claude", "hero_code", "code_indexer", "hero_codescalers", "hero_collab", "hero_compute", "hero_db",
            "hero_editor", "hero_embedder", "hero_foundry", "hero_indexer", "hero_livekit", "hero_logic", "hero_mail",
            "hero_matrixchat", "hero_office", "hero_os", "hero_osis", "hero_planner", "hero_proxy", "hero_router",
            "hero_runner_rhai", "hero_shrimp", "hero_slides", "hero_voice", "hero_wallet", "hero_whiteboard", "mycelium");

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    TestDaemon d;
    int respPort;
    int routerPort;

    @AfterEach
    void down() {
        if (forge != null) forge.close();
    }

    /** A daemon of every class, downloading from a forge publishing the fleet (old <svc>_ui names or not). */
    void upWith(boolean oldUiNames) throws IOException {
        forge = HeroStandin.fleetForge(oldUiNames);
        respPort = freePort();
        routerPort = freePort();
        d = daemons.start(Services.all(), Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "10000",
                "HERO_DB_RESP_PORT", Integer.toString(respPort), "HERO_ROUTER_PORT", Integer.toString(routerPort)));
    }

    @Test
    void theWholeFleetInstallsStartsIsHealthyVerifiesAndStops() throws IOException {
        upWith(false);
        List<HeroService> fleet = Services.fleet();
        assertThat(fleet.stream().map(HeroService::name)).containsAll(SEED_33).contains("hero_aibroker_mother").hasSize(34);
        for (HeroService s : fleet) install(s);
        startHealthyVerifyStop(fleet);
    }

    @Test
    @Disabled("needs the download's fallback to <svc>_ui assets (helper fleetops, branch fleetops): enabled at its merge")
    void releasesStillCarryingTheOldUiNamesInstallAsAdminAndRun() throws IOException {
        upWith(true);
        List<HeroService> fleet = Services.fleet();
        int old = 0;
        for (HeroService s : fleet) {
            JsonNode installed = install(s);
            String admin = s.binary(Role.ADMIN);
            if (!HeroStandin.OLD_UI_NAMES.contains(s.name()) || !s.binaries().contains(admin)) continue;
            assertThat(installed.at("/assets/" + admin).asText()).as(s.name())
                    .isEqualTo(s.name() + "_ui-" + s.assetSuffix());
            old++;
        }
        assertThat(old).isEqualTo(HeroStandin.OLD_UI_NAMES.size());
        startHealthyVerifyStop(fleet);
    }

    /** service.install mode download: the tag published, every declared binary in $HERO_HOME/bin. */
    JsonNode install(HeroService s) {
        JsonNode installed = d.result("service.install", Map.of("name", s.name(), "mode", "download"));
        assertThat(installed.get("version").asText()).as(s.name()).isEqualTo(HeroStandin.TAG);
        assertThat(installed.findValuesAsText("path")).as(s.name())
                .containsExactlyElementsOf(s.binaries().stream().map(b -> d.paths.bin().resolve(b).toString()).toList());
        return installed;
    }

    void startHealthyVerifyStop(List<HeroService> fleet) throws IOException {
        List<HeroService> order = dependencyOrder(fleet);
        assertThat(order.indexOf(byName(fleet, "hero_embedder"))).isLessThan(order.indexOf(byName(fleet, "hero_books")));
        for (HeroService s : order) {
            JsonNode started = d.call("service.start", Map.of("name", s.name(), "wait", true, "timeout_ms", 60_000));
            assertThat(started.get("error")).as(s.name() + ": " + started).isNull();
            assertThat(started.at("/result/healthy").asBoolean()).as(s.name() + ": " + started).isTrue();
            for (JsonNode a : d.result("service.status", Map.of("name", s.name())).get("actions")) daemons.killAtEnd(a.get("pid").asLong());
        }

        for (HeroService s : fleet) {
            JsonNode health = d.result("service.health", Map.of("name", s.name()));
            assertThat(health.get("ok").asBoolean()).as(s.name() + ": " + health).isTrue();
            long sockets = s.roles().stream().filter(Role::runs).count() + (s.name().equals("hero_router") ? 1 : 0);
            assertThat(health.findValuesAsText("kind").stream().filter("http_unix"::equals).count()).as(s.name()).isEqualTo(sockets);
            assertThat(d.result("service.verify", Map.of("name", s.name())).get("ok").asBoolean()).as(s.name()).isTrue();
        }
        assertThat(talk(respPort, "PING\r\n")).startsWith("+PONG");
        assertThat(talk(routerPort, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200").contains("\"service\":\"hero_router\"");
        assertThat(d.paths.home().resolve("var/hero_books")).isDirectory();
        heroSurface(d.paths.socketDir().resolve("hero_books/admin.sock"), "hero_books_admin");


        for (HeroService s : order.reversed()) {
            d.result("service.stop", Map.of("name", s.name()));
            assertThat(d.result("service.status", Map.of("name", s.name())).get("state").asText()).as(s.name()).isEqualTo("STOPPED");
        }
    }

    /** What every Hero socket answers besides /health: its OpenRPC document, its descriptor, a JSON-RPC call. */
    static void heroSurface(Path socket, String binary) throws IOException {
        try (var http = new UnixHttpClient(socket, Duration.ofSeconds(5))) {
            assertThat(http.get("/openrpc.json").text()).contains("\"openrpc\"").contains(binary);
            assertThat(http.get("/.well-known/heroservice.json").text()).contains("\"binary\":\"" + binary + "\"");
            String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"rpc.health\"}";
            assertThat(http.post("/rpc", "application/json", call.getBytes(StandardCharsets.UTF_8)).text())
                    .contains("\"id\":7").contains("\"status\":\"ok\"");
        }
    }

    /** Each service after every service it depends on. */
    static List<HeroService> dependencyOrder(List<HeroService> services) {
        Set<String> placed = new LinkedHashSet<>();
        List<HeroService> order = new ArrayList<>();
        while (order.size() < services.size()) {
            int before = order.size();
            for (HeroService s : services) {
                if (!placed.contains(s.name()) && placed.containsAll(s.dependsOn())) {
                    placed.add(s.name());
                    order.add(s);
                }
            }
            assertThat(order.size()).as("a dependency cycle or a missing dependency").isGreaterThan(before);
        }
        return order;
    }

    static HeroService byName(List<HeroService> services, String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends text to a loopback port and reads the first answer. */
    static String talk(int port, String text) throws IOException {
        try (var s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }
}
