package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One action's spawn environment, kept with its spec once the action restarts: the daemon's environment and the spec's
 * do not change between restarts, so a restart in a crash loop (S2) no longer copies and merges them on its way to the
 * spawn. Kept only from a restart on (~1.5 KB of map per action): a fleet that never restarts holds none. Used under
 * the action runner's lock.
 */
final class SpawnEnvironment {
    /** systemd's variables speak to the daemon (its notify socket, its watchdog), not to the services it runs. */
    private static final Set<String> SYSTEMD_ONLY = Set.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

    private final String owner;
    private final String service;
    private ActionSpec builtFor;
    private Map<String, String> env;

    /**
     * owner: the supervisor's state file, named with the service and action in the marker every spawn carries as
     * {@value Adoption#MARKER} (a daemon that lost the pid still recognizes the process); null: no marker.
     */
    SpawnEnvironment(String owner, String service) {
        this.owner = owner;
        this.service = service;
    }

    /** The environment a spawn of spec gets; keep: a restart's, kept for the next while spec is the same spec. */
    Map<String, String> of(ActionSpec spec, boolean keep) {
        if (builtFor == spec) return env;
        Map<String, String> built = build(spec, owner == null ? null : Adoption.marker(owner, service, spec.name()));
        if (keep) {
            env = built;
            builtFor = spec;
        }
        return built;
    }

    /**
     * env (from {@link #of}) with the run's number as {@value Adoption#RUN}, which the run's children inherit: a helper
     * of a recorded run that made itself a session leader is never taken for a later, unrecorded run (see
     * {@link Adoption.Unrecorded}). Unchanged without a marker.
     */
    static Map<String, String> forRun(Map<String, String> env, long run) {
        if (!env.containsKey(Adoption.MARKER)) return env;
        Map<String, String> withRun = new HashMap<>(env);
        withRun.put(Adoption.RUN, Long.toString(run));
        return withRun;
    }

    /** The action stopped: its next start builds anew. */
    void forget() {
        env = null;
        builtFor = null;
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
