package heromgr.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What `heromgr run` and `heromgr service delete` send: the given options only, in the API's snake_case. */
class RunParamsTest {
    private static CommandLine cli() {
        var sink = new PrintWriter(Writer.nullWriter());
        return Main.commandLine(new Terminal(sink, sink, Map.of(), false));
    }

    private static String runParams(String... args) {
        List<CommandLine> parsed = cli().parseArgs(args).asCommandLineList();
        return ((RunCommand) parsed.getLast().getCommandSpec().userObject()).params().toString();
    }

    @Test
    void theCommandAfterDoubleDashIsArgvWithItsOwnOptions() {
        assertThat(runParams("run", "--name", "w", "--", "/bin/sleep", "--help", "5"))
                .isEqualTo("{\"name\":\"w\",\"argv\":[\"/bin/sleep\",\"--help\",\"5\"],\"settle_ms\":300}");
    }

    @Test
    void everyOptionMapsToItsParam() {
        String workDir = Path.of("/tmp").toAbsolutePath().toString();
        assertThat(runParams("run", "--name", "w", "--env", "A=1", "--env", "B=x=y", "--workdir", "/tmp",
                "--restart", "on-failure", "--no-start", "--", "cmd"))
                .isEqualTo("{\"name\":\"w\",\"argv\":[\"cmd\"],\"env\":{\"A\":\"1\",\"B\":\"x=y\"},\"work_dir\":\"" + workDir
                        + "\",\"restart\":\"on_failure\",\"start\":false}");
    }

    @Test
    void logRotationFlagsBecomeOneNestedObject() {
        assertThat(runParams("run", "--name", "w", "--log-max-bytes", "64M", "--log-keep", "3", "--", "cmd"))
                .isEqualTo("{\"name\":\"w\",\"argv\":[\"cmd\"],\"log_rotation\":{\"max_bytes\":67108864,\"keep\":3},\"settle_ms\":300}");
        assertThat(runParams("run", "--name", "w", "--log-max-bytes", "65536", "--", "cmd")).contains("{\"max_bytes\":65536}");
        assertThat(runParams("run", "--name", "w", "--log-max-bytes", "1GiB", "--", "cmd")).contains("{\"max_bytes\":1073741824}");
        assertThat(runParams("run", "--name", "w", "--log-keep", "9", "--", "cmd")).contains("\"log_rotation\":{\"keep\":9}");
    }

    /** Runs the CLI with args; asserts it ends as a usage error and returns what it printed on stderr. */
    private static String usageError(String... args) {
        var err = new StringWriter();
        var sink = new PrintWriter(Writer.nullWriter());
        int code = Main.execute(args, new Terminal(sink, new PrintWriter(err), Map.of("HEROMGR_SOCKET", "/nonexistent/s.sock"), false));
        assertThat(code).isEqualTo(ExitCode.USAGE);
        return err.toString();
    }

    @Test
    void aMalformedLogSizeIsAUsageErrorNamingTheFlag() {
        assertThat(usageError("run", "--name", "w", "--log-max-bytes", "lots", "--", "cmd")).contains("--log-max-bytes").contains("lots");
    }

    @Test
    void aWrongRestartPolicyOrAMissingCommandIsAUsageError() {
        assertThat(usageError("run", "--name", "w", "--restart", "sometimes", "--", "cmd")).contains("--restart");
        usageError("run", "--name", "w");
    }

    @Test
    void deleteSendsItsSwitchesOnlyWhenGiven() {
        List<CommandLine> parsed = cli().parseArgs("service", "delete", "w", "--purge-binaries", "--cascade").asCommandLineList();
        var command = (ServiceCommand.OperationCommand) parsed.getLast().getCommandSpec().userObject();
        assertThat(command.params().toString()).isEqualTo("{\"name\":\"w\",\"purge_binaries\":true,\"cascade\":true}");
        parsed = cli().parseArgs("service", "delete", "w").asCommandLineList();
        command = (ServiceCommand.OperationCommand) parsed.getLast().getCommandSpec().userObject();
        assertThat(command.params().toString()).isEqualTo("{\"name\":\"w\"}");
    }
}
