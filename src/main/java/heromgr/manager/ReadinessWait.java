package heromgr.manager;

import heromgr.manager.Results.HealthReport;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthResult;
import heromgr.service.Ctx;
import heromgr.service.ErrorCode;
import heromgr.service.HeroException;
import heromgr.service.HeroService;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits after a start until the service's health checks pass, failing early when its process dies meanwhile.
 * Probes back off from 10 ms to 200 ms: fast for services that come up at once, cheap for slow ones.
 */
final class ReadinessWait {
    private final ServiceManager manager;
    private final HeroService service;
    private final Ctx ctx;

    ReadinessWait(ServiceManager manager, HeroService service, Ctx ctx) {
        this.manager = manager;
        this.service = service;
        this.ctx = ctx;
    }

    /** @return true once healthy; throws START_FAILED if a process died, TIMEOUT if still unhealthy at the deadline */
    boolean await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 10;
        HealthReport last;
        while (true) {
            last = manager.health(service.name());
            if (last.ok()) return true;
            failIfDead();
            if (System.nanoTime() >= deadline) break;
            LockSupport.parkNanos(Math.min(Duration.ofMillis(pauseMs).toNanos(), Math.max(0, deadline - System.nanoTime())));
            pauseMs = Math.min(200, pauseMs * 2);
        }
        String detail = last.checks().stream().filter(c -> !c.ok()).map(HealthResult::detail).findFirst().orElse("");
        throw new HeroException(ErrorCode.TIMEOUT, service.name() + " did not become healthy within " + timeout.toMillis()
                + " ms: " + detail, Map.of("log", lastLines()), null);
    }

    private void failIfDead() {
        for (ActionStatus a : ctx.supervisor().status(service.name())) {
            if (a.state() == ActionState.FAILED || a.state() == ActionState.BACKOFF || a.state() == ActionState.EXITED) {
                String exit = a.lastExit() == null ? "" : " (" + a.lastExit().describe() + ")";
                throw new HeroException(ErrorCode.START_FAILED, service.name() + ": action " + a.name() + " exited during start"
                        + exit + "; see service.logs", Map.of("log", lastLines()), null);
            }
        }
    }

    private List<String> lastLines() {
        return ctx.supervisor().tail(service.name(), null, 30);
    }
}
