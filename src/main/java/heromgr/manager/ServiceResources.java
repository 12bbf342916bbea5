package heromgr.manager;

import heromgr.proc.ActionStatus;
import heromgr.proc.ResourceUsage;
import heromgr.service.Ctx;
import heromgr.service.HeroService;

import java.util.List;
import java.util.Optional;

/** What a service's running actions use together: CPU % (100 = one core) and memory, for the list and `heromgr top`. */
final class ServiceResources {
    /** null for what is not known (not running, counters unreadable). */
    record Totals(Double cpuPercent, Long memoryBytes) {
        static final Totals UNKNOWN = new Totals(null, null);
    }

    private final Ctx ctx;
    private final CpuRates rates = new CpuRates();

    ServiceResources(Ctx ctx) {
        this.ctx = ctx;
    }

    /** actions: the service's status, just read. */
    Totals of(HeroService service, List<ActionStatus> actions) {
        double cpu = 0;
        long memory = 0;
        boolean any = false;
        long now = System.nanoTime();
        for (ActionStatus a : actions) {
            String key = service.name() + '\0' + a.name();
            Optional<ResourceUsage> used = ServiceStates.live(a) && a.pid() > 0 ? service.usage(ctx, a.name()) : Optional.empty();
            if (used.isEmpty()) {
                rates.forget(key);
                continue;
            }
            any = true;
            cpu += rates.percent(key, used.get().cpuUsec(), a.uptimeMs(), now);
            memory += used.get().memoryBytes();
        }
        return any ? new Totals(Math.round(cpu * 10) / 10.0, memory) : Totals.UNKNOWN;
    }
}
