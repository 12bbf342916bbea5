package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One action's spawn environment, built once per spec and kept with it: the daemon's environment and the spec's do
 * not change between restarts, so a restart in a crash loop (S2) no longer copies and merges them on its way to the
 * spawn. Used under the action runner's lock.
 */
final class SpawnEnvironment {
    /** systemd's variables speak to the daemon (its notify socket, its watchdog), not to the services it runs. */
    private static final Set<String> SYSTEMD_ONLY = Set.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

    private final String marker;
    private ActionSpec builtFor;
    private Map<String, String> env;

    /** marker (may be null) goes into every spawn's environment as {@value Adoption#MARKER}. */
    SpawnEnvironment(String marker) {
        this.marker = marker;
    }

    /** The environment a spawn of spec gets: the same map while spec is the same spec. */
    Map<String, String> of(ActionSpec spec) {
        if (builtFor != spec) {
            env = build(spec, marker);
            builtFor = spec;
        }
        return env;
    }

    /** The daemon's environment with the action's on top, as the service would get it from a shell. */
    static Map<String, String> build(ActionSpec spec, String marker) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeAll(SYSTEMD_ONLY);
        env.putAll(spec.env());
        if (marker != null) env.put(Adoption.MARKER, marker);
        return Collections.unmodifiableMap(env);
    }
}
