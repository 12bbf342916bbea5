package heromgr.cli;

import heromgr.bundle.Bundle;
import heromgr.bundle.Installation;
import heromgr.fs.AtomicFile;
import heromgr.fs.HeroPaths;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * `heromgr self unit [--user|--system] [--install] [--stop-services-on-exit] [--home DIR]`: the systemd unit that keeps
 * this heromgr's daemon up ({@link SystemdUnit}), printed, or written where systemd looks. It never runs systemctl:
 * enabling the unit is the operator's step, and the command to do it is printed.
 */
final class SelfUnitCommand extends LeafCommand {
    /** Set by bin/heromgr (-Dheromgr.launcher): the launcher as the user ran it, so the unit runs that very one. */
    static final String LAUNCHER_PROPERTY = "heromgr.launcher";
    /** Overrides the property, for a launcher that cannot pass it. */
    static final String LAUNCHER_ENV = "HEROMGR_LAUNCHER";
    private static final String USER = "--user";
    private static final String SYSTEM = "--system";
    private static final String INSTALL = "--install";

    SelfUnitCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("unit", "Print the systemd unit that keeps the daemon running (Type=notify, watchdog),",
                "or write it where systemd looks with --install. Its stop leaves the services running for the next daemon.");
        spec.addOption(flagOption(USER, "A unit of your user's systemd (the default): ~/.config/systemd/user."));
        spec.addOption(flagOption(SYSTEM, "A unit of the system's systemd: /etc/systemd/system (writing it needs root)."));
        spec.addOption(flagOption(INSTALL, "Write the unit file and print the systemctl command that enables it (systemctl is not run)."));
        spec.addOption(flagOption(DaemonCommand.STOP_SERVICES, "Have the daemon stop the managed services when systemd stops it."));
        spec.addOption(valueOption(DaemonCommand.HOME, "DIR", Path.class, "HERO_HOME the daemon manages (default: $HERO_HOME, else ~/hero)."));
        return spec;
    }

    @Override
    public Integer call() {
        boolean system = Boolean.TRUE.equals(option(SYSTEM));
        if (system && Boolean.TRUE.equals(option(USER))) {
            terminal.err().println("heromgr self unit: --user and --system exclude each other");
            return ExitCode.USAGE;
        }
        Path launcher = launcher();
        if (launcher == null) {
            terminal.err().println("heromgr self unit: cannot tell which heromgr launcher runs: start it through bin/heromgr (or "
                    + "$HERO_HOME/bin/heromgr), or set " + LAUNCHER_ENV + " to the launcher's path");
            return ExitCode.FAILED;
        }
        var scope = system ? SystemdUnit.Scope.SYSTEM : SystemdUnit.Scope.USER;
        String user = System.getProperty("user.name");
        HeroPaths paths = HeroPaths.fromEnvironment(terminal.env(), option(DaemonCommand.HOME));
        var installation = new Installation(paths);
        // an installed heromgr runs through $HERO_HOME/bin/heromgr, whichever path reached it: `self upgrade` switches that
        // link, so the switch is what systemd starts next
        if (installation.holds(launcher)) {
            launcher = installation.link();
        } else if (unpackedBundle(launcher)) {
            terminal.err().println("heromgr self unit: note: " + launcher + " is an unpacked bundle, not installed in " + paths.home()
                    + ": install it first (`heromgr self install`), so the unit runs " + installation.link() + " and `self upgrade` can switch it");
        }
        var unit = new SystemdUnit(scope, launcher, paths,
                terminal.env().get("JAVA_HOME"), system && !user.equals("root") ? user : null,
                Boolean.TRUE.equals(option(DaemonCommand.STOP_SERVICES)));
        if (!Boolean.TRUE.equals(option(INSTALL))) {
            terminal.out().print(unit.text());
            return ExitCode.OK;
        }
        return install(unit);
    }

    private int install(SystemdUnit unit) {
        Path file = unit.scope().directory(terminal.env()).resolve(SystemdUnit.NAME);
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.write(file, unit.text().getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            terminal.err().println("heromgr self unit: cannot write " + file + ": " + e.getMessage());
            return ExitCode.FAILED;
        }
        String systemctl = unit.scope().systemctl();
        terminal.out().println("wrote " + file);
        terminal.out().println("enable and start it with: " + systemctl + " daemon-reload && " + systemctl + " enable --now " + SystemdUnit.NAME);
        if (unit.scope() == SystemdUnit.Scope.USER) {
            terminal.out().println("to keep it running while you are logged out: loginctl enable-linger " + System.getProperty("user.name"));
        }
        return ExitCode.OK;
    }

    /** Whether launcher is the bin/heromgr of a bundle's folder (an unpacked release). */
    private static boolean unpackedBundle(Path launcher) {
        try {
            Path bin = launcher.toRealPath().getParent();
            return bin != null && bin.getParent() != null && Bundle.at(bin.getParent()).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** The launcher's absolute path, or null when nothing says where it is or it is not an executable file. */
    private Path launcher() {
        String given = terminal.env().getOrDefault(LAUNCHER_ENV, System.getProperty(LAUNCHER_PROPERTY));
        if (given == null || given.isBlank()) return null;
        Path path = Path.of(given).toAbsolutePath().normalize();
        return Files.isRegularFile(path) && Files.isExecutable(path) ? path : null;
    }
}
