package heromgr.cli;

import heromgr.fs.HeroPaths;
import heromgr.server.SystemdService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * heromgr's daemon as a systemd service unit (Type=notify: the daemon says READY=1 once it answers, pets the watchdog,
 * says STOPPING=1). Its stop ends only the daemon's own process (KillMode=process): the services keep running in the
 * unit's cgroup and the next daemon adopts them, unless stopServices, when the daemon stops them itself (but not
 * when it stops to be replaced by `self upgrade`).
 *
 * @param launcher  the heromgr launcher the unit runs (bin/heromgr of a checkout, or $HERO_HOME/bin/heromgr)
 * @param paths     the Hero home the daemon manages, passed as HERO_HOME, HERO_SOCKET_DIR and CODEROOT
 * @param javaHome  JAVA_HOME for the launcher, null to let it look for a JDK itself
 * @param user      User= of a system unit (null: root, and always for a user unit)
 */
record SystemdUnit(Scope scope, Path launcher, HeroPaths paths, String javaHome, String user, boolean stopServices) {
    static final String NAME = "heromgr.service";
    /** systemd restarts a daemon that did not pet the watchdog for this long (it pets every half of it). */
    static final int WATCHDOG_SECONDS = 30;

    /** A unit of the user's own systemd manager, or of the system's. */
    enum Scope {
        USER, SYSTEM;

        /** Where systemd looks for units of this scope (the user's: $XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user). */
        Path directory(Map<String, String> env) {
            if (this == SYSTEM) return Path.of("/etc/systemd/system");
            String config = env.get("XDG_CONFIG_HOME");
            Path base = config != null && config.startsWith("/") ? Path.of(config)
                    : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
            return base.resolve("systemd/user");
        }

        /** systemctl with the flag that picks this scope's manager. */
        String systemctl() {
            return this == USER ? "systemctl --user" : "systemctl";
        }
    }

    String text() {
        var lines = new ArrayList<String>(List.of(
                "# heromgr's daemon kept alive by systemd; written by `heromgr self unit`",
                "[Unit]",
                "Description=heromgr service manager (" + paths.home().toString().replace("%", "%%") + ")",
                "",
                "[Service]",
                "Type=notify",
                "NotifyAccess=main",
                "ExecStart=" + execStart(),
                environment("HERO_HOME", paths.home().toString()),
                environment("HERO_SOCKET_DIR", paths.socketDir().toString()),
                environment("CODEROOT", paths.codeRoot().toString()),
                // the daemon says in /health that it runs under this unit: `self upgrade` then restarts it through systemctl
                environment(SystemdService.UNIT_VARIABLE, NAME),
                environment(SystemdService.SCOPE_VARIABLE, scope == Scope.USER ? "user" : "system")));
        if (javaHome != null) lines.add(environment("JAVA_HOME", javaHome));
        if (user != null) lines.add("User=" + user);
        lines.addAll(List.of(
                "Restart=always",
                "RestartSec=2s",
                "TimeoutStartSec=90s",
                "WatchdogSec=" + WATCHDOG_SECONDS + "s",
                // the watchdog's SIGABRT cannot reach a daemon hung stopped: SIGKILL follows soon, not after 90 s
                "TimeoutAbortSec=10s",
                // heromgr makes a cgroup per action below its own
                "Delegate=yes"));
        if (stopServices) {
            // the daemon stops each service with its own signal and timeout (postgresql takes up to 60 s)
            lines.add("TimeoutStopSec=120s");
            lines.add("# systemd stops only the daemon, which stops its services itself, unless it is stopping to be replaced");
            lines.add("# (self upgrade): KillMode=mixed would kill them then");
        } else {
            lines.add("# only the daemon stops; its services keep running and the next daemon adopts them");
        }
        lines.add("KillMode=process");
        lines.addAll(List.of("", "[Install]", "WantedBy=" + (scope == Scope.USER ? "default.target" : "multi-user.target"), ""));
        return String.join("\n", lines);
    }

    private String execStart() {
        var argv = new ArrayList<>(List.of(launcher.toString(), "daemon"));
        if (stopServices) argv.add(DaemonCommand.STOP_SERVICES);
        return String.join(" ", argv.stream().map(SystemdUnit::quoted).toList());
    }

    /** One word of ExecStart= as systemd splits it: quoted when it must be, its specifiers (%) and variables ($) escaped. */
    static String quoted(String word) {
        String escaped = word.replace("%", "%%").replace("$", "$$");
        if (!escaped.isEmpty() && escaped.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == ';')) return escaped;
        return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String environment(String name, String value) {
        return "Environment=\"" + (name + "=" + value).replace("%", "%%").replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
