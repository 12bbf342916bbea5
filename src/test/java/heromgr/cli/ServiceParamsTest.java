package heromgr.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each service operation would send: only the params the user gave, in the API's snake_case. */
class ServiceParamsTest {
    private static String paramsOf(String... args) {
        var sink = new PrintWriter(Writer.nullWriter());
        CommandLine commandLine = Main.commandLine(new Terminal(sink, sink, Map.of(), false));
        List<CommandLine> parsed = commandLine.parseArgs(args).asCommandLineList();
        var command = (ServiceCommand.OperationCommand) parsed.getLast().getCommandSpec().userObject();
        var params = command.params();
        return params == null ? null : params.toString();
    }

    @Test
    void onlyGivenOptionsAreSent() {
        assertThat(paramsOf("service", "build", "hero_echo")).isEqualTo("{\"name\":\"hero_echo\"}");
        assertThat(paramsOf("service", "build", "hero_echo", "--profile", "debug", "--force"))
                .isEqualTo("{\"name\":\"hero_echo\",\"profile\":\"debug\",\"force\":true}");
    }

    @Test
    void noWaitSendsWaitFalseAndTimeoutIsANumber() {
        assertThat(paramsOf("service", "start", "e")).isEqualTo("{\"name\":\"e\"}");
        assertThat(paramsOf("service", "start", "e", "--no-wait", "--timeout-ms", "5000"))
                .isEqualTo("{\"name\":\"e\",\"wait\":false,\"timeout_ms\":5000}");
    }

    @Test
    void waitIsExplicitToo() {
        assertThat(paramsOf("service", "start", "e", "--wait")).isEqualTo("{\"name\":\"e\",\"wait\":true}");
        assertThatThrownBy(() -> paramsOf("service", "start", "e", "--wait", "--no-wait"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessage("--wait and --no-wait contradict each other");
    }

    @Test
    void installAndLogsFlags() {
        assertThat(paramsOf("service", "install", "e", "--mode", "source", "--version", "1.2", "--force"))
                .isEqualTo("{\"name\":\"e\",\"mode\":\"source\",\"version\":\"1.2\",\"force\":true}");
        assertThat(paramsOf("service", "logs", "e", "-n", "50", "--action", "server"))
                .isEqualTo("{\"name\":\"e\",\"action\":\"server\",\"lines\":50}");
    }

    @Test
    void listAsksForUsage() {
        assertThat(paramsOf("service", "list")).isEqualTo("{\"usage\":true}");
    }
}
