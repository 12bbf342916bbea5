package heromgr.manager;

import heromgr.manager.Results.HealthReport;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that decides whether a service is healthy. A service that is not running (nothing runs, or an action
 * crashed: FAILED, BACKOFF, or exited unsuccessfully) is unhealthy whatever its checks say: a crash-looping service
 * between two runs, or one without checks, must never look healthy. Otherwise the supervisor's monitor, which probes
 * the checks its actions carry and judges each action, comes first; a service whose checks no action carries (or
 * that the monitor has not judged yet) is judged by its last on-demand probe, which this class makes and remembers.
 */
final class ServiceHealth {
    private final Ctx ctx;
    private final EventBus events;
    private final Map<String, Boolean> lastProbe = new ConcurrentHashMap<>();
    private final Set<String> announcedHealthy = ConcurrentHashMap.newKeySet();

    ServiceHealth(Ctx ctx, EventBus events) {
        this.ctx = ctx;
        this.events = events;
    }

    /**
     * Probes every check of the service now, unless it is not running: then it is unhealthy without a probe (a port
     * or socket left behind, or taken by another program, would answer for it). A "health" event says when the
     * verdict changed (see announce): a start's first failing probe is no loss of health, so no event.
     */
    HealthReport probe(HeroService s) {
        return probe(s, s.status(ctx));
    }

    /** The same, for a caller that has just read the service's actions: they are not read again. */
    HealthReport probe(HeroService s, List<ActionStatus> actions) {
        boolean running = !notRunning(actions);
        List<HealthResult> checks = running ? s.probe(ctx) : List.of();
        boolean ok = running && checks.stream().allMatch(HealthResult::ok);
        lastProbe.put(s.name(), ok);
        announce(s.name(), ok);
        return new HealthReport(s.name(), ok, ServiceStates.of(actions), checks);
    }

    /** False when the service is not running, else the monitor's verdict, else the last probe's; null when nobody judged it. */
    Boolean verdict(String name, List<ActionStatus> actions) {
        if (notRunning(actions)) return false;
        Boolean monitor = monitorVerdict(actions);
        return monitor != null ? monitor : lastProbe.get(name);
    }

    /**
     * Nothing of the service runs or is starting, or an action is neither live nor finished successfully (crashed,
     * backing off before a restart, stopped while others run). A one-shot that succeeded beside a live action is fine.
     */
    static boolean notRunning(List<ActionStatus> actions) {
        boolean anyLive = false;
        for (ActionStatus a : actions) {
            if (ServiceStates.live(a)) anyLive = true;
            else if (!succeeded(a)) return true;
        }
        return !anyLive;
    }

    /** True when the monitor judges every action it watches healthy, false when any not, null when it judges none. */
    static Boolean monitorVerdict(List<ActionStatus> actions) {
        Boolean verdict = null;
        for (ActionStatus a : actions) {
            if (a.healthy() == null) continue;
            if (!a.healthy()) return false;
            verdict = true;
        }
        return verdict;
    }

    /** A dependency can be relied on when it runs and is not known unhealthy, or when its one-shots all succeeded. */
    boolean satisfies(String name, List<ActionStatus> actions) {
        List<ActionStatus> live = actions.stream().filter(ServiceStates::live).toList();
        if (!live.isEmpty()) return !Boolean.FALSE.equals(verdict(name, live));
        return completed(actions);
    }

    /** Every action ran to a successful end (the one-shots of a setup service): done, not dead. */
    static boolean completed(List<ActionStatus> actions) {
        return !actions.isEmpty() && actions.stream().allMatch(ServiceHealth::succeeded);
    }

    static boolean succeeded(ActionStatus a) {
        return a.state() == ActionState.EXITED && a.lastExit() != null && a.lastExit().success();
    }

    /** A stopped or removed service starts its next run unjudged; if it was announced healthy, it is no more. */
    void forget(String name) {
        lastProbe.remove(name);
        announce(name, false);
    }

    /** A "health" event when the verdict differs from the last one announced; never announced counts as unhealthy. */
    private void announce(String name, boolean ok) {
        boolean changed = ok ? announcedHealthy.add(name) : announcedHealthy.remove(name);
        if (changed) events.publish("health", name, Map.of("ok", ok));
    }
}
