package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.manager.Results.FleetMember;
import heromgr.manager.Results.FleetResult;
import heromgr.manager.Results.StartResult;
import heromgr.service.HeroService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * service.up and service.down: the whole fleet, or the named services with what they need (up: their dependencies;
 * down: their dependents), in dependency order, the services of one level in parallel. Up is health-gated: a level
 * starts only once every service of the one before runs and is healthy. The first level with a failure is the last
 * one walked: what it started stays running, the levels after it are left as they were (not started, or not
 * stopped), and the answer names the service that blocked. Each service is handled under its own lock, as service.start
 * and service.stop handle it.
 */
final class Fleet {
    /** Told of each member's steps as they happen (starting, started, failed, …); error is null unless it failed. */
    @FunctionalInterface
    interface Steps {
        Steps NONE = (service, step, error) -> { };

        void step(String service, String step, String error);
    }

    private final Lifecycle lifecycle;
    private final ServiceRegistry registry;

    Fleet(Lifecycle lifecycle, ServiceRegistry registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
    }

    /** timeout bounds each service's wait for health. */
    FleetResult up(List<String> names, Duration timeout, Steps steps) {
        names.forEach(registry::get);   // an unknown name is refused before anything changes
        var levels = registry.graph().upLevels(names);
        return walk("up", levels, "not_started", steps, name -> upOne(registry.get(name), timeout, steps));
    }

    FleetResult down(List<String> names, Steps steps) {
        names.forEach(registry::get);
        var levels = registry.graph().downLevels(names);
        return walk("down", levels, "not_stopped", steps, name -> downOne(registry.get(name), steps));
    }

    private FleetResult walk(String direction, List<List<String>> levels, String leftAsItWas, Steps steps,
                             Function<String, FleetMember> one) {
        long t0 = System.nanoTime();
        List<FleetMember> members = new ArrayList<>();
        FleetMember blocker = null;
        for (int i = 0; i < levels.size(); i++) {
            final int level = i;
            if (blocker != null) {
                for (String name : levels.get(i)) {
                    steps.step(name, leftAsItWas, null);
                    members.add(new FleetMember(name, level, leftAsItWas, state(name), null, 0, null));
                }
                continue;
            }
            for (FleetMember m : DependencyWalk.inParallel(levels.get(i), n -> one.apply(n).atLevel(level))) {
                members.add(m);
                if (blocker == null && m.error() != null) blocker = m;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new FleetResult(direction, blocker == null, blocker == null ? null : blocker.name(),
                blocker == null ? null : blocker.error(), members, ms);
    }

    /** A service whose one-shots all succeeded has done its work and is not run again (as a dependency walk does). */
    private FleetMember upOne(HeroService s, Duration timeout, Steps steps) {
        long t0 = System.nanoTime();
        if (ServiceHealth.completed(lifecycle.status(s))) return done(s, "already_done", null, null, t0, steps);
        steps.step(s.name(), "starting", null);
        try {
            StartResult r = lifecycle.exclusive(s.name(), "start", () -> lifecycle.start(s, true, timeout));
            if (r.started().isEmpty() && Boolean.FALSE.equals(r.healthy())) {
                return done(s, "failed", false, s.name() + " runs but is not healthy", t0, steps);
            }
            return done(s, r.started().isEmpty() ? "already_running" : "started", r.healthy(), null, t0, steps);
        } catch (ApiException e) {
            return done(s, "failed", false, e.getMessage(), t0, steps);
        }
    }

    private FleetMember downOne(HeroService s, Steps steps) {
        long t0 = System.nanoTime();
        if (!lifecycle.isLive(s.name())) return done(s, "already_stopped", null, null, t0, steps);
        steps.step(s.name(), "stopping", null);
        try {
            lifecycle.exclusive(s.name(), "stop", () -> lifecycle.stop(s));
            return done(s, "stopped", null, null, t0, steps);
        } catch (ApiException e) {
            return done(s, "failed", null, e.getMessage(), t0, steps);
        }
    }

    private FleetMember done(HeroService s, String outcome, Boolean healthy, String error, long t0, Steps steps) {
        steps.step(s.name(), outcome, error);
        return new FleetMember(s.name(), -1, outcome, state(s.name()), healthy, (System.nanoTime() - t0) / 1_000_000, error);
    }

    private String state(String name) {
        return ServiceStates.of(lifecycle.status(registry.get(name)));
    }
}
