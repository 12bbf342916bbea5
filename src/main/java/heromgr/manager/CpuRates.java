package heromgr.manager;

import java.util.concurrent.ConcurrentHashMap;

/**
 * An action's CPU % from its cumulative CPU time: the rise since a sample at least a second old, so `heromgr top`
 * asking every second and a list asked now and then both see a recent rate, whoever else asks meanwhile. Before
 * there is such a sample, the average since its process started. One small immutable window per action, swapped
 * atomically: no lock on the list's path.
 */
final class CpuRates {
    private static final long MIN_SPAN_NANOS = 1_000_000_000L;

    private record Sample(long cpuUsec, long atNanos) {
    }

    /** older: the sample a rate is taken against; newer: the latest, which becomes older once it is a second old. */
    private record Window(Sample older, Sample newer) {
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** The CPU % (100 = one core) of the action keyed key, given its CPU time now and how long its process runs. */
    double percent(String key, long cpuUsec, long uptimeMs, long nowNanos) {
        Sample now = new Sample(cpuUsec, nowNanos);
        Window before = windows.get(key);
        Window after = next(before, now);
        if (after != before) windows.put(key, after);
        Sample base = after.older();
        if (base == null) return uptimeMs <= 0 ? 0 : Math.max(0, cpuUsec / (uptimeMs * 10.0));
        return Math.max(0, (cpuUsec - base.cpuUsec()) * 100_000.0 / (nowNanos - base.atNanos()));
    }

    private static Window next(Window window, Sample now) {
        // a counter that went back is a new cgroup or process (a stop, a restart without cgroups): start again
        if (window == null || now.cpuUsec() < window.newer().cpuUsec()) return new Window(null, now);
        if (now.atNanos() - window.newer().atNanos() >= MIN_SPAN_NANOS) return new Window(window.newer(), now);
        return window;
    }

    /** Forgets an action that no longer runs, so a deleted service leaves nothing behind. */
    void forget(String key) {
        windows.remove(key);
    }
}
