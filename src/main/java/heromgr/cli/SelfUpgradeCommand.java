package heromgr.cli;

import heromgr.api.ApiException;
import heromgr.bundle.Bundle;
import heromgr.bundle.Installation;
import heromgr.bundle.SelfOperations;
import heromgr.bundle.SelfRelease;
import heromgr.fs.HeroPaths;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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

    /** Stops the daemon, switches, starts the new one; switches back when it does not answer. */
    private int switchTo(Site site, String from, SelfRelease.Found to) throws IOException, InterruptedException {
        Optional<DaemonControl.Running> old = DaemonControl.running(site.socket());
        Optional<ProcessHandle> oldProcess = old.flatMap(d -> ProcessHandle.of(d.pid()));
        if (oldProcess.isPresent() && !DaemonControl.stopped(oldProcess.get())) {
            terminal.err().println("heromgr: the daemon (pid " + old.get().pid() + ") did not stop; nothing was switched");
            return ExitCode.FAILED;
        }
        var ops = new SelfOperations(site.paths());
        ops.record(SelfOperations.UPGRADE, Map.of("version", to.tag(), "from", from, "to", to.version()),
                () -> site.installation().switchTo(to.version()));
        if (oldProcess.isEmpty()) {
            terminal.out().println("heromgr upgraded: " + from + " -> " + to.version() + " (no daemon was running on " + site.socket() + ")");
            site.installation().prune(Set.of(to.version(), from));
            return ExitCode.OK;
        }
        Process next = DaemonControl.startDetached(List.of(site.installation().link().toString()), site.home(), site.socket(),
                List.of(), site.daemonOut());
        long timeoutMs = option(TIMEOUT) == null ? DEFAULT_TIMEOUT_MS : option(TIMEOUT);
        Optional<DaemonControl.Running> answered = DaemonControl.awaitAnswer(next, site.socket(), Duration.ofMillis(timeoutMs));
        if (answered.isPresent()) {
            terminal.out().println("heromgr upgraded: " + from + " -> " + to.version() + "; the daemon (pid " + answered.get().pid()
                    + ") answers on " + site.socket());
            site.installation().prune(Set.of(to.version(), from));
            return ExitCode.OK;
        }
        String reason = next.isAlive() ? "did not answer within " + timeoutMs + " ms" : "exited (code " + next.exitValue() + ") before it answered";
        end(next);
        return rollBack(site, ops, from, to.version(), "the daemon of " + to.version() + " " + reason);
    }

    /** Back to version back from the failed one: switched, the failed one removed, back's daemon started again. */
    private int rollBack(Site site, SelfOperations ops, String back, String failed, String reason) throws IOException, InterruptedException {
        ops.record(SelfOperations.ROLLBACK, Map.of("from", failed, "to", back, "reason", reason),
                () -> site.installation().switchTo(back));
        site.installation().remove(failed);
        Process again = DaemonControl.startDetached(List.of(site.installation().link().toString()), site.home(), site.socket(),
                List.of(), site.daemonOut());
        Optional<DaemonControl.Running> answered = DaemonControl.awaitAnswer(again, site.socket(), Duration.ofMillis(DEFAULT_TIMEOUT_MS));
        terminal.err().println("heromgr: self upgrade to " + failed + " rolled back: " + reason + " (see " + site.daemonOut() + "); "
                + answered.map(d -> "the daemon of " + back + " (pid " + d.pid() + ") answers again")
                        .orElse("and the daemon of " + back + " did not answer either: see " + site.daemonOut()));
        return ExitCode.FAILED;
    }

    /** A daemon that did not answer: SIGTERM, then SIGKILL. Its services, in sessions of their own, keep running. */
    private static void end(Process daemon) throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
