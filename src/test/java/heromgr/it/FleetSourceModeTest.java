package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.http.UnixHttpClient;
import heromgr.service.HeroService;
import heromgr.service.Role;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three shapes of the fleet through source mode, each from a git remote holding a crate that builds the stand-in
 * under exactly the binary names its class declares: hero_db (CLI + server + admin, and its RESP port), hero_code
 * (CLI + server + web), hero_planner (bare server name + admin + web). For each: service.build clones the missing
 * checkout and runs cargo → service.install (mode source) → service.start, waited for until healthy →
 * service.health → stop. The stand-in binds the sockets its own name gives it, so a class declaring a wrong binary
 * name or role fails here.
 */
class FleetSourceModeTest {
    static final String TOKEN = "tok-5be20d9a41c3";
    static final List<String> SHAPES = List.of("hero_db", "hero_code", "hero_planner");
    static final Path STANDIN = Path.of("src/test/rust/hero_standin");

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    GitForge forge;

    @AfterEach
    void down() {
        if (forge != null) forge.close();
    }

    @Test
    void threeShapesAreClonedBuiltInstalledStartedHealthyAndStopped() throws Exception {
        forge = new GitForge(Files.createDirectories(daemons.root().resolve("forge")), TOKEN);
        List<HeroService> shapes = SHAPES.stream().map(n -> FleetEndToEndTest.byName(Services.fleet(), n)).toList();
        for (HeroService s : shapes) forge.publish(s.repo(), crate(s));
        int respPort = FleetEndToEndTest.freePort();
        // one target folder for the three crates (their package names differ): the stand-in's std build is shared
        Path cargoTarget = daemons.root().resolve("cargo-target");
        TestDaemon d = daemons.start(Services.all(), Map.of("FORGEJO_URL", forge.url(), "FORGEJO_TOKEN", TOKEN,
                "CARGO_TARGET_DIR", cargoTarget.toString(), "HERO_DB_RESP_PORT", Integer.toString(respPort)));
        for (HeroService s : shapes) {
            buildAndInstall(d, s);
            startHealthyStop(d, s, respPort);
        }
        assertThat(forge.authorizations).isNotEmpty().allMatch(("token " + TOKEN)::equals);
        assertThat(forge.paths).allMatch(p -> SHAPES.stream().anyMatch(n -> p.startsWith("/lhumina_code/" + n + ".git/")));
    }

    /** Cloned (no checkout was there), built by cargo into the shared target, every declared binary in $HERO_HOME/bin. */
    static void buildAndInstall(TestDaemon d, HeroService s) {
        Path checkout = d.paths.codeRoot().resolve(s.repo());
        assertThat(checkout).doesNotExist();
        JsonNode build = d.result("service.build", Map.of("name", s.name()));
        assertThat(checkout.resolve(".git")).as(s.name()).isDirectory();
        assertThat(build.findValuesAsText("path")).as(s.name()).hasSize(s.binaries().size())
                .allMatch(p -> p.contains("/cargo-target/release/"));
        d.result("service.install", Map.of("name", s.name(), "mode", "source"));
        for (String binary : s.binaries()) assertThat(d.paths.bin().resolve(binary)).as(binary).isExecutable();
    }

    /** Started and healthy, each running role's socket answering /health as its binary, then stopped. */
    void startHealthyStop(TestDaemon d, HeroService s, int respPort) throws IOException {
        JsonNode started = d.call("service.start", Map.of("name", s.name(), "timeout_ms", 60_000));
        assertThat(started.at("/result/healthy").asBoolean()).as(s.name() + ": " + started).isTrue();
        for (JsonNode a : d.result("service.status", Map.of("name", s.name())).get("actions")) daemons.killAtEnd(a.get("pid").asLong());
        assertThat(d.result("service.health", Map.of("name", s.name())).get("ok").asBoolean()).as(s.name()).isTrue();
        List<Role> running = s.roles().stream().filter(Role::runs).toList();
        assertThat(running).as(s.name()).hasSizeGreaterThanOrEqualTo(2);
        for (Role role : running) {
            Path socket = d.paths.socketDir().resolve(s.name()).resolve(role.socketFile().orElseThrow());
            try (var http = new UnixHttpClient(socket, Duration.ofSeconds(5))) {
                UnixHttpClient.Response health = http.get("/health");
                assertThat(health.status()).as(socket.toString()).isEqualTo(200);
                assertThat(health.text()).as(socket.toString()).contains("\"service\":\"" + s.binary(role) + "\"");
            }
        }
        if (s.name().equals("hero_db")) assertThat(FleetEndToEndTest.talk(respPort, "PING\r\n")).startsWith("+PONG");
        d.result("service.stop", Map.of("name", s.name()));
        assertThat(d.result("service.status", Map.of("name", s.name())).get("state").asText()).as(s.name()).isEqualTo("STOPPED");
    }

    /** A std-only crate building the stand-in's sources once per binary name the class declares. */
    Path crate(HeroService s) throws IOException {
        Path dir = daemons.root().resolve("crates").resolve(s.name());
        FailurePathsTest.copyCrate(STANDIN.resolve("src"), dir.resolve("src"));
        var toml = new StringBuilder("[package]\nname = \"" + s.name() + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                + "publish = false\n\n[dependencies]\n\n[profile.release]\nopt-level = 1\ndebug = false\n");
        for (String binary : s.binaries()) toml.append("\n[[bin]]\nname = \"").append(binary).append("\"\npath = \"src/main.rs\"\n");
        Files.writeString(dir.resolve("Cargo.toml"), toml);
        return dir;
    }
}
