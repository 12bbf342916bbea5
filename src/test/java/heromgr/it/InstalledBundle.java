package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonClient;
import heromgr.testkit.FileTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle `mvn package` made (target/heromgr-<version>-linux-amd64.tar.gz), unpacked with tar into a temp folder
 * and installed with its own `self install` into ~/hero there. Every command runs with an environment holding only
 * HOME and PATH=$HERO_HOME/bin (plus what a test adds): no JDK, no JAVA_HOME. Closing it stops the services and the
 * daemon it started, by pid, and removes the folder.
 */
final class InstalledBundle implements AutoCloseable {
    record Run(int code, String out, String err) {
        Run expect(int expected) {
            assertThat(code).as("exit code; stdout:\n%s\nstderr:\n%s", out, err).isEqualTo(expected);
            return this;
        }
    }

    final Path dir;
    final Path user;
    final Path home;
    final Path unpacked;
    final String version;
    final Map<String, String> extraEnv = new HashMap<>();
    /** A folder every command of this bundle runs without: an empty tmpfs over it in a mount namespace of its own. */
    Path hidden;
    private final Set<Long> started = new HashSet<>();

    private InstalledBundle(Path dir, Path unpacked, String version) {
        this.dir = dir;
        this.user = dir.resolve("user");
        this.home = user.resolve("hero");
        this.unpacked = unpacked;
        this.version = version;
    }

    /** The archive of this build: exactly one in target/. */
    static Path archive() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("target"), "heromgr-*-linux-amd64.tar.gz")) {
            s.forEach(found::add);
        }
        assertThat(found).as("the bundle of `mvn package` in target/").hasSize(1);
        return found.getFirst().toAbsolutePath();
    }

    /** Unpacked (by tar, as a user does) and installed from the unpacked folder. */
    static InstalledBundle unpackAndInstall() throws Exception {
        Path archive = archive();
        String name = archive.getFileName().toString().replace("-linux-amd64.tar.gz", "");
        Path dir = Files.createTempDirectory("heromgr-bundle-it");
        var bundle = new InstalledBundle(dir, dir.resolve("unpacked").resolve(name), name.substring("heromgr-".length()));
        try {
            Files.createDirectories(bundle.user);
            Files.createDirectories(dir.resolve("unpacked"));
            exec(List.of("tar", "-xzf", archive.toString(), "-C", dir.resolve("unpacked").toString()), Map.of(), 120).expect(0);
            bundle.runWith(bundle.unpacked.resolve("bin/heromgr"), "self", "install").expect(0);
            return bundle;
        } catch (Exception | AssertionError e) {
            FileTree.delete(dir);
            throw e;
        }
    }

    Path launcher() {
        return home.resolve("bin/heromgr");
    }

    Path socket() {
        return home.resolve("var/sockets/heromgr/service.sock");
    }

    /** $HERO_HOME/bin/heromgr args. */
    Run run(String... args) throws Exception {
        return runWith(launcher(), args);
    }

    Run runWith(Path launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (hidden != null) {
            command.addAll(List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                    "/usr/bin/mount -t tmpfs -o size=1m,mode=0755 heromgr-hidden \"$0\" && exec \"$@\"", hidden.toString()));
        }
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(Map.of("HOME", user.toString(), "PATH", home.resolve("bin").toString()));
        env.putAll(extraEnv);
        return exec(command, env, 180);
    }

    /** Runs command with exactly env as its environment, within limitSeconds. */
    static Run exec(List<String> command, Map<String, String> env, int limitSeconds) throws Exception {
        Path out = Files.createTempFile("heromgr-it-", ".out");
        Path err = Files.createTempFile("heromgr-it-", ".err");
        try {
            var pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " still running after " + limitSeconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The daemon answering on the home's socket (its pid); started ones are stopped when this closes. */
    long daemonPid() throws IOException {
        long pid = JsonCodec.MAPPER.readTree(new DaemonClient(socket()).http("GET", "/health", null).body()).path("pid").asLong();
        started.add(pid);
        return pid;
    }

    /** The result of `rpc METHOD PARAMS --json` (which must succeed). */
    JsonNode rpc(String method, String params) throws Exception {
        return JsonCodec.MAPPER.readTree(run("rpc", method, params, "--json").expect(0).out());
    }

    /** The pid of a running service's only action; the process is stopped when this closes. */
    long servicePid(String service) throws Exception {
        long pid = rpc("service.status", "{\"name\":\"" + service + "\"}").path("actions").get(0).path("pid").asLong();
        started.add(pid);
        return pid;
    }

    /** The program a process runs (its executable). */
    static String command(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("(gone)");
    }

    @Override
    public void close() throws Exception {
        try {
            for (long pid : started) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            for (long pid : started) ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        } finally {
            FileTree.delete(dir);
        }
    }
}
