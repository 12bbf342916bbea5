package heromgr.manager;

import heromgr.manager.Results.HealthReport;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that decides whether a service is healthy. The supervisor's monitor probes the checks its actions
 * carry and judges each action; its verdict comes first. A service whose checks no action carries (or that the
 * monitor has not judged yet) is judged by its last on-demand probe, which this class makes and remembers.
 */
final class ServiceHealth {
    private final Ctx ctx;
    private final EventBus events;
    private final Map<String, Boolean> lastProbe = new ConcurrentHashMap<>();

    ServiceHealth(Ctx ctx, EventBus events) {
        this.ctx = ctx;
        this.events = events;
    }

    /** Probes every check of the service now; a "health" event says when the probes' verdict changed. */
    HealthReport probe(HeroService s) {
        List<HealthResult> checks = s.probe(ctx);
        boolean ok = checks.stream().allMatch(HealthResult::ok);
        Boolean before = lastProbe.put(s.name(), ok);
        if (before == null || before != ok) events.publish("health", s.name(), Map.of("ok", ok));
        return new HealthReport(s.name(), ok, checks);
    }

    /** The monitor's verdict on these actions, else the last probe's; null when nobody has judged the service. */
    Boolean verdict(String name, List<ActionStatus> actions) {
        Boolean monitor = monitorVerdict(actions);
        return monitor != null ? monitor : lastProbe.get(name);
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

    /** A stopped or removed service starts its next run unjudged. */
    void forget(String name) {
        lastProbe.remove(name);
    }
}
