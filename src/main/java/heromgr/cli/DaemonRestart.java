package heromgr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How `heromgr self upgrade` stops the daemon and starts the one $HERO_HOME/bin/heromgr points at next: by itself
 * (SIGTERM, then the launcher started detached with the old daemon's options), or, when the daemon runs under
 * heromgr's systemd unit, through systemctl, so that systemd (Restart=always) never starts a second daemon beside
 * one started behind its back. The unit's ExecStart is $HERO_HOME/bin/heromgr, so what systemd starts is the switch.
 */
sealed interface DaemonRestart {
    /** What a start came to: the daemon answering, or why none does (null answered). */
    record Started(DaemonControl.Running answered, String failure) {
    }

    /** Stops the running daemon; false when it is still there after the limit. */
    boolean stop(ProcessHandle daemon) throws IOException, InterruptedException;

    /** Starts the daemon the link points at now and waits up to limit for it to answer on the socket. */
    Started start(Duration limit) throws IOException, InterruptedException;

    /** Stops a started daemon that did not answer (its services, in sessions of their own, keep running). */
    void abandon() throws IOException, InterruptedException;

    /** The launcher run detached, as `heromgr daemon start` does. */
    final class Detached implements DaemonRestart {
        private final Path launcher;
        private final Path home;
        private final Path socket;
        private final Path out;
        private List<String> options = List.of();
        private Process started;

        Detached(Path launcher, Path home, Path socket, Path out) {
            this.launcher = launcher;
            this.home = home;
            this.socket = socket;
            this.out = out;
        }

        @Override
        public boolean stop(ProcessHandle daemon) throws InterruptedException {
            // the next daemon gets the options the old one had (--stop-services-on-exit, --http, the access groups)
            if (started == null) options = DaemonOptions.of(daemon);
            return DaemonControl.stopped(daemon);
        }

        @Override
        public Started start(Duration limit) throws IOException, InterruptedException {
            started = DaemonControl.startDetached(List.of(launcher.toString()), home, socket, options, out);
            Optional<DaemonControl.Running> answered = DaemonControl.awaitAnswer(started::isAlive, socket, limit);
            if (answered.isPresent()) return new Started(answered.get(), null);
            String reason = started.isAlive() ? "did not answer within " + limit.toMillis() + " ms"
                    : "exited (code " + started.exitValue() + ") before it answered";
            abandon();
            return new Started(null, reason);
        }

        @Override
        public void abandon() throws InterruptedException {
            if (started == null || !started.isAlive()) return;
            started.destroy();
            if (!started.waitFor(10, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                started.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** systemctl [--user] stop, then start, of heromgr's unit. */
    final class Systemd implements DaemonRestart {
        private static final Duration SYSTEMCTL_LIMIT = Duration.ofSeconds(150);
        private static final Duration POLL = Duration.ofMillis(200);
        private final List<String> systemctl;
        private final String unit;
        private final Path socket;

        Systemd(Path systemctl, boolean user, String unit, Path socket) {
            this.systemctl = user ? List.of(systemctl.toString(), "--user") : List.of(systemctl.toString());
            this.unit = unit;
            this.socket = socket;
        }

        /** systemctl on PATH, else where Debian puts it (a Hero home's PATH may hold only its bin/). */
        static Optional<Path> find(Map<String, String> env) {
            var dirs = new ArrayList<>(List.of(env.getOrDefault("PATH", "").split(":")));
            dirs.addAll(List.of("/usr/bin", "/bin"));
            return dirs.stream().filter(d -> d.startsWith("/")).map(d -> Path.of(d, "systemctl")).filter(Files::isExecutable).findFirst();
        }

        String describe() {
            return String.join(" ", systemctl) + " (" + unit + ")";
        }

        @Override
        public boolean stop(ProcessHandle daemon) throws IOException, InterruptedException {
            systemctl("stop", unit);
            try {
                daemon.onExit().get(SYSTEMCTL_LIMIT.toSeconds(), TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException | ExecutionException e) {
                return false;
            }
        }

        @Override
        public Started start(Duration limit) throws IOException, InterruptedException {
            // this start is the operator's, as a manual `systemctl start`: the upgrade's stop and start (and a rollback's
            // stop and start after it) count against systemd's start limit (5 in 10 s by default) together with any start
            // just before, and a unit that hit it refuses every start until its counter is flushed, which reset-failed does
            systemctl("reset-failed", unit);
            long restartsBefore = unitState().restarts();
            // --no-block: with a daemon that never answers, systemd's own start would wait TimeoutStartSec
            systemctl("start", "--no-block", unit);
            Instant deadline = Instant.now().plus(limit);
            while (Instant.now().isBefore(deadline)) {
                Optional<DaemonControl.Running> answered = DaemonControl.running(socket);
                if (answered.isPresent()) return new Started(answered.get(), null);
                UnitState state = unitState();
                if (state.restarts() > restartsBefore) {
                    return new Started(null, "exited before it answered (systemd restarted it " + (state.restarts() - restartsBefore) + " times)");
                }
                if (state.gaveUp()) return new Started(null, "was not started: systemd gave up on " + unit + " (" + state.result() + ")");
                Thread.sleep(POLL.toMillis());   // polled: systemd's job and the JVM's start tell nothing we could wait on
            }
            return new Started(null, "did not answer within " + limit.toMillis() + " ms (see " + String.join(" ", systemctl)
                    + " status " + unit + ")");
        }

        @Override
        public void abandon() throws IOException, InterruptedException {
            // ends Restart=always's loop of a daemon that never answers
            systemctl("stop", unit);
        }

        /**
         * What systemd says of the unit: how many times it restarted it on its own (NRestarts, -1 when it does not say),
         * its ActiveState and its Result (start-limit-hit, exit-code, ...).
         */
        record UnitState(long restarts, String activeState, String result) {
            /** Failed: no restart of systemd's own follows (a unit restarting is activating, not failed). */
            boolean gaveUp() {
                return "failed".equals(activeState);
            }

            static UnitState of(String show) {
                var properties = new HashMap<String, String>();
                show.lines().forEach(line -> {
                    int eq = line.indexOf('=');
                    if (eq > 0) properties.put(line.substring(0, eq), line.substring(eq + 1).strip());
                });
                long restarts;
                try {
                    restarts = Long.parseLong(properties.getOrDefault("NRestarts", ""));
                } catch (NumberFormatException e) {
                    restarts = -1;
                }
                return new UnitState(restarts, properties.getOrDefault("ActiveState", ""), properties.getOrDefault("Result", ""));
            }
        }

        private UnitState unitState() throws IOException, InterruptedException {
            return UnitState.of(systemctl("show", "--property=NRestarts,ActiveState,Result", unit));
        }

        /** Runs systemctl with args (argv, no shell); its stdout, or an IOException naming what it said. */
        private String systemctl(String... args) throws IOException, InterruptedException {
            var command = new ArrayList<>(systemctl);
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).start();
            // waited for first: what systemctl says is a line or two, far below a pipe's buffer
            if (!p.waitFor(SYSTEMCTL_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + SYSTEMCTL_LIMIT.toSeconds() + " s");
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + text.strip());
            }
            return text;
        }
    }
}
