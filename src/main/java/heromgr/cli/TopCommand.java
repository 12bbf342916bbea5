package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * `heromgr top`: the service list with CPU and memory, redrawn in place every interval, busiest first, like
 * `pm2 monit` or `top`. On a terminal it draws on the alternate screen and gives the screen back at Ctrl-C; in a
 * pipe it prints one timestamped table per round. -n bounds the rounds (for scripts and tests).
 */
final class TopCommand extends LeafCommand {
    private static final String INTERVAL = "--interval";
    private static final String ROUNDS = "-n";
    private static final String ALTERNATE_SCREEN = "\033[?1049h";
    private static final String MAIN_SCREEN = "\033[?1049l";
    private static final String HOME_AND_CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Comparator<JsonNode> BUSIEST_FIRST = Comparator
            .comparingDouble((JsonNode s) -> s.path("cpu_percent").isNumber() ? -s.path("cpu_percent").asDouble() : 1)
            .thenComparing(s -> s.path("name").asText());

    TopCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("top", "Show the services' state, CPU and memory, refreshed live (Ctrl-C quits).");
        GlobalOptions.declare(spec);
        spec.addOption(OptionSpec.builder(INTERVAL).paramLabel("SECONDS").type(Double.class)
                .description("Seconds between refreshes (default 2, at least 0.5).").build());
        spec.addOption(OptionSpec.builder(ROUNDS, "--iterations").paramLabel("N").type(Integer.class)
                .description("Stop after N refreshes (default: until interrupted).").build());
        return spec;
    }

    @Override
    public Integer call() throws InterruptedException {
        GlobalOptions global = GlobalOptions.read(commandSpec());
        Double seconds = option(INTERVAL);
        Integer rounds = option(ROUNDS);
        if (seconds != null && !(seconds >= 0.5)) throw new ParameterException(commandSpec().commandLine(), "--interval must be at least 0.5 seconds");
        if (rounds != null && rounds < 1) throw new ParameterException(commandSpec().commandLine(), "-n must be at least 1");
        long pauseMs = Math.round((seconds == null ? 2.0 : seconds) * 1000);
        boolean draw = terminal.interactive() && !global.json();
        var session = new RpcSession(terminal, global, commandSpec());
        var params = JsonNodeFactory.instance.objectNode().put("usage", true);
        if (draw) enterScreen();
        try {
            for (int round = 1; ; round++) {
                int code = session.invoke("service.list", params, (result, out) -> show(result, out, draw));
                terminal.flush();
                if (code != ExitCode.OK || (rounds != null && round >= rounds)) return code;
                Thread.sleep(pauseMs);   // a refresh rate, not a wait for anything
            }
        } finally {
            if (draw) leaveScreen();
        }
    }

    private int show(JsonNode services, HumanOutput out, boolean draw) {
        List<JsonNode> rows = new ArrayList<>();
        services.forEach(rows::add);
        rows.sort(BUSIEST_FIRST);
        long running = rows.stream().filter(s -> s.path("pid").isNumber()).count();
        if (draw) terminal.out().print(HOME_AND_CLEAR);
        out.println("heromgr top  " + LocalTime.now().format(CLOCK) + "  " + rows.size() + " services, " + running + " running"
                + (draw ? "  (Ctrl-C quits)" : ""));
        out.print(out.serviceTable(rows));
        return ExitCode.OK;
    }

    private void enterScreen() {
        terminal.out().print(ALTERNATE_SCREEN);
        // Ctrl-C ends the JVM through its shutdown hooks: give the person their screen back on the way out
        Runtime.getRuntime().addShutdownHook(new Thread(this::leaveScreen));
    }

    private void leaveScreen() {
        terminal.out().print(MAIN_SCREEN);
        terminal.flush();
    }
}
