package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.OpenRpcContract;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.FileTree;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `heromgr logs` against a real daemon: an action's lines, and an action the service does not have named as the mistake. */
class LogsCommandTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @BeforeAll
    static void aServiceThatSaysHello() {
        d.result("service.create", Map.of("name", "t_hello", "argv", List.of("/bin/sh", "-c", "echo hello; exec sleep 300")));
    }

    @AfterAll
    static void deleteIt() {
        d.result("service.delete", Map.of("name", "t_hello"));
    }

    @Test
    void theLinesOfTheActionNamed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> CliRun.of(env, "logs", "t_hello", "--action", "main").out().contains("hello"));
    }

    @Test
    void withTheDaemonDownTheLogsAreReadFromTheirFiles() throws IOException {
        Path home = Files.createTempDirectory("heromgr-offline");
        try {
            Path log = Files.createDirectories(home.resolve("var/log/t_gone")).resolve("main.log");
            Files.writeString(log, "one\ntwo\nthree\n");
            Files.writeString(log.resolveSibling("admin.log"), "panel\n");
            // no time index beside them (written by hand): each line takes its file's modification time
            Files.setLastModifiedTime(log, FileTime.from(Instant.parse("2026-12-05T10:00:00Z")));
            Files.setLastModifiedTime(log.resolveSibling("admin.log"), FileTime.from(Instant.parse("2026-12-05T09:00:00Z")));
            var down = Map.of("HERO_HOME", home.toString());

            CliRun all = CliRun.of(down, "logs", "t_gone", "-n", "2", "--plain");
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out().lines()).containsExactly("panel", "two", "three");
            assertThat(all.err()).contains("the daemon is not running; read from " + log.getParent());
            String local = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSS", Locale.ENGLISH)
                    .format(Instant.parse("2026-12-05T10:00:00Z").atZone(ZoneId.systemDefault()));
            assertThat(CliRun.of(down, "logs", "t_gone", "-n", "1").out().lines()).containsExactly(
                    DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSS", Locale.ENGLISH)
                            .format(Instant.parse("2026-12-05T09:00:00Z").atZone(ZoneId.systemDefault())) + " admin: panel",
                    local + " main: three");

            CliRun one = CliRun.of(down, "logs", "t_gone", "--action", "main", "--json");
            assertThat(one.exitCode()).isZero();
            assertThat(JsonCodec.MAPPER.readTree(one.out()).path("lines").toString()).isEqualTo("[\"one\",\"two\",\"three\"]");

            CliRun none = CliRun.of(down, "logs", "t_never");
            assertThat(none.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(none.err()).contains("there is no log of t_never in " + home.resolve("var/log/t_never"));
            CliRun noneJson = CliRun.of(down, "logs", "t_never", "--json");
            assertThat(noneJson.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(JsonCodec.MAPPER.readTree(noneJson.out()).path("message").asText())
                    .as("with --json the error is on stdout too").endsWith("there is no log of t_never in " + home.resolve("var/log/t_never"));
            assertThat(CliRun.of(down, "logs", "../etc").exitCode()).as("no path out of the log folder").isEqualTo(ExitCode.USAGE);

            Files.writeString(Files.createDirectories(home.resolve("var/log/t_plain")).resolve("main.log"), "plain\n");
            CliRun admins = CliRun.of(down, "logs", "--all", "--action", "admin", "--plain");
            assertThat(admins.exitCode()).as("t_plain has no admin: not one of those meant").isZero();
            assertThat(admins.out().lines()).containsExactly("panel");
            assertThat(CliRun.of(down, "logs", "--all", "--action", "nosuch").exitCode()).isEqualTo(ExitCode.NO_SUCH_SERVICE);

            CliRun follow = CliRun.of(down, "logs", "t_gone", "--action", "main", "-n", "2", "-f", "--plain");
            assertThat(follow.exitCode()).as("following needs the daemon").isEqualTo(ExitCode.UNREACHABLE);
            assertThat(follow.out().lines()).as("the past lines, still plain").containsExactly("two", "three");
            assertThat(CliRun.of(down, "logs", "t_gone", "-n", "1", "-f").out().lines()).as("shown as without -f").containsExactly(
                    CliRun.of(down, "logs", "t_gone", "-n", "1").out().lines().toArray(String[]::new));
        } finally {
            FileTree.delete(home);
        }
    }

    @Test
    void withTheDaemonDownTheTimeIndexesAndBothStreamsAreRead() throws IOException {
        Path home = Files.createTempDirectory("heromgr-offline");
        try {
            Path dir = Files.createDirectories(home.resolve("var/log/t_gone"));
            Instant t1 = Instant.parse("2026-12-05T10:00:00Z");
            Instant t2 = t1.plusSeconds(60);
            Instant t3 = t1.plusSeconds(120);
            // x1 written by t1, x2 by t3 (the index the daemon kept); e1 on stderr at t2 (its file's mtime, no index)
            Files.writeString(dir.resolve("main.log"), "x1\nx2\n");
            Files.writeString(dir.resolve(".main.log.idx"), "3 " + t1.toEpochMilli() + "\n6 " + t3.toEpochMilli() + "\n");
            Files.setLastModifiedTime(dir.resolve("main.log"), FileTime.from(t3));
            Files.writeString(dir.resolve("main.err.log"), "e1\n");
            Files.setLastModifiedTime(dir.resolve("main.err.log"), FileTime.from(t2));
            var down = Map.of("HERO_HOME", home.toString());

            assertThat(CliRun.of(down, "logs", "t_gone", "--plain").out().lines()).containsExactly("x1", "e1", "x2");
            JsonNode entries = JsonCodec.MAPPER.readTree(CliRun.of(down, "logs", "t_gone", "--json").out()).path("entries");
            assertThat(entries.findValuesAsText("time")).containsExactly(t1.toString(), t2.toString(), t3.toString());
            assertThat(entries.findValuesAsText("stream")).containsExactly("stdout", "stderr", "stdout");
            assertThat(CliRun.of(down, "logs", "t_gone", "--stream", "stderr", "--plain").out().lines()).containsExactly("e1");
            assertThat(CliRun.of(down, "logs", "t_gone", "--since", t2.toString(), "--plain").out().lines()).containsExactly("e1", "x2");
            assertThat(CliRun.of(down, "logs", "t_gone", "--until", t2.toString(), "--plain").out().lines()).containsExactly("x1", "e1");
            assertThat(CliRun.of(down, "logs", "--all", "--plain").out().lines()).containsExactly("x1", "e1", "x2");
        } finally {
            FileTree.delete(home);
        }
    }

    @Test
    void theDefaultWithTheDaemonDownIsTheDocumentsDefault() {
        var contract = OpenRpcContract.load(JsonCodec.MAPPER);
        assertThat(ServiceCommand.DEFAULT_LINES).isEqualTo(contract.paramDefaults("service.logs").get("lines").asInt());
    }

    @Test
    void aServiceNamedTwiceIsShownOnce() {
        await().atMost(Duration.ofSeconds(30)).until(() -> CliRun.of(env, "logs", "t_hello").out().contains("hello"));
        CliRun twice = CliRun.of(env, "logs", "t_hello", "t_hello");
        assertThat(twice.exitCode()).as(twice.err()).isZero();
        assertThat(twice.out()).isEqualTo(CliRun.of(env, "logs", "t_hello").out());
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsAUsageMistake() {
        CliRun run = CliRun.of(env, "logs", "t_hello", "--since", "1m", "--until", "2h");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().lines()).containsExactly("heromgr: --since 1m is after --until 2h", "see `heromgr logs --help`");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownStreamIsAUsageMistake() {
        CliRun run = CliRun.of(env, "logs", "t_hello", "--stream", "stdin");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().lines()).containsExactly("heromgr: --stream must be stdout or stderr, not stdin", "see `heromgr logs --help`");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anActionTheServiceDoesNotHaveIsAnErrorNotAnEmptyLog() {
        CliRun run = CliRun.of(env, "logs", "t_hello", "--action", "nosuch");
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SUCH_SERVICE);
        assertThat(run.err()).contains("t_hello has no action nosuch (its actions: main)");
        assertThat(run.out()).isEmpty();
    }
}
