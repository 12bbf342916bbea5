package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.manager.Results.HealthReport;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthResult;
import heromgr.service.Ctx;
import heromgr.service.HeroService;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Waits after a start until the service is healthy, failing as soon as one of its processes dies. Driven by the
 * service's events (the same bus as GET /events): an action's state change or exit wakes it at once, and so does
 * the supervisor's health monitor judging an action healthy, which ends the wait without a probe of its own when
 * the monitor watches every check of the service. Between events it probes the checks itself on a backoff from
 * 10 ms to 100 ms: the monitor's own pace before a first pass grows towards the check interval (10 s by default),
 * and a service may declare checks that no action carries, which nobody else probes.
 */
final class ReadinessWait {
    static final Set<String> WAKING_TYPES = Set.of("state", "job", "health");
    private static final long FIRST_PAUSE_MS = 10;
    private static final long MAX_PAUSE_MS = 100;

    private final HeroService service;
    private final Ctx ctx;
    private final ServiceHealth health;
    private final EventBus events;
    private Boolean monitored;
    private HealthReport last;

    ReadinessWait(HeroService service, Ctx ctx, ServiceHealth health, EventBus events) {
        this.service = service;
        this.ctx = ctx;
        this.health = health;
        this.events = events;
    }

    /**
     * @return the actions as they were when the service was found healthy; throws START_FAILED if a process died,
     * TIMEOUT if still unhealthy at the deadline
     */
    List<ActionStatus> await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = FIRST_PAUSE_MS;
        // subscribed before the first look, so a change between that look and the wait still wakes it
        try (EventBus.Subscription changes = events.subscribe(WAKING_TYPES, Set.of(service.name()))) {
            while (true) {
                List<ActionStatus> now = service.status(ctx);
                failIfDead(now);
                if (ServiceHealth.completed(now)) return now;
                if (monitorSaysHealthy(now)) return now;
                last = health.probe(service, now);
                // the probe may have been what turned an action ready: the answer shows the state after it, and a
                // process that died since the first look fails the start rather than being answered as started
                if (last.ok()) return alive(service.status(ctx));
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                Duration pause = Duration.ofNanos(Math.min(Duration.ofMillis(pauseMs).toNanos(), left));
                if (!woken(changes, pause)) pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
            }
        }
        String detail = last.checks().stream().filter(c -> !c.ok()).map(HealthResult::detail).findFirst().orElse("");
        throw new ApiException(ErrorCode.TIMEOUT, service.name() + " did not become healthy within " + timeout.toMillis()
                + " ms: " + detail, Map.of("log", lastLines()), null);
    }

    /**
     * For a service ready once spawned: watches it for window, failing (START_FAILED) as soon as a process dies in it,
     * so a command that exits at once is reported, not announced as running. Ends early when all its one-shots succeeded.
     */
    List<ActionStatus> settle(Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        try (EventBus.Subscription changes = events.subscribe(WAKING_TYPES, Set.of(service.name()))) {
            Map<String, Integer> restarts = null;
            while (true) {
                List<ActionStatus> now = service.status(ctx);
                failIfDead(now);
                // a process that died and was restarted between two looks died all the same
                for (ActionStatus a : now) {
                    if (restarts != null && a.restartCount() > restarts.getOrDefault(a.name(), a.restartCount())) {
                        throw died(a.name(), " and was restarted");
                    }
                }
                restarts = now.stream().collect(Collectors.toMap(ActionStatus::name, ActionStatus::restartCount));
                long left = deadline - System.nanoTime();
                if (left <= 0 || ServiceHealth.completed(now)) return now;
                woken(changes, Duration.ofNanos(left));
            }
        }
    }

    /** Waits up to pause for an event of the service; false when none came (time for a probe of our own). */
    private boolean woken(EventBus.Subscription changes, Duration pause) {
        try {
            var e = changes.next(pause);
            if (e != null && events.isClosed(e)) {
                // the daemon is stopping: no more events, so the remaining waits are plain pauses
                LockSupport.parkNanos(pause.toNanos());
                return false;
            }
            return e != null;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.TIMEOUT, service.name() + ": interrupted while waiting for health");
        }
    }

    /**
     * The monitor's word suffices when it judges every action it watches healthy and watches every check of the
     * service (the actions carry them all); otherwise a probe of every check decides (its results reach the monitor too).
     */
    private boolean monitorSaysHealthy(List<ActionStatus> actions) {
        return Boolean.TRUE.equals(ServiceHealth.monitorVerdict(actions)) && monitored();
    }

    /** Asked once, and only after the monitor's first verdict: most waits end on a probe before it. */
    private boolean monitored() {
        if (monitored == null) {
            Set<HealthCheck> watched = new HashSet<>();
            for (ActionSpec a : service.actions(ctx)) watched.addAll(a.health());
            List<HealthCheck> checks = service.healthChecks(ctx);
            monitored = !checks.isEmpty() && watched.containsAll(checks);
        }
        return monitored;
    }

    private List<ActionStatus> alive(List<ActionStatus> actions) {
        failIfDead(actions);
        return actions;
    }

    private void failIfDead(List<ActionStatus> actions) {
        for (ActionStatus a : actions) {
            boolean dead = a.state() == ActionState.FAILED || a.state() == ActionState.BACKOFF || a.state() == ActionState.EXITED;
            // a one-shot that succeeded finished its work; only the live actions still have to turn healthy
            if (dead && !ServiceHealth.succeeded(a)) {
                throw died(a.name(), a.lastExit() == null ? "" : " (" + a.lastExit().describe() + ")");
            }
        }
    }

    private ApiException died(String action, String how) {
        return new ApiException(ErrorCode.START_FAILED, service.name() + ": action " + action + " exited during start"
                + how + "; see `heromgr logs " + service.name() + "`", Map.of("log", lastLines()), null);
    }

    private List<String> lastLines() {
        return service.logs(ctx, null, 30);
    }
}
