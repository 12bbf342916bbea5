package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.Role;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.FileTree;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stand-in is not shaped to make a class pass: run by hand without what the seed says a binary needs it refuses
 * with one line naming the problem, and a class that names a wrong variable, socket or binary fails to start.
 */
class FleetMisnamedTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    /** Where the stand-in is run by hand. */
    Path scratch;
    FakeForge forge;

    @BeforeEach
    void up() throws IOException {
        scratch = Files.createTempDirectory("heromgr-standin-");
        forge = HeroStandin.fleetForge(false);
    }

    @AfterEach
    void down() throws IOException {
        forge.close();
        FileTree.delete(scratch);
    }

    record Run(int exit, String stderr) {
    }

    /** The stand-in installed as binary, run with these args and env (and nothing else), to its end. */
    Run runAs(String binary, Map<String, String> env, String... args) throws Exception {
        Path bin = Files.createDirectories(scratch.resolve("bin")).resolve(binary);
        if (!Files.exists(bin)) Files.copy(HeroStandin.binary(), bin);
        List<String> argv = new ArrayList<>(List.of(bin.toString()));
        argv.addAll(List.of(args));
        var pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(binary + " ended").isTrue();
            return new Run(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void byHandItRefusesWhatTheSeedSaysABinaryNeeds() throws Exception {
        Map<String, String> sockets = Map.of("HERO_SOCKET_DIR", scratch.resolve("s").toString());
        assertThat(runAs("hero_db_server", Map.of())).isEqualTo(new Run(1, "hero_db_server: HERO_SOCKET_DIR is not set"));
        assertThat(runAs("hero_db_server", sockets)).isEqualTo(new Run(2, "hero_db_server: missing --resp-port N"));
        assertThat(runAs("hero_router", sockets, "--bind", "127.0.0.1")).isEqualTo(new Run(2, "hero_router: missing --port N"));
        assertThat(runAs("hero_browser_server", sockets, "--resp-port", "1")).isEqualTo(new Run(2, "hero_browser_server: unknown argument '--resp-port'"));
        assertThat(runAs("hero_books_server", sockets)).isEqualTo(new Run(1, "hero_books_server: HERO_BOOKS_DATA is not set"));
        var books = new HashMap<>(sockets);
        books.put("HERO_BOOKS_DATA", Files.createDirectories(scratch.resolve("books")).toString());
        books.put("HERO_EMBEDDER_URL", scratch.resolve("s/hero_embedder/rpc.sock").toString());
        Run noEmbedder = runAs("hero_books_server", books);
        assertThat(noEmbedder.exit()).isEqualTo(1);
        assertThat(noEmbedder.stderr()).startsWith("hero_books_server: HERO_EMBEDDER_URL " + books.get("HERO_EMBEDDER_URL") + " does not answer");
        assertThat(runAs("hero_books", Map.of())).isEqualTo(new Run(0, ""));
    }

    /** How a misnamed class differs from the real one. */
    enum Mistake { VARIABLE, SOCKET, BINARY }

    /** A fleet class with one mistake: everything else is the real class's. */
    record Misnamed(HeroService real, Mistake mistake) implements HeroService {
        @Override
        public String name() {
            return real.name();
        }

        @Override
        public String repo() {
            return real.repo();
        }

        @Override
        public List<Role> roles() {
            return real.roles();
        }

        @Override
        public List<String> dependsOn() {
            return real.dependsOn();
        }

        @Override
        public String assetSuffix() {
            return real.assetSuffix();
        }

        @Override
        public List<String> args(Ctx ctx, Role role) {
            return real.args(ctx, role);
        }

        @Override
        public List<Integer> tcpPorts(Ctx ctx, Role role) {
            return real.tcpPorts(ctx, role);
        }

        /** VARIABLE: hero_books' data folder under a name the seed does not give. */
        @Override
        public Map<String, String> env(Ctx ctx) {
            Map<String, String> env = new HashMap<>(real.env(ctx));
            if (mistake == Mistake.VARIABLE) env.put("HERO_BOOKS_DIR", env.remove("HERO_BOOKS_DATA"));
            return env;
        }

        /** SOCKET: the server probed on server.sock instead of rpc.sock. */
        @Override
        public Path socket(Ctx ctx, Role role) {
            Path right = real.socket(ctx, role);
            return mistake == Mistake.SOCKET && role == Role.SERVER ? right.resolveSibling("server.sock") : right;
        }

        /** BINARY: the CLI run as the server. */
        @Override
        public String binary(Role role) {
            return mistake == Mistake.BINARY && role == Role.SERVER ? real.binary(Role.CLI) : real.binary(role);
        }
    }

    @Test
    void aClassNamingAWrongVariableSocketOrBinaryFailsToStart() throws IOException {
        List<HeroService> services = new ArrayList<>(Services.fleet().stream()
                .filter(s -> !List.of("hero_books", "hero_db", "hero_browser").contains(s.name())).toList());
        services.add(new Misnamed(FleetEndToEndTest.byName(Services.fleet(), "hero_books"), Mistake.VARIABLE));
        services.add(new Misnamed(FleetEndToEndTest.byName(Services.fleet(), "hero_db"), Mistake.SOCKET));
        services.add(new Misnamed(FleetEndToEndTest.byName(Services.fleet(), "hero_browser"), Mistake.BINARY));
        TestDaemon d = daemons.start(services, Map.of("FORGEJO_URL", forge.url(),
                "HERO_DB_RESP_PORT", Integer.toString(FleetEndToEndTest.freePort())));
        for (String name : List.of("hero_embedder", "hero_books", "hero_db")) {
            d.result("service.install", Map.of("name", name, "mode", "download"));
        }
        // the CLI binary stays installed (the class still declares it): the mistake is what it runs as the server
        d.result("service.install", Map.of("name", "hero_browser", "mode", "download"));

        for (String name : List.of("hero_books", "hero_db", "hero_browser")) {
            JsonNode started = d.call("service.start", Map.of("name", name, "wait", true, "with_deps", true, "timeout_ms", 4000));
            for (String n : List.of(name, "hero_embedder")) {
                for (JsonNode a : d.result("service.status", Map.of("name", n)).get("actions")) daemons.killAtEnd(a.get("pid").asLong());
            }
            assertThat(started.get("error")).as(name + " must not start: " + started).isNotNull();
            assertThat(d.result("service.health", Map.of("name", name)).get("ok").asBoolean()).as(name).isFalse();
        }
        assertThat(d.result("service.logs", Map.of("name", "hero_books", "lines", 50)).get("lines").toString())
                .contains("HERO_BOOKS_DATA is not set");
    }
}
