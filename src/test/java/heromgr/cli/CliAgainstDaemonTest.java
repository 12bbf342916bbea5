package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CLI as a user runs it, against a real daemon on its real socket. */
class CliAgainstDaemonTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon();
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @Test
    void listPrintsAnAlignedTable() {
        CliRun r = CliRun.of(env, "service", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("NAME").contains("STATE").containsPattern("hero_echo\\s+rust\\s+STOPPED");
    }

    @Test
    void jsonPrintsTheResultExactly() throws IOException {
        CliRun r = CliRun.of(env, "service", "status", "hero_echo", "--json");
        // the exit code is the same with --json: hero_echo is not running
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        JsonNode printed = JsonCodec.MAPPER.readTree(r.out());
        assertThat(printed).isEqualTo(d.result("service.status", Map.of("name", "hero_echo")));
    }

    @Test
    void jsonPrintsTheErrorObjectAsTheDaemonSentIt() throws IOException {
        d.result("service.create", Map.of("name", "t_base", "argv", List.of("/bin/true"), "start", false));
        d.result("service.create", Map.of("name", "t_user", "argv", List.of("/bin/true"), "depends_on", List.of("t_base"), "start", false));
        try {
            assertPrintsTheErrorAsSent(4, "{\"name\":\"hero_nothing\"}", "service", "status", "hero_nothing");
            // -32010 carries data (the dependents)
            assertPrintsTheErrorAsSent(1, "{\"name\":\"t_base\"}", "service", "delete", "t_base");
        } finally {
            d.result("service.delete", Map.of("name", "t_base", "cascade", true));
        }
    }

    /** The CLI's --json output of the failing call is the error object of the same call's raw answer, pretty-printed. */
    private static void assertPrintsTheErrorAsSent(int exit, String params, String... args) throws IOException {
        String method = "service." + args[1];
        var raw = d.http("POST", "/rpc", ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}")
                .getBytes(StandardCharsets.UTF_8));
        String[] withJson = Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        CliRun r = CliRun.of(env, withJson);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
        assertThat(r.out()).isEqualTo(JsonText.pretty(JsonText.read(raw.body()).get("error")) + System.lineSeparator());
    }

    @Test
    void aValueTheDaemonRefusesIsAUsageMistakeInAPersonsWords() {
        CliRun r = CliRun.of(env, "status", "Hero-Echo");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().lines()).containsExactly(
                "heromgr: invalid service name 'Hero-Echo': service names are lowercase letters, digits and _, start with a letter,"
                        + " at most 64 long (an @instance after one likewise)",
                "see `heromgr status --help`");
        assertThat(CliRun.of(env, "service", "status", "Hero-Echo", "--json").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of(env, "service", "status", "hero_echo@B").err()).startsWith("heromgr: invalid service name 'hero_echo@B'");
    }

    @Test
    void aRefusedValueIsNamedAsTypedNotAsTheParamThatCarriesIt() {
        CliRun walk = CliRun.of(env, "stop", "hero_echo", "Bad");
        assertThat(walk.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(walk.err().lines()).containsExactly(
                "heromgr: invalid service name 'Bad': service names are lowercase letters, digits and _, start with a letter, at most 64 long",
                "see `heromgr stop --help`");
        assertThat(CliRun.of(env, "up", "Bad").err()).startsWith("heromgr: invalid service name 'Bad': ");

        CliRun run = CliRun.of(env, "run", "--name", "t_refused", "--log-max-bytes", "1K", "--log-keep", "0", "--", "/bin/sleep", "60");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().lines()).containsExactlyInAnyOrder(
                "heromgr: invalid --log-keep '0': it must be at least 1",
                "heromgr: invalid --log-max-bytes '1024': it must be at least 4096",
                "see `heromgr run --help`");
        assertThat(CliRun.of(env, "run", "--name", "t_refused", "--env", "1A=x", "--", "/bin/sleep", "60").err().lines().findFirst().orElseThrow())
                .isEqualTo("heromgr: invalid --env '1A': variable names are letters, digits and _, not starting with a digit");
    }

    @Test
    void aLogSizeTooLargeForBytesIsRefusedNotWrapped() {
        // 2^34 G is 2^64 bytes: shifted into a long it wraps to 0, and 4 G more to a size the daemon takes
        try {
            CliRun r = CliRun.of(env, "run", "--name", "t_wrapped", "--no-start", "--log-max-bytes", "17179869188G", "--", "/bin/sleep", "60");
            assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).startsWith("heromgr: --log-max-bytes 17179869188G is too large");
        } finally {
            CliRun.of(env, "service", "delete", "t_wrapped");
        }
    }

    @Test
    void aServiceCannotBeCalledAllWhichMeansEveryService() {
        try {
            CliRun r = CliRun.of(env, "run", "--name", "all", "--", "/bin/sleep", "60");
            assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).startsWith("heromgr: --name all is taken: `heromgr start|stop|restart|status all` mean every service");
            assertThat(d.call("service.status", Map.of("name", "all")).at("/error/code").asInt()).isEqualTo(-32001);
        } finally {
            d.call("service.delete", Map.of("name", "all"));
        }
    }

    @Test
    void whatAStopOrAStartDidToOtherServicesIsSaid() {
        d.result("service.create", Map.of("name", "t_lower", "argv", List.of("/bin/sleep", "300")));
        d.result("service.create", Map.of("name", "t_upper", "argv", List.of("/bin/sleep", "300"), "depends_on", List.of("t_lower")));
        try {
            CliRun stop = CliRun.of(env, "service", "stop", "t_lower", "--cascade");
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("t_lower: STOPPED; stopped main; stopped its dependents first: t_upper" + System.lineSeparator());

            CliRun start = CliRun.of(env, "service", "start", "t_upper");
            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(start.out()).isEqualTo("t_upper: RUNNING, healthy; started main; started its dependencies first: t_lower" + System.lineSeparator());
        } finally {
            d.result("service.delete", Map.of("name", "t_lower", "cascade", true));
        }
    }

    @Test
    void logsOfAllWithAnActionAreTheServicesThatHaveIt() {
        // the class-defined services have no action main (theirs are server, admin...): t_said's lines, not an error
        d.result("service.create", Map.of("name", "t_said", "argv", List.of("/bin/sh", "-c", "echo said; exec sleep 300")));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> CliRun.of(env, "logs", "t_said").out().contains("said"));
            CliRun main = CliRun.of(env, "logs", "--all", "--action", "main", "--plain");
            assertThat(main.exitCode()).as(main.err()).isZero();
            assertThat(main.out().lines()).contains("said");

            CliRun none = CliRun.of(env, "logs", "--all", "--action", "nosuch");
            assertThat(none.exitCode()).isEqualTo(ExitCode.NO_SUCH_SERVICE);
            assertThat(none.err()).isEqualTo("heromgr: no service has an action nosuch" + System.lineSeparator());
        } finally {
            d.result("service.delete", Map.of("name", "t_said"));
        }
    }

    @Test
    void anInstanceNameIsTakenAndAnInstanceNeverStartedIsNamed() {
        CliRun r = CliRun.of(env, "service", "status", "hero_echo@zz");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err().lines().findFirst().orElseThrow()).contains("no such instance: hero_echo@zz",
                "comes into being at its first start: heromgr service start hero_echo@zz");
    }

    @Test
    void theShortListIsTheServiceList() {
        CliRun top = CliRun.of(env, "list");
        assertThat(top.exitCode()).as(top.err()).isZero();
        assertThat(top.out()).isEqualTo(CliRun.of(env, "service", "list").out());
    }

    @Test
    void aBareStatusPrintsWhatTheCommandThroughPicocliPrints() {
        for (String name : List.of("hero_echo", "hero_nothing", "Hero-Echo")) {
            for (String[] bare : List.of(new String[] {"status", name}, new String[] {"service", "status", name})) {
                String[] withSocket = Arrays.copyOf(bare, bare.length + 2);
                withSocket[bare.length] = "--socket";
                withSocket[bare.length + 1] = d.socket().toString();
                assertThat(CliRun.of(env, bare)).isEqualTo(CliRun.of(Map.of(), withSocket));
            }
        }
    }

    @Test
    void anUnknownServiceExitsFour() {
        CliRun r = CliRun.of(env, "service", "status", "hero_nothing");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("no such service: hero_nothing");
    }

    @Test
    void aFailedOperationExitsOne() {
        CliRun r = CliRun.of(env, "service", "install", "hero_echo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("run `heromgr service build hero_echo` first").contains("-32003");
    }

    @Test
    void theSocketOptionWins() {
        CliRun r = CliRun.of(Map.of(), "service", "list", "--socket", d.socket().toString());
        assertThat(r.exitCode()).isZero();
        CliRun wrong = CliRun.of(env, "service", "list", "--socket", d.home.resolve("nope.sock").toString());
        assertThat(wrong.exitCode()).isEqualTo(3);
        assertThat(wrong.err()).contains("heromgr daemon");
    }

    @Test
    void rawRpcCalls() throws IOException {
        CliRun r = CliRun.of(env, "rpc", "service.logs", "{\"name\":\"hero_echo\",\"lines\":3}");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JsonCodec.MAPPER.readTree(r.out()).get("name").asText()).isEqualTo("hero_echo");
        CliRun bad = CliRun.of(env, "rpc", "service.logs", "{\"name\":\"hero_echo\",\"lines\":0}");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("invalid --lines '0': it must be at least 1");
        for (String trailing : List.of("{\"name\":\"hero_echo\"} {\"name\":\"hero_db\"}", "{\"name\":\"hero_echo\"}x")) {
            CliRun twoValues = CliRun.of(env, "rpc", "service.status", trailing);
            assertThat(twoValues.exitCode()).as("the daemon refuses text after the value; so does the CLI").isEqualTo(ExitCode.USAGE);
            assertThat(twoValues.err()).startsWith("heromgr: PARAMS is not valid JSON: ");
            assertThat(twoValues.out()).isEmpty();
        }
    }

    @Test
    void aBuildRefusedBeforeItStartsAnswersAtOnce() {
        // in a pipe a build follows the daemon's operation events; a refused call sees none, so that stream's reader
        // is still waiting (for the next heartbeat, 10 s on) when the answer is in
        long started = System.nanoTime();
        CliRun r = CliRun.of(env, "service", "build", "hero_echo", "--profile", "BAD");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(took).as("well before the event stream's next heartbeat").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void verifyOfAnUninstalledServiceNamesWhatToDoAndExitsOne() {
        CliRun r = CliRun.of(env, "service", "verify", "hero_echo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("verification failed").contains("not installed: run `heromgr service install hero_echo`");
    }

    @Test
    void healthOfAStoppedServiceExitsOne() {
        CliRun r = CliRun.of(env, "service", "health", "hero_echo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("unhealthy");
    }
}
