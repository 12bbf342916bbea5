package heromgr.manager;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.manager.Results.StartResult;
import heromgr.service.HeroService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Starts a service's dependencies before it (level by level; the services of one level in parallel, each
 * waiting until healthy) and stops its dependents before it (dependents of dependents first). Each service is
 * handled under its own lock and no lock is held while taking another, so two walks can never deadlock.
 */
final class DependencyWalk {
    private final Lifecycle lifecycle;
    private final ServiceRegistry registry;

    DependencyWalk(Lifecycle lifecycle, ServiceRegistry registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
    }

    /** @return the dependencies this call started; throws DEPENDENCY_NOT_RUNNING naming the one that failed */
    List<String> startDependencies(HeroService s, Duration timeout) {
        // most services depend on nothing: no graph walk for them (a batch of 1000 creates would build 1000 graphs)
        if (s.dependsOn().isEmpty()) return List.of();
        List<String> started = new ArrayList<>();
        for (List<String> level : registry.graph().startLevels(s.name())) {
            for (String dep : inParallel(level, d -> startOne(s, d, timeout))) {
                if (dep != null) started.add(dep);
            }
        }
        return started;
    }

    private String startOne(HeroService dependent, String dep, Duration timeout) {
        HeroService d = registry.get(dep);
        // a dependency whose one-shots all succeeded has done its work: the walk does not run it again
        if (ServiceHealth.completed(lifecycle.status(d))) return null;
        try {
            StartResult r = lifecycle.exclusive(dep, "start", () -> lifecycle.start(d, true, timeout));
            return r.started().isEmpty() ? null : dep;
        } catch (ApiException e) {
            throw new ApiException(ErrorCode.DEPENDENCY_NOT_RUNNING, dependent.name() + " needs " + dep
                    + ", which did not start: " + e.getMessage(), e.data(), e);
        }
    }

    /** Running dependents, transitively, in stop order; without cascade their existence is an error. */
    List<String> stopDependents(HeroService s, boolean cascade) {
        if (registry.dependents(s.name()).isEmpty()) return List.of();
        List<List<String>> levels = registry.graph().stopLevels(s.name());
        List<String> running = levels.stream().flatMap(List::stream).filter(lifecycle::isLive).toList();
        if (running.isEmpty()) return List.of();
        if (!cascade) {
            throw new ApiException(ErrorCode.DEPENDENTS_RUNNING, s.name() + " has running dependents " + running
                    + ": stop them first, or stop with cascade");
        }
        List<String> stopped = new ArrayList<>();
        for (List<String> level : levels) {
            List<String> live = level.stream().filter(lifecycle::isLive).toList();
            for (String d : inParallel(live, dep -> {
                HeroService svc = registry.get(dep);
                lifecycle.exclusive(dep, "stop", () -> lifecycle.stop(svc));
                return dep;
            })) {
                stopped.add(d);
            }
        }
        return stopped;
    }

    /** Runs fn for each name on its own virtual thread; the first failure (in list order) is rethrown. */
    static <T> List<T> inParallel(List<String> names, Function<String, T> fn) {
        if (names.size() == 1) return Collections.singletonList(fn.apply(names.getFirst()));
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = names.stream().map(n -> exec.submit(() -> fn.apply(n))).toList();
            List<T> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while walking dependencies", e);
                }
            }
            if (first != null) throw first;
            return out;
        }
    }
}
