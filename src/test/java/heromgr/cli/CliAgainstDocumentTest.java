package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.OpenRpcContract;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI sends only what the OpenRPC document declares, and where its help or its switches imply a default, that
 * default is the document's: the daemon applies the document's defaults to whatever the CLI leaves out.
 */
class CliAgainstDocumentTest {
    static final OpenRpcContract CONTRACT = OpenRpcContract.load(JsonCodec.MAPPER);
    static final String CREATE = "service.create";

    @Test
    void everyOperationIsADocumentedMethodAndEveryFlagOneOfItsParams() {
        for (ServiceCommand.Operation op : ServiceCommand.OPERATIONS) {
            assertThat(CONTRACT.methodNames()).as(op.name()).contains(op.method());
            Map<String, JsonNode> params = CONTRACT.params(op.method());
            if (op.takesName()) assertThat(params).as(op.method()).containsKey("name");
            for (ServiceCommand.Flag flag : op.flags()) {
                if (flag.param() != null) assertThat(params).as(op.method() + " " + flag.names()[0]).containsKey(flag.param());
            }
        }
    }

    @Test
    void aSwitchSaysItIsTheDefaultExactlyWhenItSendsTheDocumentsDefault() {
        for (ServiceCommand.Operation op : ServiceCommand.OPERATIONS) {
            for (ServiceCommand.Flag flag : op.flags()) {
                if (flag.label() != null || flag.param() == null) continue;
                String what = op.method() + " " + flag.names()[0];
                JsonNode documented = CONTRACT.paramDefaults(op.method()).get(flag.param());
                assertThat(documented).as(what + ": a switch needs its param's default in the document").isNotNull();
                boolean sendsTheDefault = flag.whenSet().equals(documented.asBoolean());
                assertThat(flag.description().contains("(the default)")).as(what).isEqualTo(sendsTheDefault);
            }
        }
    }

    @Test
    void runSendsOnlyParamsOfServiceCreate() {
        CommandLine cli = Main.commandLine(quietTerminal());
        List<CommandLine> parsed = cli.parseArgs("run", "--name", "w", "--env", "A=1", "--workdir", "/tmp", "--restart", "never",
                "--log-max-bytes", "64K", "--log-keep", "2", "--no-start", "--", "/bin/true").asCommandLineList();
        JsonNode sent = ((RunCommand) parsed.getLast().getCommandSpec().userObject()).params();
        Map<String, JsonNode> params = CONTRACT.params(CREATE);
        sent.fieldNames().forEachRemaining(name -> assertThat(params).containsKey(name));
        JsonNode rotation = params.get("log_rotation").at("/schema/properties");
        sent.get("log_rotation").fieldNames().forEachRemaining(name -> assertThat(rotation.has(name)).as(name).isTrue());
    }

    @Test
    void runsHelpNamesTheDocumentsDefaults() {
        CommandSpec run = new RunCommand(quietTerminal()).spec();
        Map<String, JsonNode> defaults = CONTRACT.paramDefaults(CREATE);
        assertThat(description(run, "--restart")).contains(defaults.get("restart").asText().replace('_', '-') + " (default)");
        assertThat(defaults.get("start").asBoolean()).as("--no-start sends start: false").isTrue();
        JsonNode rotation = CONTRACT.params(CREATE).get("log_rotation").at("/schema/properties");
        long maxBytes = rotation.at("/max_bytes/default").asLong();
        assertThat(maxBytes % (1 << 20)).isZero();
        assertThat(description(run, "--log-max-bytes")).contains("default " + (maxBytes >> 20) + "M");
        assertThat(description(run, "--log-keep")).contains("(default " + rotation.at("/keep/default").asInt() + ")");
    }

    private static String description(CommandSpec spec, String option) {
        return String.join(" ", spec.findOption(option).description());
    }

    private static Terminal quietTerminal() {
        var sink = new PrintWriter(Writer.nullWriter());
        return new Terminal(sink, sink, Map.of(), false);
    }
}
