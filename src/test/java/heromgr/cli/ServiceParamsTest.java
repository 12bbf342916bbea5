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
    private static ServiceCommand.OperationCommand parsed(String... args) {
        var sink = new PrintWriter(Writer.nullWriter());
        CommandLine commandLine = Main.commandLine(new Terminal(sink, sink, Map.of(), false));
        List<CommandLine> parsed = commandLine.parseArgs(args).asCommandLineList();
        return (ServiceCommand.OperationCommand) parsed.getLast().getCommandSpec().userObject();
    }

    private static String paramsOf(String... args) {
        var params = parsed(args).params();
        return params == null ? null : params.toString();
    }

    /** logs sends one call per service named: the first one's params. */
    private static String logsParamsOf(String... args) {
        LogsCommand.Request request = parsed(args).logsRequest();
        return LogsCommand.params(request, request.names().getFirst()).toString();
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
        assertThat(logsParamsOf("service", "logs", "e", "-n", "50", "--action", "server"))
                .isEqualTo("{\"name\":\"e\",\"lines\":50,\"action\":\"server\"}");
        // a time is sent as the instant it names; the stream as it is
        assertThat(logsParamsOf("logs", "e", "f", "--since", "2026-12-05 13:00:00+01:00", "--stream", "stderr"))
                .isEqualTo("{\"name\":\"e\",\"lines\":100,\"since\":\"2026-12-05T12:00:00Z\",\"stream\":\"stderr\"}");
    }

    @Test
    void listAsksForUsage() {
        assertThat(paramsOf("service", "list")).isEqualTo("{\"usage\":true}");
    }
}
