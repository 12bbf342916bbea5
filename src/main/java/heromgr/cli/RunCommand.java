package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `heromgr run --name NAME [...] -- CMD ARGS…`: a transient service from a command line (like `systemd-run`
 * or `pm2 start`), through service.create. Options left out are not sent, so the daemon's defaults apply.
 */
final class RunCommand extends LeafCommand {
    private static final String NAME = "--name";
    private static final String ENV = "--env";
    private static final String WORKDIR = "--workdir";
    private static final String RESTART = "--restart";
    private static final String NO_START = "--no-start";

    RunCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("run", "Create a transient service running a command, and start it.",
                "Put -- before the command so its own options are not read as heromgr's.");
        GlobalOptions.declare(spec);
        spec.addOption(OptionSpec.builder(NAME).paramLabel("NAME").type(String.class).required(true)
                .description("The new service's name, e.g. my_worker (lower case, digits, _).").build());
        spec.addOption(OptionSpec.builder(ENV).paramLabel("K=V").type(Map.class).auxiliaryTypes(String.class, String.class)
                .description("An environment variable for the command (repeatable).").build());
        spec.addOption(valueOption(WORKDIR, "DIR", Path.class, "Working directory (default: $HERO_HOME)."));
        spec.addOption(valueOption(RESTART, "POLICY", String.class, "always (default), on-failure or never."));
        spec.addOption(flagOption(NO_START, "Only create it; start it later with `heromgr service start`."));
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("1..*").paramLabel("CMD").type(List.class)
                .auxiliaryTypes(String.class).required(true).description("The command and its arguments.").build());
        return spec;
    }

    @Override
    public Integer call() {
        return new RpcSession(terminal, GlobalOptions.read(commandSpec())).invoke("service.create", params(), RunCommand::show);
    }

    ObjectNode params() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("name", this.<String>option(NAME));
        List<String> argv = positional(0);
        argv.forEach(p.putArray("argv")::add);
        Map<String, String> env = option(ENV);
        if (env != null && !env.isEmpty()) env.forEach(p.putObject("env")::put);
        Path workDir = option(WORKDIR);
        if (workDir != null) p.put("work_dir", workDir.toAbsolutePath().normalize().toString());
        String restart = option(RESTART);
        if (restart != null) p.put("restart", restartPolicy(restart));
        if (Boolean.TRUE.equals(option(NO_START))) p.put("start", false);
        return p;
    }

    private String restartPolicy(String value) {
        String wire = value.toLowerCase(Locale.ROOT).replace('-', '_');
        if (!List.of("always", "on_failure", "never").contains(wire)) {
            throw new ParameterException(commandSpec().commandLine(), "--restart must be always, on-failure or never, not " + value);
        }
        return wire;
    }

    private static int show(JsonNode r, HumanOutput out) {
        return out.summary(HumanOutput.text(r, "name") + ": created, " + out.paintState(HumanOutput.text(r, "state")));
    }
}
