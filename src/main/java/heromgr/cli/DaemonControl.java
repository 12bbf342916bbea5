package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.HeroPaths;
import heromgr.http.UnixHttpClient;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * `heromgr daemon start|stop|status`: the daemon run detached, found and stopped through its socket. The daemon
 * answers GET /health with its pid, start time and home, so a daemon started any way (systemd, a terminal,
 * `daemon start`) is found the same way, and nothing (no pid file) can go stale.
 */
sealed abstract class DaemonControl extends LeafCommand {
    private static final Duration ANSWER = Duration.ofSeconds(2);
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    /** What a daemon says of itself on GET /health. */
    /** systemdUnit, systemdScope: the unit of `heromgr self unit` it runs under (null: none). */
    record Running(long pid, Instant startedAt, String home, String version, String systemdUnit, String systemdScope) {
        String uptime() {
            return startedAt == null ? "?" : DurationFormat.uptime(Duration.between(startedAt, Instant.now()).toMillis());
        }
    }

    DaemonControl(Terminal terminal) {
        super(terminal);
    }

    static List<DaemonControl> all(Terminal terminal) {
        return List.of(new Start(terminal), new Stop(terminal), new Status(terminal));
    }

    protected final CommandSpec spec(String name, String... description) {
        CommandSpec spec = newSpec(name, description);
        DaemonCommand.declareLocation(spec);
        spec.addOption(flagOption(GlobalOptions.JSON, "Print the outcome as one JSON object (an error too, on stdout)."));
        return spec;
    }

    private boolean json() {
        return Boolean.TRUE.equals(option(GlobalOptions.JSON));
    }

    /** The outcome: its line for a person, or with --json the daemon's state as one object. */
    protected final void report(String line, String state, Path socket, Running daemon) {
        if (!json()) {
            terminal.out().println(line);
            return;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("state", state).put("socket", socket.toString());
        if (daemon != null) {
            out.put("pid", daemon.pid()).put("home", daemon.home()).put("version", daemon.version());
            if (daemon.startedAt() != null) out.put("started_at", daemon.startedAt().toString());
        }
        terminal.out().println(JsonText.pretty(out));
    }

    /** A failure: one line on stderr, or with --json an error object on stdout. */
    protected final int fail(String message) {
        if (json()) terminal.out().println(JsonText.pretty(JsonNodeFactory.instance.objectNode().put("error", message)));
        else terminal.err().println("heromgr: " + message);
        return ExitCode.FAILED;
    }

    protected final Path socket() {
        return DaemonCommand.socket(terminal, option(DaemonCommand.HOME), option(DaemonCommand.SOCKET));
    }

    /** The daemon answering on socket, if one does. */
    static Optional<Running> running(Path socket) {
        if (!Files.exists(socket)) return Optional.empty();
        try (var http = new UnixHttpClient(socket, ANSWER)) {
            JsonNode health = JsonText.read(http.get("/health").body());
            String started = health.path("started_at").asText("");
            return Optional.of(new Running(health.path("pid").asLong(-1), started.isEmpty() ? null : Instant.parse(started),
                    health.path("home").asText("?"), health.path("version").asText("?"),
                    health.path("systemd_unit").asText(null), health.path("systemd_scope").asText(null)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** `daemon status`: exit 0 with pid, socket, home and uptime when one answers, else 3 (as every command). */
    static final class Status extends DaemonControl {
        Status(Terminal terminal) {
            super(terminal);
        }

        @Override
        CommandSpec spec() {
            return spec("status", "Show whether a daemon answers on the socket: pid, home, uptime (exit 3 when none).");
        }

        @Override
        public Integer call() {
            Path socket = socket();
            Optional<Running> daemon = running(socket);
            if (daemon.isEmpty()) {
                report("heromgr daemon: not running (nothing answers on " + socket + ")", "not running", socket, null);
                return ExitCode.UNREACHABLE;
            }
            Running d = daemon.get();
            report(String.join(System.lineSeparator(), "heromgr daemon: running", "  pid      " + d.pid(), "  socket   " + socket,
                    "  home     " + d.home(), "  uptime   " + d.uptime(), "  version  " + d.version()), "running", socket, d);
            return ExitCode.OK;
        }
    }

    /** `daemon stop`: SIGTERM to the daemon on the socket, and wait until its process is gone. */
    static final class Stop extends DaemonControl {
        Stop(Terminal terminal) {
            super(terminal);
        }

        @Override
        CommandSpec spec() {
            return spec("stop", "Stop the daemon on the socket (SIGTERM) and wait until it is gone; services keep running.");
        }

        @Override
        public Integer call() throws InterruptedException {
            Path socket = socket();
            Optional<Running> daemon = running(socket);
            Optional<ProcessHandle> process = daemon.flatMap(d -> ProcessHandle.of(d.pid()));
            if (process.isEmpty()) {
                report("heromgr daemon: not running on " + socket, "not running", socket, null);
                return ExitCode.OK;
            }
            if (!stopped(process.get())) {
                return fail("the daemon (pid " + process.get().pid() + ") is still running " + STOP_LIMIT.toSeconds() + " s after SIGTERM");
            }
            report("heromgr daemon: stopped (pid " + process.get().pid() + ")", "stopped", socket, daemon.get());
            return ExitCode.OK;
        }
    }

    /** SIGTERM to a daemon; true once it is gone (within the stop limit). Its services keep running. */
    static boolean stopped(ProcessHandle daemon) throws InterruptedException {
        daemon.destroy();
        try {
            daemon.onExit().get(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    /**
     * Starts `launch daemon --home H --socket S` detached: in a session of its own (setsid: closing this terminal,
     * SIGHUP, leaves it running), stdin /dev/null, its output appended to out.
     */
    /** options: the daemon's own, passed on as given (--stop-services-on-exit, the access groups). */
    static Process startDetached(List<String> launch, Path home, Path socket, List<String> options, Path out) throws IOException {
        var command = new ArrayList<String>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) command.add("/usr/bin/setsid");
        command.addAll(launch);
        command.add("daemon");
        if (home != null) command.addAll(List.of(DaemonCommand.HOME, home.toAbsolutePath().toString()));
        command.addAll(List.of(DaemonCommand.SOCKET, socket.toString()));
        command.addAll(options);
        Files.createDirectories(out.getParent());
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
    }

    /** The daemon answering on socket, once one does; empty when the one started exited first or limit passed. */
    static Optional<Running> awaitAnswer(BooleanSupplier alive, Path socket, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            Optional<Running> daemon = running(socket);
            if (daemon.isPresent()) return daemon;
            if (!alive.getAsBoolean()) return Optional.empty();
            Thread.sleep(50);   // a JVM's start: polled rather than watched, the socket file appears before it answers
        }
        return Optional.empty();
    }

    /** `daemon start`: the foreground daemon in a process of its own session, returned from once it answers. */
    static final class Start extends DaemonControl {
        Start(Terminal terminal) {
            super(terminal);
        }

        @Override
        CommandSpec spec() {
            CommandSpec spec = spec("start", "Start the daemon detached (output in $HERO_HOME/var/log/heromgr/daemon.out) "
                    + "and return once it answers.");
            spec.addOption(flagOption(DaemonCommand.STOP_SERVICES, "Stop the managed services when the daemon stops."));
            DaemonCommand.declareAccess(spec);
            return spec;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            Path socket = socket();
            Optional<Running> already = running(socket);
            if (already.isPresent()) {
                report("heromgr daemon: already running (pid " + already.get().pid() + ") on " + socket, "running", socket, already.get());
                return ExitCode.OK;
            }
            Optional<List<String>> launch = launchCommand();
            if (launch.isEmpty()) {
                return fail("cannot tell how this heromgr was started, so cannot start a copy; run `heromgr daemon` in the foreground instead");
            }
            Path home = option(DaemonCommand.HOME);
            Path out = HeroPaths.fromEnvironment(terminal.env(), home).daemonLogs().resolve("daemon.out");
            long before = Files.exists(out) ? Files.size(out) : 0;
            Process process = startDetached(launch.get(), home, socket, daemonOptions(), out);
            Optional<Running> daemon = awaitAnswer(process::isAlive, socket, START_LIMIT);
            if (daemon.isPresent()) {
                report("heromgr daemon: started (pid " + daemon.get().pid() + ") on " + socket + "; output in " + out, "started", socket,
                        daemon.get());
                return ExitCode.OK;
            }
            if (!process.isAlive()) {
                return fail("the daemon exited (code " + process.exitValue() + ") before it answered" + lastWords(out, before) + "; see " + out);
            }
            return fail("the daemon (pid " + process.pid() + ") did not answer on " + socket + " within " + START_LIMIT.toSeconds() + " s; see " + out);
        }

        /** The last line the daemon wrote after offset (why it exited: its one-line refusal), or "" when none. */
        private static String lastWords(Path out, long offset) {
            try (var channel = FileChannel.open(out)) {
                long from = Math.max(offset, channel.size() - 4096);
                var text = ByteBuffer.allocate((int) Math.max(0, channel.size() - from));
                channel.read(text, from);
                String said = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
                String last = said.substring(said.lastIndexOf('\n') + 1).strip();
                return last.isEmpty() ? "" : ": " + (last.startsWith("heromgr: ") ? last.substring("heromgr: ".length()) : last);
            } catch (IOException e) {
                return "";
            }
        }

        /** The options of this `daemon start` that the daemon itself takes. */
        private List<String> daemonOptions() {
            var options = new ArrayList<String>();
            if (Boolean.TRUE.equals(option(DaemonCommand.STOP_SERVICES))) options.add(DaemonCommand.STOP_SERVICES);
            for (String group : List.of(DaemonCommand.OPERATOR_GROUP, DaemonCommand.VIEWER_GROUP)) {
                String value = option(group);
                if (value != null) options.addAll(List.of(group, value));
            }
            return options;
        }

        /**
         * How this JVM was launched, up to its arguments: the same java, flags and class path (through bin/heromgr
         * they are the daemon's flags, as it picks them for `heromgr daemon …`). Empty when the command line does not
         * end with this run's arguments (an in-process call from elsewhere).
         */
        private Optional<List<String>> launchCommand() {
            ProcessHandle.Info info = ProcessHandle.current().info();
            List<String> args = commandSpec().root().commandLine().getParseResult().originalArgs();
            if (info.command().isEmpty() || info.arguments().isEmpty()) return Optional.empty();
            List<String> all = List.of(info.arguments().get());
            int prefix = all.size() - args.size();
            if (prefix < 0 || !all.subList(prefix, all.size()).equals(args)) return Optional.empty();
            var launch = new ArrayList<String>();
            launch.add(info.command().get());
            launch.addAll(all.subList(0, prefix));
            return Optional.of(launch);
        }
    }
}
