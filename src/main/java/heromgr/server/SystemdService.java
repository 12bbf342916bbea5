package heromgr.server;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The systemd unit `heromgr self unit` writes, as the daemon it runs sees itself: the unit names itself and its
 * manager in two variables, and systemd's own INVOCATION_ID and NOTIFY_SOCKET prove that systemd, not a shell that
 * happened to export them, started this process. GET /health says so, and `heromgr self upgrade` then restarts the
 * daemon through systemctl (a daemon restarted behind systemd's back would race the one Restart=always starts).
 *
 * @param unit  the unit's name (heromgr.service)
 * @param user  true for a unit of the user's systemd manager (`systemctl --user`), false for the system's
 */
public record SystemdService(String unit, boolean user) {
    /** Set by the unit (Environment=): its own name. */
    public static final String UNIT_VARIABLE = "HEROMGR_SYSTEMD_UNIT";
    /** Set by the unit: "user" or "system", the manager that runs it. */
    public static final String SCOPE_VARIABLE = "HEROMGR_SYSTEMD_SCOPE";
    private static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9@._-]{1,200}\\.service");

    /** The unit this process runs under, when all four variables say systemd started it from heromgr's unit. */
    public static Optional<SystemdService> of(Map<String, String> env) {
        String unit = env.get(UNIT_VARIABLE);
        String scope = env.get(SCOPE_VARIABLE);
        if (unit == null || !UNIT_NAME.matcher(unit).matches() || !"user".equals(scope) && !"system".equals(scope)) return Optional.empty();
        if (isBlank(env.get("INVOCATION_ID")) || isBlank(env.get("NOTIFY_SOCKET"))) return Optional.empty();
        return Optional.of(new SystemdService(unit, "user".equals(scope)));
    }

    public String scope() {
        return user ? "user" : "system";
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
