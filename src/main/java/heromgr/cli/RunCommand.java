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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final String LOG_MAX = "--log-max-bytes";
    private static final String LOG_KEEP = "--log-keep";
    /**
     * How long the daemon watches a command without a health check before `run` reports it started. A missing
     * program, a bad argument or a shell script's error exits within milliseconds, and Python, Node or Ruby failing at
     * start-up within ~100 ms; 300 ms catches those with room on a loaded machine, and a command that stays up costs
     * a person only this much. The API's own default is 0 (answer once spawned): a batch of creates must not pay it.
     */
    private static final int SETTLE_MS = 300;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([KMG]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    RunCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("run", "Create a transient service running a command, and start it.",
                "Put -- before the command so its own options are not read as heromgr's.",
                "Without a health check it is watched for 300 ms: a command that exits in that time fails the run (exit 1,"
                        + " with its last log lines) and is not kept.");
        GlobalOptions.declare(spec);
        spec.addOption(OptionSpec.builder(NAME).paramLabel("NAME").type(String.class).required(true)
                .description("The new service's name, e.g. my_worker (lower case, digits, _).").build());
        spec.addOption(OptionSpec.builder(ENV).paramLabel("K=V").type(Map.class).auxiliaryTypes(String.class, String.class)
                .description("An environment variable for the command (repeatable).").build());
        spec.addOption(valueOption(WORKDIR, "DIR", Path.class, "Working directory (default: $HERO_HOME)."));
        spec.addOption(choiceOption(RESTART, "POLICY", List.of("always", "on-failure", "never"), "always (default), on-failure or never."));
        spec.addOption(valueOption(LOG_MAX, "SIZE", String.class,
                "Rotate the log past this size: bytes, or with K, M, G (binary: 64M = 64 MiB; default 64M, at least 4K)."));
        spec.addOption(valueOption(LOG_KEEP, "N", Integer.class, "Rotated log files to keep (default 5)."));
        spec.addOption(flagOption(NO_START, "Only create it; start it later with `heromgr service start`."));
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("1..*").paramLabel("CMD").type(List.class)
                .auxiliaryTypes(String.class).required(true).description("The command and its arguments.").build());
        return spec;
    }

    @Override
    public Integer call() {
        return new RpcSession(terminal, GlobalOptions.read(commandSpec()), commandSpec()).invoke("service.create", params(), RunCommand::show);
    }

    ObjectNode params() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        String name = option(NAME);
        if (AllServices.ALL.equals(name)) {
            // `heromgr stop all` would stop every service but never this one alone
            throw new ParameterException(commandSpec().commandLine(), "--name all is taken: `heromgr start|stop|restart|status all` mean every service");
        }
        p.put("name", name);
        List<String> argv = positional(0);
        argv.forEach(p.putArray("argv")::add);
        Map<String, String> env = option(ENV);
        if (env != null && !env.isEmpty()) env.forEach(p.putObject("env")::put);
        Path workDir = option(WORKDIR);
        if (workDir != null) p.put("work_dir", workDir.toAbsolutePath().normalize().toString());
        String restart = option(RESTART);
        if (restart != null) p.put("restart", restartPolicy(restart));
        String maxBytes = option(LOG_MAX);
        Integer keep = option(LOG_KEEP);
        if (maxBytes != null || keep != null) {
            ObjectNode rotation = p.putObject("log_rotation");
            if (maxBytes != null) rotation.put("max_bytes", bytes(maxBytes));
            if (keep != null) rotation.put("keep", keep);
        }
        if (Boolean.TRUE.equals(option(NO_START))) p.put("start", false);
        else p.put("settle_ms", SETTLE_MS);
        return p;
    }

    private String restartPolicy(String value) {
        String wire = value.toLowerCase(Locale.ROOT).replace('-', '_');
        if (!List.of("always", "on_failure", "never").contains(wire)) {
            throw new ParameterException(commandSpec().commandLine(), "--restart must be always, on-failure or never, not " + value);
        }
        return wire;
    }

    /** "65536", "64K", "64M", "1G" (binary units; a trailing B or iB is allowed). */
    private long bytes(String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new ParameterException(commandSpec().commandLine(), LOG_MAX + " must be a size such as 65536, 64K, 64M or 1G, not " + value);
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        // shifted past 63 bits the size would wrap, to a negative or a small size the daemon would take
        if (n > Long.MAX_VALUE >> shift) throw new ParameterException(commandSpec().commandLine(), LOG_MAX + " " + value + " is too large");
        return n << shift;
    }

    private static int show(JsonNode r, HumanOutput out) {
        return out.summary(HumanOutput.text(r, "name") + ": created, " + out.paintState(HumanOutput.text(r, "state")));
    }
}
