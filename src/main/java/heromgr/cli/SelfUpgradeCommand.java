package heromgr.cli;

import heromgr.api.ApiException;
import heromgr.bundle.Bundle;
import heromgr.bundle.Installation;
import heromgr.bundle.Replacement;
import heromgr.bundle.SelfOperations;
import heromgr.bundle.SelfRelease;
import heromgr.fs.HeroPaths;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * `heromgr self upgrade [--version TAG]`: heromgr's own release from the forge (lhumina_code/heromgr), checksum
 * verified, installed beside the current version; then the daemon is stopped (its services keep running), the
 * link switched and the new daemon started, which adopts them. A new daemon that does not answer in time is
 * stopped, the link switched back and the old daemon started again. Both switches are recorded in the operation log
 * under the name heromgr.
 */
final class SelfUpgradeCommand extends LeafCommand {
    private static final String VERSION = "--version";
    private static final String TIMEOUT = "--timeout-ms";
    private static final String FORCE = "--force";
    private static final long DEFAULT_TIMEOUT_MS = 60_000;

    /** Where the upgrade runs: the home, its installation, the socket of its daemon. */
    private record Site(HeroPaths paths, Path home, Installation installation, Path socket, Path daemonOut) {
    }

    SelfUpgradeCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("upgrade", "Upgrade heromgr from its forge releases (lhumina_code/heromgr): download, verify,",
                "install beside the current version, switch, restart the daemon; switch back if the new one does not answer.");
        DaemonCommand.declareLocation(spec);
        spec.addOption(valueOption(VERSION, "TAG", String.class, "The release's tag (default: the latest release)."));
        spec.addOption(valueOption(TIMEOUT, "N", long.class, "How long the new daemon has to answer, in ms (default: "
                + DEFAULT_TIMEOUT_MS + ")."));
        spec.addOption(flagOption(FORCE, "Reinstall and restart even when that version is the current one."));
        return spec;
    }

    @Override
    public Integer call() throws InterruptedException {
        Path home = option(DaemonCommand.HOME);
        HeroPaths paths = HeroPaths.fromEnvironment(terminal.env(), home);
        var site = new Site(paths, home, new Installation(paths), DaemonCommand.socket(terminal, home, option(DaemonCommand.SOCKET)),
                paths.daemonLogs().resolve("daemon.out"));
        Optional<String> current = site.installation().current();
        if (current.isEmpty()) {
            terminal.err().println("heromgr: heromgr is not installed in " + paths.home() + " (" + site.installation().link()
                    + " is no link into lib/heromgr/): install a bundle first with `heromgr self install`");
            return ExitCode.FAILED;
        }
        try {
            var releases = SelfRelease.fromEnvironment(terminal.env());
            SelfRelease.Found found = releases.find(option(VERSION));
            if (found.version().equals(current.get()) && !Boolean.TRUE.equals(option(FORCE))) {
                terminal.out().println("heromgr " + current.get() + " is the current version already (release " + found.tag() + ")");
                return ExitCode.OK;
            }
            terminal.out().println("downloading " + found.assetName() + " (release " + found.tag() + ") from " + releases.forge());
            Bundle fetched = releases.fetch(found, site.installation());
            Path placed = site.installation().place(fetched);
            terminal.out().println("heromgr " + found.version() + " installed in " + placed);
            return switchTo(site, current.get(), found);
        } catch (ApiException | IOException e) {
            terminal.err().println("heromgr: self upgrade failed, nothing was switched: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    /**
     * Stops the daemon (marked as being replaced, so one started with --stop-services-on-exit leaves its services
     * running), switches, starts the new one; switches back when it does not answer.
     */
    private int switchTo(Site site, String from, SelfRelease.Found to) throws IOException, InterruptedException {
        Optional<DaemonControl.Running> old = DaemonControl.running(site.socket());
        Optional<ProcessHandle> oldProcess = old.flatMap(d -> ProcessHandle.of(d.pid()));
        DaemonRestart restart = old.isPresent() ? restartOf(site, old.get()) : null;
        if (oldProcess.isPresent() && !stopForReplacement(site, restart, oldProcess.get())) return ExitCode.FAILED;
        var ops = new SelfOperations(site.paths());
        ops.record(SelfOperations.UPGRADE, Map.of("version", to.tag(), "from", from, "to", to.version()),
                () -> site.installation().switchTo(to.version()));
        if (oldProcess.isEmpty()) {
            terminal.out().println("heromgr upgraded: " + from + " -> " + to.version() + " (no daemon was running on " + site.socket() + ")");
            site.installation().prune(Set.of(to.version(), from));
            return ExitCode.OK;
        }
        long timeoutMs = option(TIMEOUT) == null ? DEFAULT_TIMEOUT_MS : option(TIMEOUT);
        DaemonRestart.Started started = started(site, restart, to.version(), Duration.ofMillis(timeoutMs));
        if (started.answered() != null) {
            terminal.out().println("heromgr upgraded: " + from + " -> " + to.version() + "; the daemon (pid " + started.answered().pid()
                    + ") answers on " + site.socket());
            site.installation().prune(Set.of(to.version(), from));
            return ExitCode.OK;
        }
        restart.abandon();
        return rollBack(site, restart, ops, from, to.version(), "the daemon of " + to.version() + " " + started.failure());
    }

    /** How the daemon is restarted: through systemctl when it runs under heromgr's unit, else by this command. */
    private DaemonRestart restartOf(Site site, DaemonControl.Running daemon) throws IOException {
        if (daemon.systemdUnit() == null) {
            return new DaemonRestart.Detached(site.installation().link(), site.home(), site.socket(), site.daemonOut());
        }
        Path systemctl = DaemonRestart.Systemd.find(terminal.env()).orElseThrow(() -> new IOException("the daemon runs under systemd ("
                + daemon.systemdUnit() + ") but no systemctl was found on PATH, in /usr/bin or /bin"));
        var systemd = new DaemonRestart.Systemd(systemctl, "user".equals(daemon.systemdScope()), daemon.systemdUnit(), site.socket());
        terminal.out().println("the daemon runs under systemd: restarting it through " + systemd.describe());
        return systemd;
    }

    /** Stops the running daemon, marked as being replaced; false (said why) when it did not stop. */
    private boolean stopForReplacement(Site site, DaemonRestart restart, ProcessHandle daemon) throws IOException, InterruptedException {
        var replacement = new Replacement(site.paths());
        replacement.mark(daemon.pid());
        try {
            if (restart.stop(daemon)) return true;
            terminal.err().println("heromgr: the daemon (pid " + daemon.pid() + ") did not stop; nothing was switched");
            return false;
        } catch (IOException e) {
            terminal.err().println("heromgr: cannot stop the daemon (pid " + daemon.pid() + "): " + e.getMessage() + "; nothing was switched");
            return false;
        } finally {
            replacement.clear();
        }
    }

    /**
     * Starts the daemon of version and waits until it answers, from that version's folder (a unit whose ExecStart is
     * not $HERO_HOME/bin/heromgr would start another version): answered, or failed saying why.
     */
    private DaemonRestart.Started started(Site site, DaemonRestart restart, String version, Duration limit)
            throws IOException, InterruptedException {
        DaemonRestart.Started started = restart.start(limit);
        if (started.answered() == null) return started;
        Optional<String> program = ProcessHandle.of(started.answered().pid()).flatMap(h -> h.info().command());
        Path folder = site.installation().folder(version).toRealPath();
        if (program.isPresent() && !Path.of(program.get()).startsWith(folder)) {
            return new DaemonRestart.Started(null, "did not start: the daemon that answers (pid " + started.answered().pid() + ") runs "
                    + program.get() + "; the unit must run " + site.installation().link() + " (rewrite it: heromgr self unit --install)");
        }
        return started;
    }

    /** Back to version back from the failed one: switched, the failed one removed, back's daemon started again. */
    private int rollBack(Site site, DaemonRestart restart, SelfOperations ops, String back, String failed, String reason)
            throws IOException, InterruptedException {
        ops.record(SelfOperations.ROLLBACK, Map.of("from", failed, "to", back, "reason", reason),
                () -> site.installation().switchTo(back));
        site.installation().remove(failed);
        DaemonRestart.Started again = restart.start(Duration.ofMillis(DEFAULT_TIMEOUT_MS));
        terminal.err().println("heromgr: self upgrade to " + failed + " rolled back: " + reason + " (see " + site.daemonOut() + "); "
                + (again.answered() != null ? "the daemon of " + back + " (pid " + again.answered().pid() + ") answers again"
                        : "and the daemon of " + back + " " + again.failure() + " either: see " + site.daemonOut()));
        return ExitCode.FAILED;
    }
}
