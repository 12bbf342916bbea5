package heromgr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        // A sandboxed environment: never the real ~/hero of whoever runs the tests.
        return Map.of("HERO_HOME", tmp.toString(), "HERO_SOCKET_DIR", tmp.resolve("sockets").toString());
    }

    @Test
    void missingSocketExits3WithHowToStartTheDaemon() {
        Path sock = tmp.resolve("none/service.sock");
        CliRun run = CliRun.of(env(), "service", "status", "hero_echo", "--socket", sock.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("heromgr: daemon not reachable at " + sock
                + ": no such socket. Start it with: heromgr daemon start --socket " + sock + System.lineSeparator());
    }

    @Test
    void defaultSocketFollowsHeroSocketDir() {
        CliRun run = CliRun.of(env(), "service", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains(tmp.resolve("sockets/heromgr/service.sock").toString());
    }

    @Test
    void heromgrSocketVariableIsTheDefault() {
        Path sock = tmp.resolve("env.sock");
        var env = Map.of("HERO_HOME", tmp.toString(), "HEROMGR_SOCKET", sock.toString());

        CliRun run = CliRun.of(env, "service", "health", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains("at " + sock + ":");
    }

    @Test
    void staleSocketFileIsConnectionRefused() throws Exception {
        Path sock = tmp.resolve("stale.sock");
        // Bound then closed: the file stays, nobody listens, as after a daemon crash.
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
        }

        CliRun run = CliRun.of(env(), "rpc", "service.list", "--socket", sock.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains(": connection refused. Start it with: heromgr daemon start --socket " + sock);
    }

    @Test
    void jsonModeTellsAnUnreachableDaemonAsAnObjectOnStdout() {
        CliRun run = CliRun.of(env(), "service", "status", "x", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.out()).startsWith("{").contains("\"message\": \"daemon not reachable at ");
    }

    @Test
    void unknownOptionIsUsageError() {
        CliRun run = CliRun.of(env(), "service", "status", "x", "--bogus");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void aUsageMistakeIsOneLinePlusWhereToReadMore() {
        CliRun run = CliRun.of(env(), "status");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly("heromgr: Missing required parameter: 'NAME'", "see `heromgr status --help`");
    }

    @Test
    void anUnknownCommandExits2EvenWithHelp() {
        for (String[] args : new String[][] {{"sideways", "--help"}, {"sideways"}, {"service", "sideways", "x"}}) {
            CliRun run = CliRun.of(env(), args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("heromgr: unknown command 'sideways'").contains("see `heromgr");
        }
        assertThat(CliRun.of(env(), "statsu", "x").err()).contains("Did you mean: status");
    }

    @Test
    void theShortcutsAreTheServiceOperations() {
        for (String op : ServiceCommand.SHORTCUTS) {
            CliRun top = CliRun.of(env(), op, "--help");
            assertThat(top.exitCode()).as(op).isZero();
            String full = CliRun.of(env(), "service", op, "--help").out();
            // the same description and options; only the synopsis (wrapped after the command's name) differs
            var op1 = ServiceCommand.OPERATIONS.stream().filter(o -> o.name().equals(op)).findFirst().orElseThrow();
            String description = full.substring(full.indexOf(op1.description()));
            assertThat(top.out()).as(op).startsWith("Usage: heromgr " + op + " ").endsWith(description);
        }
    }

    @Test
    void anUnknownEventTypeIsRefused() {
        CliRun run = CliRun.of(env(), "events", "--type", "state,bogus");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("heromgr: unknown event type 'bogus' (the types: operation, health, state, job)");
    }

    @Test
    void aServiceNameNoServiceCanHaveIsRefusedByEvents() {
        CliRun run = CliRun.of(env(), "events", "--service", "hero_echo,Hero-Echo");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("heromgr: invalid service name 'Hero-Echo': service names are lowercase letters, digits and _");
    }

    @Test
    void missingNameIsUsageError() {
        CliRun run = CliRun.of(env(), "service", "start");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'NAME'");
    }

    @Test
    void missingSubcommandIsUsageError() {
        assertThat(CliRun.of(env()).exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of(env(), "service").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void rpcParamsMustBeJson() {
        CliRun run = CliRun.of(env(), "rpc", "service.list", "{not json");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("PARAMS is not valid JSON");
        assertThat(CliRun.of(env(), "rpc", "service.list", "42").err()).contains("must be a JSON object or array");
    }

    @Test
    void versionPrintsNameAndVersion() {
        CliRun run = CliRun.of(env(), "version");

        assertThat(run.exitCode()).isZero();
        // From target/classes there is no manifest, hence "dev"; from the jar, the project version.
        assertThat(run.out().strip()).matches("heromgr (dev|\\d+\\.\\d+.*)");
        assertThat(CliRun.of(env(), "--version").out()).isEqualTo(run.out());
    }

    @Test
    void helpListsExitCodes() {
        CliRun run = CliRun.of(env(), "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Exit codes:", "3   daemon not reachable", "4   no such service");
    }

    @Test
    void everyServiceOperationTakesTheGlobalOptions() {
        for (String op : new String[] {"list", "inspect", "status", "health", "build", "install", "start", "stop", "restart", "logs"}) {
            CliRun run = CliRun.of(env(), "service", op, "--help");
            assertThat(run.exitCode()).as(op).isZero();
            assertThat(run.out()).as(op).contains("--socket=PATH", "--json", "--help");
        }
    }

    @Test
    void completionIsForBashUnlessAnotherShellIsNamed() {
        CliRun run = CliRun.of(env(), "completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F _heromgr heromgr");

        CliRun unknown = CliRun.of(env(), "completion", "tcsh");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("unknown shell 'tcsh' (completion scripts: bash, zsh, fish)");
    }
}
